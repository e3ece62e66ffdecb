"""The migrations build exactly the schema the tables describe, on SQLite and on PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from spinetrack.services.operations.database import Database, open_database
from spinetrack.storage.migrate import head_revision
from spinetrack.storage.name_index import describable
from spinetrack.storage.tables import Base


def test_upgrade_builds_every_table(database: Database) -> None:
    tables = set(inspect(database.engine).get_table_names())
    assert {t.name for t in Base.metadata.sorted_tables} <= tables


def test_migrated_schema_matches_the_table_definitions(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": describable}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_is_idempotent_and_reports_the_head(database: Database) -> None:
    assert database.upgrade() == head_revision()
    assert database.is_current()


def test_upgrade_creates_a_new_sqlite_file_and_its_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "nested" / "fresh.sqlite3"
    database = open_database(f"sqlite:///{path}")
    try:
        assert not database.is_current()
        assert database.upgrade() == head_revision()
        assert path.exists()
    finally:
        database.close()
