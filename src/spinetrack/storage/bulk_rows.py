"""Rows for a bulk INSERT, made uniform so the driver gets them in batches.

SQLAlchemy's ORM bulk insert leaves a column out of a row whose value is None, then groups rows
by the columns they name: rows with None in different places became separate statements, and
the demo clinic's 100,000 patients went to the database nearly one INSERT per row. With
``render_nulls`` every row names every column and one batched statement takes them all; the
columns' defaults are applied here so that a missing or None value still means "the default",
exactly as it did.
"""

from typing import Any

from sqlalchemy import Insert, insert
from sqlalchemy.orm import Session


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
    for group in groups.values():
        session.execute(statement, group)
