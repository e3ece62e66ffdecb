"""Database engines: embedded SQLite by default, PostgreSQL when SPINETRACK_DATABASE_URL says so."""

import contextlib
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
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
    # The driver would open its transaction lazily, at the first write; we emit our own BEGIN.
    dbapi_connection.isolation_level = None


def _sqlite_begin(connection: Connection) -> None:
    """Start SQLite transactions with BEGIN IMMEDIATE (SQLAlchemy's documented pysqlite recipe).

    A deferred transaction reads a snapshot and only asks for the write lock at its first write,
    so two requests could both see a link unused (or a counter at 4) and both act on it: SQLite
    ignores FOR UPDATE. Taking the write lock at BEGIN makes read-then-write work serialise like
    PostgreSQL's row locks; readers are unaffected in WAL mode. Connections in autocommit mode
    (per-request sign-in lookups) open no transaction at all, and work that only reads may ask
    for a deferred one (`READ_ONLY`), so a long read such as a backup never holds up writers."""
    options = connection.get_execution_options()
    if options.get("isolation_level") == "AUTOCOMMIT":
        return
    connection.exec_driver_sql("BEGIN" if options.get(READ_ONLY) else "BEGIN IMMEDIATE")


READ_ONLY = "spinetrack_read_only"
"""Execution option: this connection's transaction only reads (SQLite then begins it deferred)."""


def _private_file(path: Path) -> None:
    """Create the SQLite file readable by its owner only: it holds every patient's record, and
    SQLite gives its journal and WAL files the same permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


POOL_SIZE = 16
"""Connections kept open per process on PostgreSQL (as many again may open for bursts); the server
default `max_connections` is 100."""


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _private_file(Path(parsed.database))
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # Each web request's database work runs on one of a few threads (SPINETRACK_THREADS), one
    # transaction at a time. Connections beyond the kept pool are opened and closed per use, which
    # costs more than a request itself, so the kept pool covers the threads with room to spare.
    # No pre-ping: it costs a round trip on every checkout (two per submission, one for signing
    # in and one for the work). After a database restart the first statement on a stale
    # connection fails instead; SQLAlchemy then discards every pooled connection at once, so each
    # process answers one request with an error and recovers (clients resend submissions with
    # their Idempotency-Key).
    return create_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_SIZE)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    from spinetrack.storage.data_version import track_data_versions

    sessions = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
    track_data_versions(sessions)
    return sessions


def ping(engine: Engine) -> None:
    """Raise unless the database answers a trivial query (the health check)."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
