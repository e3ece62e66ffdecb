"""Every table's rows out, in one consistent snapshot, and back into an empty database.

The backup file's format, checksums and keys are the service's (services/operations/backup.py);
this module only reads and writes rows, so every statement of a backup or restore lives here.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Engine, func, insert, select, text

from spinetrack.domain.errors import InvalidInput
from spinetrack.storage.engine import READ_ONLY
from spinetrack.storage.tables import Base
from spinetrack.storage.tables.base import UtcDateTime

INSERT_BATCH = 5000
HEAD = "audit_head"
"""The audit chain's head: a fresh schema has one empty row, and a backup brings its own."""


def table_names() -> list[str]:
    """Every table, parents before children (the order rows are written and restored in)."""
    return [t.name for t in Base.metadata.sorted_tables]


@contextmanager
def snapshot(engine: Engine) -> Iterator[Iterator[tuple[str, Mapping[Any, Any]]]]:
    """(table name, row) for every row of every table, all read in one snapshot; on SQLite a
    deferred BEGIN, so writers go on meanwhile."""
    reading = engine.execution_options(**{READ_ONLY: True})
    if reading.dialect.name == "postgresql":
        reading = reading.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
    with reading.connect() as connection, connection.begin():
        yield _rows(connection)


def _rows(connection: Connection) -> Iterator[tuple[str, Mapping[Any, Any]]]:
    for table in Base.metadata.sorted_tables:
        query = select(table).order_by(*table.primary_key.columns)
        for row in connection.execute(query).mappings():
            yield table.name, row


def typed(table_name: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """A row read back from text: dates and moments as the columns' Python types."""
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


def load(
    engine: Engine,
    rows: Mapping[str, Sequence[dict[str, Any]]],
    progress: Callable[[int], None] | None = None,
) -> None:
    """Insert the rows (by table name) into an empty database, in one transaction."""
    with engine.begin() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name == HEAD:
                continue
            if connection.execute(select(func.count()).select_from(table)).scalar_one():
                raise InvalidInput(
                    "database", f"restore needs an empty database; {table.name} has rows"
                )
        connection.execute(Base.metadata.tables[HEAD].delete())
        for table in Base.metadata.sorted_tables:
            mine = rows.get(table.name, [])
            for start in range(0, len(mine), INSERT_BATCH):
                connection.execute(insert(table), mine[start : start + INSERT_BATCH])
                if progress:
                    progress(len(mine[start : start + INSERT_BATCH]))
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)


def chain_head(engine: Engine) -> tuple[int, str] | None:
    """The audit chain's last sequence number and entry hash, None when it has none."""
    with engine.connect() as connection:
        row = (
            connection.execute(select(Base.metadata.tables[HEAD]).where(text("id = 1")))
            .mappings()
            .first()
        )
    return (int(row["seq"]), str(row["entry_hash"])) if row else None


def _reset_sequences(connection: Connection) -> None:
    """Restored ids were written explicitly, so each id sequence must move past them."""
    for table in Base.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement in (True, "auto") and table.name != HEAD:
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table.name}), 0) + 1, false)"
                )
            )
