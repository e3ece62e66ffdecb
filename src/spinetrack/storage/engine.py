"""Database engines: embedded SQLite by default, PostgreSQL when SPINETRACK_DATABASE_URL says so."""

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets the web server read while a import writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


POOL_SIZE = 16
"""Connections kept open per process on PostgreSQL (as many again may open for bursts); the server
default `max_connections` is 100."""


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # Each web request's database work runs on one of a few threads (SPINETRACK_THREADS), one
    # transaction at a time. Connections beyond the kept pool are opened and closed per use, which
    # costs more than a request itself, so the kept pool covers the threads with room to spare.
    return create_engine(url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_SIZE)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    from spinetrack.storage.data_version import track_data_versions

    sessions = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
    track_data_versions(sessions)
    return sessions
