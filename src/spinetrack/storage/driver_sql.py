"""The busiest statements, compiled once and handed straight to the driver's cursor.

A submission runs three statements on PostgreSQL (five before some were folded together). Their SQL
is cached once compiled, but each execution still went through SQLAlchemy's whole execution pipeline
(an execution context, parameter processing, result metadata built from the cursor's description, a
result object), which cost more CPU than the driver's own work. `DriverStatement` keeps the Core
statement as the one definition of its SQL, compiles it once per dialect, and runs it on the
connection's driver cursor, in the same transaction. The driver still prepares the statement
server-side once it has seen it a few times.


What does not change: the SQL sent, the values bound (each bind goes through its column type's
bind processor, as SQLAlchemy would), the rows read (result processors are applied when the
dialect has any), and the errors raised (a driver error goes through SQLAlchemy's own handling,
so it is raised as the same `sqlalchemy.exc` error and a lost connection invalidates the pool as
before). It is used on PostgreSQL only, for statements whose effects need no statement event (the
data version's listeners see INSERT/UPDATE/DELETE statements; the callers of these note their
writes themselves). When any cursor-execute listener is installed (tests that watch the SQL), or
on another database, the statement runs through SQLAlchemy as before.
"""

from collections import namedtuple
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement, Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import SelectBase
from sqlalchemy.types import TypeEngine

DIALECT = "postgresql"


@dataclass(frozen=True)
class _Compiled:
    sql: str
    binds: dict[str, Any]
    """Values compiled into the statement (literal binds); the caller's parameters override them."""
    processors: dict[str, Callable[[Any], Any]]
    types: list[TypeEngine[Any]] | None
    """The result columns' types (None: the statement returns no rows)."""
    row: Callable[..., Any] | None
    """A row type with the columns' names, or None for plain tuples."""


class DriverStatement:
    """A Core statement run on the driver's cursor (see the module's docstring)."""

    def __init__(self, statement: Executable, *, named_rows: bool = False) -> None:
        self.statement = statement
        self._named_rows = named_rows
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self._results: dict[tuple[str, str], list[tuple[int, Callable[[Any], Any]]]] = {}
        """The result processors by column (from the first execution's column types), [] when
        none."""

    def _compile(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get((dialect.name, dialect.driver))
        if found is not None:
            return found
        assert isinstance(self.statement, ClauseElement)
        compiled = self.statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        if compiled.post_compile_params or compiled.literal_execute_params:
            raise ValueError("a statement with expanding parameters cannot run on the driver")
        if compiled.escaped_bind_names or compiled.positional:
            raise ValueError("only plainly named parameters are passed to the driver as they are")
        if any(name != bind.key for name, bind in compiled.binds.items() if bind.required):
            raise ValueError("a parameter is sent under another name than the caller's")
        processors: dict[str, Callable[[Any], Any]] = {}
        for name, bind in compiled.binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                processors[name] = processor
        binds = {
            name: bind.effective_value for name, bind in compiled.binds.items() if not bind.required
        }
        types: list[TypeEngine[Any]] | None = None
        row: Callable[..., Any] | None = None
        if isinstance(self.statement, SelectBase):
            columns = list(self.statement.selected_columns)
            types = [column.type.dialect_impl(dialect) for column in columns]
            if self._named_rows:
                row = namedtuple("Row", [column.key for column in columns])  # type: ignore[misc,no-redef]
        found = _Compiled(compiled.string, binds, processors, types, row)
        self._compiled[(dialect.name, dialect.driver)] = found
        return found

    def rows(self, connection: Connection, params: Mapping[str, Any]) -> list[Any]:
        """Run the statement with `params`; its rows (named when asked), or [] when it has none."""
        if connection.dialect.name != DIALECT or _watched(connection):
            result = connection.execute(self.statement, dict(params))
            return list(result.all()) if result.returns_rows else []
        compiled = self._compile(connection.dialect)
        values = {**compiled.binds, **params} if compiled.binds else dict(params)
        for name, processor in compiled.processors.items():
            if name in values:
                values[name] = processor(values[name])
        cursor = _cursor(connection)
        try:
            cursor.execute(compiled.sql, values)
            # Whether rows came back, from the libpq result: `description` would build a column
            # object per column on every execution just to say so.
            result = cursor.pgresult
            fetched = cursor.fetchall() if result is not None and result.nfields else []
            dialect = connection.dialect
            results = self._results.get((dialect.name, dialect.driver))
            if results is None and compiled.types is not None:
                results = _result_processors(dialect, compiled, cursor)
                self._results[(dialect.name, dialect.driver)] = results
        except connection.dialect.loaded_dbapi.Error as exc:
            connection._handle_dbapi_exception(exc, compiled.sql, values, cursor, None)
        if results:
            processed = []
            for row in fetched:
                columns = list(row)
                for index, processor in results:
                    columns[index] = processor(columns[index])
                processed.append(tuple(columns))
            fetched = processed
        if compiled.row is not None:
            make = compiled.row
            return [make(*row) for row in fetched]
        return list(fetched)


_CURSOR = "spinetrack.driver_cursor"


def _cursor(connection: Connection) -> Any:
    """The driver cursor these statements run on, one per driver connection and kept with it
    (`info` lives as long as the driver connection and is emptied when the pool replaces it): a
    new cursor per statement cost about 15-20 us of CPU (its adapters map, its closing) for
    nothing. A cursor closed meanwhile (SQLAlchemy closes it when handling an error) is replaced.
    Only the thread holding the connection uses it, as with the connection itself."""
    pooled = connection.connection
    cursor = pooled.info.get(_CURSOR)
    if cursor is None or cursor.closed or cursor.connection is not pooled.dbapi_connection:
        cursor = pooled.info[_CURSOR] = pooled.cursor()
    return cursor


def _result_processors(
    dialect: Dialect, compiled: _Compiled, cursor: Any
) -> list[tuple[int, Callable[[Any], Any]]]:
    """What SQLAlchemy would apply to each result column, given the types the database reported
    (a float column's processor depends on them), as (column index, processor) for the columns
    that have one (most have none; a row is only touched where one has)."""
    assert compiled.types is not None
    return [
        (index, processor)
        for index, (kind, column) in enumerate(zip(compiled.types, cursor.description, strict=True))
        if (processor := kind.result_processor(dialect, column.type_code)) is not None
    ]


def _watched(connection: Connection) -> bool:
    """Whether someone listens to the statements sent (then they must all go through SQLAlchemy)."""
    dispatch = connection.dispatch
    return bool(dispatch.before_cursor_execute) or bool(dispatch.after_cursor_execute)
