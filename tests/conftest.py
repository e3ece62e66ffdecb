"""Shared fixtures: a migrated database on SQLite always and on PostgreSQL when it answers.

Set SPINETRACK_TEST_POSTGRES=required (CI does) to fail instead of skipping when PostgreSQL is down.
Under pytest-xdist (`make test` runs workers in parallel) every worker has a PostgreSQL database
of its own, named after the configured one plus the worker id (test_gw0, test_gw1, ...), created by
the session that needs it, so workers never truncate each other's tables.
"""

import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text
from tests.support.browser import browser, playwright
from tests.support.snapshot import saved_world
from tests.support.world import World

from spinetrack.config import get_settings
from spinetrack.services.access import accounts
from spinetrack.services.audit import audit_log
from spinetrack.services.operations.database import Database, open_database
from spinetrack.storage.tables import Base

# Fixtures shared by tests in several folders (the local SMTP catcher of the outbox tests), and
# the rule that only the domain's own tests are traced for its coverage floor, and one event loop
# per test for the TestClients used without `with`.
pytest_plugins = [
    "tests.support.smtp",
    "tests.support.coverage_scope",
    "tests.support.event_loop",
]

__all__ = ["browser", "playwright"]
"""Session fixtures shared by tests/e2e and tests/interop (one Chromium per run)."""

BASE_POSTGRES_URL = os.environ.get(
    "SPINETRACK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def worker_postgres_url(base: str, worker: str | None) -> str:
    """The database this test process uses: the configured one, or under xdist the configured
    one's name plus ``_<worker id>``."""
    if not worker:
        return base
    server, name = base.rsplit("/", 1)
    return f"{server}/{name}_{worker}"


POSTGRES_URL = worker_postgres_url(BASE_POSTGRES_URL, os.environ.get("PYTEST_XDIST_WORKER"))


def _postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return True
    except OSError:
        return False


def _prepare_postgres_database() -> None:
    """Create this worker's database from the configured one when it does not exist yet, and
    let the commits of this session's database return before their WAL reaches the disk.

    Without the wait for the disk a test's dozens of commits cost a round trip each instead of
    an fsync each (building the test world took half the time); only a crash of the PostgreSQL
    server itself, which no test causes, could lose the last commits, of a database whose schema
    every session drops and every test empties anyway."""
    name = POSTGRES_URL.rsplit("/", 1)[1]
    admin = create_engine(BASE_POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            if POSTGRES_URL != BASE_POSTGRES_URL:
                exists = connection.execute(
                    text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
                ).first()
                if exists is None:
                    connection.execute(text(f'CREATE DATABASE "{name}"'))
            connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    finally:
        admin.dispose()


def _migrated_postgres() -> Database:
    _prepare_postgres_database()
    database = open_database(POSTGRES_URL)
    with database.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    database.upgrade()
    return database


LONG_MARKERS = frozenset({"fuzz", "crash"})


def _start_order(item: pytest.Item) -> int:
    """0 for the long tests (fuzzing, crash, slow), 1 for those driving Chromium, 2 for the rest."""
    if LONG_MARKERS.intersection(marker.name for marker in item.iter_markers()):
        return 0
    return 1 if "browser" in getattr(item, "fixturenames", ()) else 2


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Start the long tests first: with parallel workers the short ones then fill the gaps around
    them instead of one long test running alone at the end (the sort is stable, so modules stay
    together within each group)."""
    items.sort(key=_start_order)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with its smallest cost, so tests are fast; production keeps the library defaults.

    The verification code path is unchanged: argon2 reads the cost from each stored hash.
    """
    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture(autouse=True)
def audit_key_and_checkpoints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """One audit key for the test and any server it starts; checkpoints of its own, since the
    databases are emptied between tests and an earlier test's head would read as a cut chain."""
    monkeypatch.setenv("SPINETRACK_AUDIT_KEY", "test-audit-key-0123456789abcdef")
    monkeypatch.setenv("SPINETRACK_AUDIT_CHECKPOINT", str(tmp_path / "audit_checkpoints.jsonl"))
    get_settings.cache_clear()
    audit_log._folders.clear()  # refusal counts of an earlier test belong to its emptied database
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[Database]:
    if not _postgres_answers():
        if os.environ.get("SPINETRACK_TEST_POSTGRES") == "required":
            pytest.fail("PostgreSQL on 127.0.0.1:5432 does not answer and is required")
        pytest.skip(
            "PostgreSQL on 127.0.0.1:5432 does not answer; storage tests ran on SQLite only"
        )
    database = _migrated_postgres()
    yield database
    database.close()


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path: Path = tmp_path_factory.mktemp("db") / "spinetrack.sqlite3"
    database = open_database(f"sqlite:///{path}")
    database.upgrade()
    yield database
    database.close()


_POSTGRES_EMPTYING: dict[str, str] = {}
"""The statements that empty a PostgreSQL test database, by URL (its sequences are read once)."""


def _postgres_emptying(database: Database) -> str:
    """Delete every row, children before parents, and restart every sequence at 1, in one round
    trip. TRUNCATE would do the same but replaces the files of all 31 tables and their indexes
    each time: 0.6-1 s a test against about 10 ms for deleting the few rows a test writes."""
    url = database.url
    if url not in _POSTGRES_EMPTYING:
        with database.engine.connect() as connection:
            sequences = connection.execute(
                text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
            ).scalars()
            restarts = [f"SELECT setval('{name}', 1, false)" for name in sequences]
        deletes = [f"DELETE FROM {t.name}" for t in reversed(Base.metadata.sorted_tables)]
        _POSTGRES_EMPTYING[url] = "; ".join(deletes + restarts)
    return _POSTGRES_EMPTYING[url]


def _empty(database: Database) -> None:
    with database.engine.begin() as connection:
        if database.engine.dialect.name == "postgresql":
            connection.execute(text(_postgres_emptying(database)))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(text(f"DELETE FROM {table.name}"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest) -> Database:
    """An empty, migrated database; every test that takes it runs on SQLite and on PostgreSQL."""
    chosen: Database = request.getfixturevalue(f"{request.param}_database")
    _empty(chosen)
    return chosen


@pytest.fixture
def sqlite_only(sqlite_database: Database) -> Database:
    """For tests that need a database but whose subject does not depend on which one."""
    _empty(sqlite_database)
    return sqlite_database


@pytest.fixture
def postgres_only(postgres_database: Database) -> Database:
    """An empty PostgreSQL database, for a test that sends the same requests to both dialects
    itself; skips as `postgres_database` does when PostgreSQL does not answer."""
    _empty(postgres_database)
    return postgres_database


def row_counts(database: Database) -> dict[str, int]:
    """How many rows each table holds: the before/after check of 'a rejected request changes nothing'."""
    with database.engine.connect() as connection:
        return {
            t.name: int(connection.execute(text(f"SELECT COUNT(*) FROM {t.name}")).scalar_one())
            for t in Base.metadata.sorted_tables
        }


@pytest.fixture
def world(database: Database) -> World:
    """Two clinics and one user per role, on each database (built once per database and process,
    then restored: see `saved_state`); a fresh World object per test, in case one changes it."""
    return saved_world(database)
