"""Put a test database back into a state saved earlier, instead of building that state again.

Building the test world (clinics, users, sign-ins, tokens, each write audited and sealed) costs a
few dozen transactions; copying its few dozen rows back costs one. A restore leaves the database
exactly as the build left it: the same rows with the same ids, and on PostgreSQL the same next
values of its sequences (so the ids a test creates next are the ones a fresh build would give).

On PostgreSQL every statement is a round trip to the server, and a restore runs before most tests
of the suite: the tables are emptied by one statement and the sequences set by another, instead
of one statement per table and one per sequence (about 60 round trips fewer per restore).
"""

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, insert, select, text
from tests.support.world import TOKENS, World, build_world

from spinetrack.config import get_settings
from spinetrack.services.operations.database import Database
from spinetrack.storage.audit_chain import HEAD_ID, write_checkpoint
from spinetrack.storage.tables import AuditHead, Base


@dataclass(frozen=True)
class Snapshot:
    """Every row of every table, and where each PostgreSQL sequence stood."""

    rows: dict[str, list[dict[str, Any]]]
    sequences: list[tuple[str, int, bool]]

    def sequence_reset(self) -> str | None:
        """One statement that puts every sequence back where it stood, or None without any.

        The names come from pg_sequences and the values are integers and booleans read from it,
        so they are written into the statement as literals."""
        if not self.sequences:
            return None
        calls = [
            f"setval('{name}', {value}, {'true' if called else 'false'})"
            for name, value, called in self.sequences
        ]
        return "SELECT " + ", ".join(calls)


def take_snapshot(database: Database) -> Snapshot:
    with database.engine.connect() as connection:
        rows = {
            table.name: [dict(row) for row in connection.execute(select(table)).mappings()]
            for table in Base.metadata.sorted_tables
        }
        sequences: list[tuple[str, int, bool]] = []
        if connection.dialect.name == "postgresql":
            found = connection.execute(
                text(
                    "SELECT sequencename, COALESCE(last_value, start_value), last_value IS NOT NULL"
                    " FROM pg_sequences WHERE schemaname = 'public'"
                )
            )
            sequences = [(str(name), int(value), bool(called)) for name, value, called in found]
    return Snapshot(rows, sequences)


_EMPTYING = "; ".join(f"DELETE FROM {t.name}" for t in reversed(Base.metadata.sorted_tables))
"""Every table emptied, children before parents, in one statement (PostgreSQL runs the list)."""


def _insert_all(connection: Connection, snapshot: Snapshot) -> None:
    for table in Base.metadata.sorted_tables:
        rows = snapshot.rows[table.name]
        if rows:
            connection.execute(insert(table), rows)


def restore_snapshot(database: Database, snapshot: Snapshot) -> None:
    """Empty every table and write the saved rows back, in one transaction; then note the audit
    chain's head in this test's checkpoint file, as sealing the build's entries would have."""
    with database.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(_EMPTYING))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())
        _insert_all(connection, snapshot)
        reset = snapshot.sequence_reset()
        if reset is not None:
            connection.execute(text(reset))
        head = connection.execute(
            select(AuditHead.seq, AuditHead.entry_hash).where(AuditHead.id == HEAD_ID)
        ).first()
    if head is not None:
        checkpoint = get_settings().resolved_audit_checkpoint()
        write_checkpoint(checkpoint, database.engine, int(head.seq), str(head.entry_hash))


T = TypeVar("T")

_SAVED: dict[tuple[str, str], tuple[Snapshot, Any, dict[str, str]]] = {}
"""What a build left in a database, by (build name, database URL): its rows, what it returned
and the API tokens it issued (this process's databases only; each xdist worker has its own)."""


def saved_state(database: Database, name: str, build: Callable[[], T]) -> T:
    """Run `build` on the emptied database the first time; every later test gets the same rows
    (same ids, same next ids) put back in one transaction instead of being built again.

    `build` must write to the database only through what it is given and return values that
    stay true of the restored rows (ids, actors); a test changes only its own copy of the rows.
    """
    key = (name, database.url)
    saved = _SAVED.get(key)
    if saved is None:
        built = build()
        _SAVED[key] = (take_snapshot(database), built, dict(TOKENS))
        return built
    snapshot, built, tokens = saved
    restore_snapshot(database, snapshot)
    TOKENS.clear()
    TOKENS.update(tokens)
    return cast(T, built)


def saved_world(database: Database) -> World:
    """The test world (`build_world`) on an emptied database, built once per database and process
    and restored after; a fresh World object each time, in case a test changes one."""
    return dataclasses.replace(saved_state(database, "world", lambda: build_world(database)))
