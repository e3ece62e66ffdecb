"""Declarative base with a naming convention, so migrations name constraints the same on every
database, and the one column type for moments."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A moment stored in UTC and always read back aware (tzinfo=UTC), on SQLite and PostgreSQL.

    SQLite keeps `DateTime(timezone=True)` as text without a zone and hands it back naive, and it
    writes an aware value's wall-clock digits whatever its zone; PostgreSQL's timestamptz hands it
    back in the session's zone. Converting to UTC on the way in and tagging UTC on the way out
    keeps one rule for every caller. The stored form is the one `DateTime(timezone=True)` always
    had (the code wrote UTC), so no migration is needed. A naive value written is taken as UTC,
    which is what every writer meant.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)

    @property
    def python_type(self) -> type[datetime]:
        return datetime
