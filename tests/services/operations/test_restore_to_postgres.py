"""A backup restores into PostgreSQL too, and the restored database keeps accepting new records
(its id sequences are moved past the restored rows)."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from tests.conftest import POSTGRES_URL, row_counts
from tests.support.records import new_patient
from tests.support.world import World, build_world

from spinetrack.services.audit.audit_trail import verify_chain
from spinetrack.services.operations.backup import backup, restore
from spinetrack.services.operations.database import Database, open_database
from spinetrack.services.records.enrol_patient import register_patient

# One scratch database per test database, so parallel workers (and people) do not share it.
SCRATCH = POSTGRES_URL.rsplit("/", 1)[1] + "_restore_check"


@pytest.fixture
def empty_postgres(postgres_database: Database) -> Database:
    admin = postgres_database.engine.execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {SCRATCH} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {SCRATCH}"))
    return open_database(POSTGRES_URL.rsplit("/", 1)[0] + f"/{SCRATCH}")


@pytest.mark.postgres
def test_a_sqlite_backup_restores_into_postgresql_and_keeps_working(
    sqlite_only: Database, empty_postgres: Database, tmp_path: Path
) -> None:
    world: World = build_world(sqlite_only)
    register_patient(
        sessions=sqlite_only.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient(),
    )
    file = tmp_path / "to-postgres.jsonl.gz"
    backup(sqlite_only, file)
    try:
        restore(empty_postgres, file)
        assert row_counts(empty_postgres) == row_counts(sqlite_only)
        assert verify_chain(sessions=empty_postgres.sessions).intact
        added = register_patient(
            sessions=empty_postgres.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            patient=new_patient("AFTER-RESTORE", birth_date=date(1980, 1, 1)),
        )
        assert added.id > 1
        assert verify_chain(sessions=empty_postgres.sessions).intact
    finally:
        empty_postgres.close()
