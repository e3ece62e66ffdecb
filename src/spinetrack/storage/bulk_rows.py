"""Rows for a bulk INSERT, made uniform so the driver gets them in batches.

SQLAlchemy's ORM bulk insert leaves a column out of a row whose value is None, then groups rows
by the columns they name: rows with None in different places became separate statements, and
the demo clinic's 100,000 patients went to the database nearly one INSERT per row. With
``render_nulls`` every row names every column and one batched statement takes them all; the
columns' defaults are applied here so that a missing or None value still means "the default",
exactly as it did.
"""

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, Insert, Table, func, insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from spinetrack.storage.data_version import note_inserted


def uniform_rows(table: type[Any], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` (changed in place) naming the same columns: every column default applied where a
    value is missing or None (a fixed default is written in, a computed one, a clock, is left to
    the insert), and None where a row leaves out a column without default that another names."""
    fixed, computed = {}, set()
    for column in table.__table__.columns:
        default = column.default
        if default is None:
            continue
        if default.is_scalar:
            fixed[column.key] = default.arg
        else:
            computed.add(column.key)
    named = set().union(*rows) - computed - set(fixed)
    for row in rows:
        for key in named.difference(row):
            row[key] = None
        for key, value in fixed.items():
            if row.get(key) is None:
                row[key] = value
        for key in computed:
            if key in row and row[key] is None:
                del row[key]
    return rows


def batched_insert(table: type[Any]) -> Insert:
    """An INSERT of ``table`` that keeps None values, so uniform rows go in one batch."""
    return insert(table).execution_options(render_nulls=True)


def insert_rows(session: Session, table: type[Any], rows: list[dict[str, Any]]) -> None:
    """Insert many rows of a mapped table through SQLAlchemy Core, skipping the ORM's bulk
    bookkeeping (per-row attribute collection), which cost more than the INSERTs themselves when
    the demo loaded a million questionnaires. ``rows`` are made uniform first; rows that still
    name different columns (a computed default given in some, left to the insert in others) go
    in one statement per set of columns, so each statement's parameters all name the same keys."""
    groups: dict[frozenset[str], list[dict[str, Any]]] = {}
    for row in uniform_rows(table, rows):
        groups.setdefault(frozenset(row), []).append(row)
    statement = insert(table.__table__)
    connection = session.connection()
    for group in groups.values():
        if connection.dialect.name != "sqlite" or not _insert_on_sqlite(connection, table, group):
            session.execute(statement, group)


def _insert_on_sqlite(connection: Connection, table: type[Any], rows: list[dict[str, Any]]) -> bool:
    """Insert rows that all name the same columns straight through the driver's executemany, with
    each value converted by its column type's own bind processor (what SQLAlchemy would apply) and
    the computed defaults of the columns left out evaluated once for the statement. SQLAlchemy's
    executemany built a parameter dictionary per row and cost five times what SQLite spent
    inserting (the demo's 1.7 million rows at 100,000 patients). False, nothing done, when a left
    out column's default is not a plain Python function (SQLAlchemy then does the work)."""
    core: Table = table.__table__
    columns = [column for column in core.columns if column.key in rows[0]]
    fixed: dict[str, Any] = {}
    for column in core.columns:
        if column.key in rows[0] or column.default is None:
            continue
        if not column.default.is_callable:
            return False
        fixed[column.key] = column.default.arg(None)  # type: ignore[attr-defined]
    dialect = connection.dialect
    values: list[list[Any]] = []
    for column in columns:
        process: Callable[[Any], Any] | None = column.type.dialect_impl(dialect).bind_processor(
            dialect
        )
        raw = list(map(itemgetter(column.key), rows))  # map over C callables: no frame per row
        values.append(raw if process is None else list(map(process, raw)))
    for key, value in fixed.items():
        column = core.columns[key]
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        columns.append(column)
        values.append([value if process is None else process(value)] * len(rows))
    insert_columns_on_sqlite(connection, core, columns, values)
    note_inserted(connection, core.name, rows)  # the data version's listeners see no statement
    return True


def insert_columns_on_sqlite(
    connection: Connection, core: Table, columns: list[Any], values: list[list[Any]]
) -> None:
    """One INSERT of ``columns`` executed for every row of ``values`` (one list per column,
    already in the driver's form) on the transaction's own driver connection, the rows zipped as
    the driver reads them: building a list of 1.24 million tuples first (the demo's answers) cost
    a tenth of storing them. The data version's statement listeners ignore a driver-level
    statement either way; callers note what they inserted (`note_inserted`). A driver error is
    raised as SQLAlchemy raises it (an IntegrityError for a taken key)."""
    quote = connection.dialect.identifier_preparer
    sql = (
        f"INSERT INTO {quote.format_table(core)} "
        f"({', '.join(quote.format_column(c) for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    driver_error = connection.dialect.loaded_dbapi.Error
    cursor = connection.connection.cursor()
    try:
        rows = zip(*values, strict=True)  # sqlite3 reads any iterable of rows
        cursor.executemany(sql, rows)  # type: ignore[arg-type]
    except driver_error as exc:
        raise DBAPIError.instance(sql, None, exc, driver_error) from exc
    finally:
        cursor.close()


def insert_rows_returning_ids(
    session: Session, table: type[Any], rows: list[dict[str, Any]]
) -> list[int]:
    """Insert many rows of a table with an integer ``id`` key and return their ids in the rows'
    order (bulk imports need them for the foreign keys of what follows).

    On SQLite an INSERT ... RETURNING whose ids must come back in parameter order goes one row
    per statement (SQLite does not promise the order of a many-row RETURNING): 15,000 statements
    for the 7,500-patient demo. There the ids are given instead, the ones SQLite would choose:
    one past the largest in the table, in order (these tables are not AUTOINCREMENT, so no
    deleted id is reserved). The transaction writes them, so a writer that came in between fails
    on the primary key, rather than anything being linked wrongly."""
    if session.connection().dialect.name != "sqlite":
        statement = batched_insert(table).returning(table.id, sort_by_parameter_order=True)
        return list(session.scalars(statement, uniform_rows(table, rows)))
    largest = session.execute(select(func.max(table.id))).scalar_one()
    first = (largest or 0) + 1
    ids = list(range(first, first + len(rows)))
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    insert_rows(session, table, rows)
    return ids
