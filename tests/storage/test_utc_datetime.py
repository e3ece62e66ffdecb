"""The one moment column type: whatever zone a moment is written in (or none, taken as UTC), it is
stored in UTC and read back aware, in UTC, on SQLite and on PostgreSQL alike."""

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select

from spinetrack.services.operations.database import Database
from spinetrack.storage.tables import Clinic

AUCKLAND_SUMMER = timezone(timedelta(hours=13))


def _stored_created_at(database: Database, moment: datetime) -> datetime:
    with database.sessions.sessionmaker.begin() as session:
        session.add(Clinic(slug="tz", name="Zones", created_at=moment))
    with database.sessions.sessionmaker() as session:
        found = session.scalar(select(Clinic.created_at).where(Clinic.slug == "tz"))
    assert found is not None
    return found


def test_a_moment_in_another_zone_comes_back_the_same_instant_in_utc(database: Database) -> None:
    written = datetime(2026, 3, 11, 9, 30, tzinfo=AUCKLAND_SUMMER)
    read = _stored_created_at(database, written)
    assert read == written
    assert read.tzinfo == UTC and read.hour == 20 and read.day == 10


def test_a_naive_moment_is_taken_as_utc(database: Database) -> None:
    read = _stored_created_at(database, datetime(2026, 3, 10, 20, 30))
    assert read == datetime(2026, 3, 10, 20, 30, tzinfo=UTC) and read.tzinfo == UTC


def test_comparisons_in_queries_use_the_instant(database: Database) -> None:
    _stored_created_at(database, datetime(2026, 3, 10, 20, 30, tzinfo=UTC))
    later_elsewhere = datetime(2026, 3, 11, 9, 31, tzinfo=AUCKLAND_SUMMER)  # 20:31 UTC
    with database.sessions.sessionmaker() as session:
        before = session.scalar(select(Clinic.slug).where(Clinic.created_at < later_elsewhere))
    assert before == "tz"
