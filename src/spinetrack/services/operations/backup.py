"""Backup and restore of the whole database, portable between SQLite and PostgreSQL.

A backup is gzip-compressed JSON lines: a manifest, one line per row (tables in foreign-key order,
read in one transaction so the copy is consistent), and a last line with the SHA-256 of everything
before it and an HMAC-SHA256 of the same under the audit key (which is kept outside the database
and is needed anyway to check the restored audit trail). Anyone can recompute a checksum after
editing a backup, say to plant an API token; no one without the key can recompute the HMAC.
Restore refuses a file whose checksum or HMAC fails, and only writes into an empty database. The
file is created readable by its owner only: it holds every patient's record.
"""

import gzip
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, DateTime, func, insert, select, text

from spinetrack import __version__
from spinetrack.config import get_settings
from spinetrack.domain.errors import InvalidInput, SpinetrackError
from spinetrack.services.audit.audit_log import sealer
from spinetrack.services.operations.database import Database
from spinetrack.storage.audit_chain import write_checkpoint
from spinetrack.storage.engine import READ_ONLY
from spinetrack.storage.migrate import current_revision
from spinetrack.storage.tables import Base
from spinetrack.storage.tables.base import UtcDateTime

FORMAT = "spinetrack-backup"
Progress = Callable[[int], None]


class BackupRejected(SpinetrackError):
    pass


def _mac(key: bytes) -> "hmac.HMAC":
    """The backups' own key, derived from the audit key (the chain derives another)."""
    return hmac.new(
        hmac.new(key, b"spinetrack backup", hashlib.sha256).digest(), digestmod=hashlib.sha256
    )


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _lines(connection: Connection, revision: str) -> Iterator[str]:
    tables = Base.metadata.sorted_tables
    manifest = {
        "format": FORMAT,
        "version": 1,
        "spinetrack": __version__,
        "revision": revision,
        "created_at": datetime.now(UTC).isoformat(),
        "tables": [t.name for t in tables],
    }
    yield json.dumps(manifest)
    for table in tables:
        for row in connection.execute(
            select(table).order_by(*table.primary_key.columns)
        ).mappings():
            yield json.dumps({"t": table.name, "r": {k: _plain(v) for k, v in row.items()}})


def backup(database: Database, path: Path, progress: Progress | None = None) -> int:
    """Write a consistent copy of every table to `path`; returns the number of rows."""
    revision = current_revision(database.engine) or ""
    sealer(database.sessions).seal_now()  # the copy carries a chain with nothing left to seal
    digest, mac, rows = hashlib.sha256(), _mac(get_settings().resolved_audit_key()), -1
    # One snapshot for every table; on SQLite a deferred BEGIN, so writers go on meanwhile.
    engine = database.engine.execution_options(**{READ_ONLY: True})
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
    with (
        engine.connect() as connection,
        connection.begin(),
        os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw,
        gzip.open(raw, "wt", encoding="utf-8") as out,
    ):
        for line in _lines(connection, revision):
            digest.update(line.encode("utf-8") + b"\n")
            mac.update(line.encode("utf-8") + b"\n")
            out.write(line + "\n")
            rows += 1
            if progress and rows % 10_000 == 0:
                progress(10_000)
        out.write(json.dumps({"sha256": digest.hexdigest(), "hmac_sha256": mac.hexdigest()}) + "\n")
    return rows


def _read(path: Path) -> tuple[dict[str, Any], list[str]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise BackupRejected(f"{path} is not a spinetrack backup ({exc})") from exc
    if len(lines) < 2:
        raise BackupRejected(f"{path} is empty or cut short")
    body, last = lines[:-1], lines[-1]
    content = "".join(line + "\n" for line in body).encode("utf-8")
    digest = hashlib.sha256(content).hexdigest()
    try:
        seal = json.loads(last)
        expected, keyed = seal.get("sha256"), seal.get("hmac_sha256")
        manifest = json.loads(body[0])
    except (json.JSONDecodeError, AttributeError) as exc:
        raise BackupRejected(f"{path} is damaged: its last line is not a checksum") from exc
    if expected != digest:
        raise BackupRejected(f"{path} fails its checksum: the file was changed or damaged")
    mac = _mac(get_settings().resolved_audit_key())
    mac.update(content)
    if not isinstance(keyed, str) or not hmac.compare_digest(keyed, mac.hexdigest()):
        raise BackupRejected(
            f"{path} fails its keyed checksum: it was changed after it was written, or written "
            "with another audit key (set SPINETRACK_AUDIT_KEY to the key of the installation "
            "that made it)"
        )
    if manifest.get("format") != FORMAT:
        raise BackupRejected(f"{path} is not a spinetrack backup")
    return manifest, body[1:]


def _typed(table_name: str, row: dict[str, Any]) -> dict[str, Any]:
    table = Base.metadata.tables[table_name]
    out: dict[str, Any] = {}
    for key, value in row.items():
        kind = table.c[key].type
        if value is not None and isinstance(kind, UtcDateTime | DateTime):
            out[key] = datetime.fromisoformat(value)
        elif value is not None and isinstance(kind, Date):
            out[key] = date.fromisoformat(value)
        else:
            out[key] = value
    return out


def restore(database: Database, path: Path, progress: Progress | None = None) -> int:
    """Load a backup into an empty database at the backup's schema; returns the rows restored."""
    manifest, lines = _read(path)
    database.upgrade()
    if current_revision(database.engine) != manifest.get("revision"):
        raise BackupRejected(
            f"the backup is at schema {manifest.get('revision')}, this spinetrack at "
            f"{current_revision(database.engine)}: restore with the matching version"
        )
    with database.engine.begin() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name == "audit_head":
                continue  # a fresh schema has an empty chain head; the backup brings its own
            if connection.execute(select(func.count()).select_from(table)).scalar_one():
                raise InvalidInput(
                    "database", f"restore needs an empty database; {table.name} has rows"
                )
        connection.execute(Base.metadata.tables["audit_head"].delete())
        batch: dict[str, list[dict[str, Any]]] = {}
        for line in lines:
            record = json.loads(line)
            batch.setdefault(record["t"], []).append(_typed(record["t"], record["r"]))
        for table in Base.metadata.sorted_tables:
            rows = batch.get(table.name, [])
            for start in range(0, len(rows), 5000):
                connection.execute(insert(table), rows[start : start + 5000])
                if progress:
                    progress(len(rows[start : start + 5000]))
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
    _restart_checkpoints(database)
    return len(lines)


def _restart_checkpoints(database: Database) -> None:
    """The restored chain is the new truth for this database: a restore line tells `audit verify`
    to ignore older checkpoints (entries after the backup are gone, knowingly); then seal."""
    head = database.engine.connect()
    try:
        row = (
            head.execute(select(Base.metadata.tables["audit_head"]).where(text("id = 1")))
            .mappings()
            .first()
        )
    finally:
        head.close()
    write_checkpoint(
        get_settings().resolved_audit_checkpoint(),
        database.engine,
        int(row["seq"]) if row else 0,
        str(row["entry_hash"]) if row else "",
        event="restore",
    )
    sealer(database.sessions).seal_now()


def _reset_sequences(connection: Connection) -> None:
    """Restored ids were written explicitly, so each id sequence must move past them."""
    for table in Base.metadata.sorted_tables:
        if (
            "id" in table.c
            and table.c.id.autoincrement in (True, "auto")
            and table.name != "audit_head"
        ):
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )
