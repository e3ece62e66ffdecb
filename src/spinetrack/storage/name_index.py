"""The patient-name index: what the database keeps beside `patients` so a name is found by index.

SQLite keeps an FTS5 table over the two name columns (`unicode61` with `remove_diacritics 2`, so
'Núñez' is indexed as 'nunez'), held in step with `patients` by triggers; PostgreSQL keeps a
pg_trgm GIN index on a folded name key (`unaccent`, lower case, one space before every word), so
'% nun%' is a word-prefix match the index answers. Both are built by migration 0016 and filled
there for the rows already stored; triggers and the index keep them current through every insert,
update and delete, whichever door (form, API, import, restore) the row came in by.

SQLAlchemy cannot describe these objects, so schema comparisons leave them out (`describable`).
A later migration that copies `patients` (SQLite's batch mode) must create the triggers again.

A bulk import on SQLite fills the FTS5 table in one statement instead (`names_indexed_at_end`):
fired row by row, the insert trigger cost four times what storing the patients did.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection

FTS_TABLE = "patient_names"
"""SQLite's FTS5 table (external content: `patients`, rowid = patients.id)."""
NAME_KEY_FUNCTION = "spinetrack_name_key"
"""PostgreSQL's immutable function of (given_name, family_name) that the trigram index covers."""
TRIGRAM_INDEX = "ix_patients_name_trgm"


def describable(name: str | None, type_: str, parent_names: Any) -> bool:
    """Alembic's `include_name` hook: False for the name index's tables and index."""
    if name is None:
        return True
    if type_ == "table" and (name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")):
        return False
    return not (type_ == "index" and name == TRIGRAM_INDEX)


INSERT_TRIGGER = "patient_names_insert"
"""SQLite's trigger that indexes each new patient's names as the row is inserted."""


@contextmanager
def names_indexed_at_end(connection: Connection) -> Iterator[None]:
    """Within one transaction, index the names of every patient inserted in the block with one
    INSERT ... SELECT when it ends, the insert trigger set aside meanwhile and created again from
    its own stored text, so the schema is as it was. Each new patient takes an id above every
    id before the block (the transaction holds SQLite's write lock): those are the rows indexed.
    Nothing is done on PostgreSQL, whose index is kept by the database itself. If the block
    raises, the trigger is restored and the rows are left for the caller's rollback."""
    if connection.dialect.name != "sqlite":
        yield
        return
    trigger = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (INSERT_TRIGGER,)
    ).scalar()
    if trigger is None:
        yield
        return
    before = connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM patients").scalar()
    connection.exec_driver_sql(f"DROP TRIGGER {INSERT_TRIGGER}")
    try:
        yield
        connection.exec_driver_sql(
            f"INSERT INTO {FTS_TABLE}(rowid, given_name, family_name) "
            "SELECT id, given_name, family_name FROM patients WHERE id > ? ORDER BY id",
            (before,),
        )
    finally:
        connection.exec_driver_sql(trigger)
