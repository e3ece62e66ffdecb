"""The busiest statements run on the driver's cursor: same rows, same errors, same observers."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import Float, bindparam, event, literal, select, text
from sqlalchemy.exc import DBAPIError

from spinetrack.services.operations.database import Database
from spinetrack.storage.driver_sql import DriverStatement

_VALUES = DriverStatement(
    select(
        bindparam("number", type_=Float).label("number"),
        literal("fixed").label("word"),
        bindparam("moment").label("moment"),
    ),
    named_rows=True,
)


def test_rows_are_those_sqlalchemy_reads(database: Database) -> None:
    moment = datetime(2025, 3, 1, 10, tzinfo=UTC)
    params = {"number": 2.5, "moment": moment}
    with database.sessions() as uow:
        connection = uow.session.connection()
        rows = _VALUES.rows(connection, params)
        expected = connection.execute(_VALUES.statement, params).all()
    assert [tuple(row) for row in rows] == [tuple(row) for row in expected]
    assert (rows[0].number, rows[0].word) == (2.5, "fixed")


def test_a_driver_error_is_raised_as_sqlalchemy_raises_it(database: Database) -> None:
    if database.engine.dialect.name != "postgresql":
        pytest.skip("on SQLite the statement runs through SQLAlchemy anyway")
    failing = DriverStatement(select(text("1 / 0")))
    with database.sessions() as uow, pytest.raises(DBAPIError):
        failing.rows(uow.session.connection(), {})


def test_a_listener_on_the_sql_still_sees_every_statement(database: Database) -> None:
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        with database.sessions() as uow:
            rows = _VALUES.rows(uow.session.connection(), {"number": 1.0, "moment": None})
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
    assert rows[0].word == "fixed"
    assert any("fixed" in statement or "word" in statement for statement in seen)


def test_one_cursor_serves_a_connection_and_a_failed_statement_does_not_spoil_it(
    postgres_only: Database,
) -> None:
    failing = DriverStatement(select(text("1 / 0")))
    with postgres_only.sessions() as uow:
        connection = uow.session.connection()
        first = _VALUES.rows(connection, {"number": 1.0, "moment": None})
        second = _VALUES.rows(connection, {"number": 2.0, "moment": None})
        kept = connection.connection.info["spinetrack.driver_cursor"]
        assert (first[0].number, second[0].number) == (1.0, 2.0)
        with pytest.raises(DBAPIError):
            failing.rows(connection, {})
    # The failed transaction was rolled back; the next one on the same driver connection reads
    # through a usable cursor (the kept one, or a new one if the error closed it).
    with postgres_only.sessions() as uow:
        connection = uow.session.connection()
        again = _VALUES.rows(connection, {"number": 3.0, "moment": None})
        now = connection.connection.info["spinetrack.driver_cursor"]
    assert again[0].number == 3.0
    assert not now.closed
    assert kept is now or kept.closed
