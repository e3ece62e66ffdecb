"""The patient search reads indexes, never the whole clinic: SQLite's FTS5 name table and
PostgreSQL's trigram index for names, b-tree indexes for MRN and birth date. Migration 0016 builds
the name index over the patients already stored, and takes it away again on downgrade."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from alembic import command
from sqlalchemy import event, inspect, text
from tests.support.records import new_patient
from tests.support.world import World

from spinetrack.demo.cohort import generate_cohort
from spinetrack.demo.load import to_imports
from spinetrack.domain.errors import InvalidInput
from spinetrack.services.access.actor import system_actor
from spinetrack.services.operations.database import Database
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.patient_search import search_patients
from spinetrack.services.registry_io.import_patients import import_patients
from spinetrack.storage.migrate import alembic_config
from spinetrack.storage.name_index import FTS_TABLE, INSERT_TRIGGER, TRIGRAM_INDEX
from spinetrack.storage.tables import Patient


def _mrns(world: World, query: str) -> list[str]:
    found = search_patients(
        sessions=world.database.sessions, actor=world.staff, clinic_id=world.clinic, text=query
    )
    return [p.mrn for p in found.results.items]


@contextmanager
def _statements(database: Database) -> Iterator[list[tuple[str, Any]]]:
    """The SELECTs run on the database meanwhile, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def keep(_c: Any, _cur: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "patients" in statement:
            seen.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", keep)


def _plans(database: Database, query: str, world: World) -> str:
    """The query plans of the search's statements, as one text."""
    with _statements(database) as seen:
        _mrns(world, query)
    postgres = database.engine.dialect.name == "postgresql"
    plans: list[str] = []
    with database.engine.connect() as connection:
        for statement, parameters in seen:
            explain = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
            rows = connection.exec_driver_sql(explain + statement, parameters).all()
            plans.append("\n".join(" ".join(str(v) for v in row) for row in rows))
    return "\n".join(plans)


@pytest.fixture
def crowded(enrolled: World) -> World:
    """Two thousand more patients, measured: on a handful of rows a planner rightly prefers to
    read them all, so the plans are asked of a clinic big enough for an index to pay. On
    PostgreSQL the table is vacuumed first: the test databases are emptied with DELETE, and the
    dead rows of an earlier test's two thousand would weigh in the planner's costs."""
    if enrolled.database.engine.dialect.name == "postgresql":
        autocommit = enrolled.database.engine.execution_options(isolation_level="AUTOCOMMIT")
        with autocommit.connect() as connection:
            connection.execute(text("VACUUM patients"))
    rows = [
        {
            "mrn": f"C{n:05d}",
            "given_name": f"Given{n}",
            "family_name": f"Family{n}",
            "birth_date": date(1940 + n % 60, 1 + n % 12, 1 + n % 28),
            "sex": "unknown",
        }
        for n in range(2000)
    ]
    with enrolled.database.sessions() as uow:
        uow.patients(enrolled.clinic).bulk_insert(Patient, rows)
        uow.refresh_statistics()
        uow.commit()
    return enrolled


@pytest.fixture
def enrolled(world: World) -> World:
    for mrn, given, family, born in (
        ("K1", "José", "Núñez", date(1961, 5, 17)),
        ("K2", "Ana", "Jones", date(1970, 1, 2)),
    ):
        register_patient(
            sessions=world.database.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            patient=new_patient(mrn, given_name=given, family_name=family, birth_date=born),
        )
    return world


def test_a_name_search_reads_the_name_index(crowded: World) -> None:
    plans = _plans(crowded.database, "nunez", crowded)
    if crowded.database.engine.dialect.name == "postgresql":
        assert TRIGRAM_INDEX in plans
        assert "Seq Scan on patients" not in plans
    else:
        assert "VIRTUAL TABLE INDEX" in plans and FTS_TABLE in plans
        assert "SCAN patients" not in plans


def test_mrn_and_birth_date_searches_read_b_tree_indexes(crowded: World) -> None:
    for query in ("K1", "17 May 1961"):
        plans = _plans(crowded.database, query, crowded)
        assert "Seq Scan on patients" not in plans and "SCAN patients" not in plans, plans
    assert "ix_patients_clinic_birth_date" in _plans(crowded.database, "1961-05-17", crowded)


def test_migration_0016_indexes_the_patients_already_stored(enrolled: World) -> None:
    database = enrolled.database
    config = alembic_config(database.engine.url.render_as_string(hide_password=False))
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0015")
    try:
        names = set(inspect(database.engine).get_table_names())
        indexes = {i["name"] for i in inspect(database.engine).get_indexes("patients")}
        assert FTS_TABLE not in names and "ix_patients_clinic_birth_date" not in indexes
    finally:
        database.upgrade()
    assert _mrns(enrolled, "núñez") == ["K1"] and _mrns(enrolled, "jon") == ["K2"]


def test_the_sqlite_name_table_holds_one_row_per_patient(enrolled: World) -> None:
    if enrolled.database.engine.dialect.name != "sqlite":
        pytest.skip("FTS5 is SQLite's")
    with enrolled.database.engine.connect() as connection:
        check = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)"
        connection.execute(text(check))  # raises when the index and the patients differ
        count = connection.execute(text(f"SELECT count(*) FROM {FTS_TABLE}")).scalar_one()
    assert count == 2


def _trigger(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return connection.execute(
            text("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = :name"),
            {"name": INSERT_TRIGGER},
        ).scalar()


def test_a_bulk_import_indexes_its_names_at_the_end_and_keeps_the_trigger(
    enrolled: World,
) -> None:
    """The import fills the name table in one statement (SQLite) and sets the insert trigger
    back as it was, after a refused import too; the index then holds every patient, found by
    name as one registered alone is."""
    database = enrolled.database
    sqlite = database.engine.dialect.name == "sqlite"
    trigger = _trigger(database) if sqlite else None
    cohort = generate_cohort(40, seed=3, today=date(2026, 6, 1))
    imports = to_imports(cohort, [enrolled.surgeon_id] * len(cohort.surgeons))
    bad = to_imports(cohort, [enrolled.surgeon_id] * len(cohort.surgeons))
    bad[30].patient.mrn = bad[2].patient.mrn
    with pytest.raises(InvalidInput):
        import_patients(
            sessions=database.sessions,
            actor=system_actor("test"),
            clinic_id=enrolled.clinic,
            patients=bad,
            chunk=10,
        )
    import_patients(
        sessions=database.sessions,
        actor=system_actor("test"),
        clinic_id=enrolled.clinic,
        patients=imports,
        chunk=10,
    )
    register_patient(
        sessions=database.sessions,
        actor=enrolled.staff,
        clinic_id=enrolled.clinic,
        patient=new_patient("K3", given_name="Zoltan", family_name="Quirke"),
    )
    someone = cohort.patients[17]
    assert someone.mrn in _mrns(enrolled, f"{someone.given_name} {someone.family_name}")
    assert _mrns(enrolled, "quirke") == ["K3"] and _mrns(enrolled, "núñez") == ["K1"]
    if sqlite:
        assert _trigger(database) == trigger is not None
        with database.engine.connect() as connection:
            check = f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)"
            connection.execute(text(check))
            count = connection.execute(text(f"SELECT count(*) FROM {FTS_TABLE}")).scalar_one()
        assert count == 2 + 40 + 1
