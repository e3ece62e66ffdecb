"""Each clinic's data version moves with every committed write of its data, and only then: an
in-place update, a bulk statement and a delete bump it; a rolled-back write, an audit entry and
another clinic's write do not."""

from datetime import UTC, date, datetime

from sqlalchemy import event, func, insert, select, update

from spinetrack.services.access.actor import system_actor
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.operations.database import Database
from spinetrack.storage.tables import (
    AnalyticsChange,
    AuditEntry,
    Clinic,
    Patient,
    PatientOutcome,
    PromResponse,
)


def _versions(database: Database) -> dict[str, int]:
    with database.sessions() as uow:
        return dict(uow.session.execute(select(Clinic.slug, Clinic.data_version)).tuples().all())


def _clinics(database: Database) -> tuple[int, int, int]:
    with database.sessions() as uow:
        north = uow.clinics.add(Clinic(slug="n", name="N"))
        south = uow.clinics.add(Clinic(slug="s", name="S"))
        patient = uow.patients(north.id).add(
            Patient(
                mrn="1",
                given_name="Ada",
                family_name="Berg",
                birth_date=date(1960, 1, 2),
                sex="female",
            )
        )
        uow.commit()
        return north.id, south.id, patient.id


def test_an_insert_bumps_only_its_own_clinic(database: Database) -> None:
    _clinics(database)
    assert _versions(database) == {"n": 1, "s": 0}


def test_an_in_place_update_bumps_the_version(database: Database) -> None:
    north, _, patient = _clinics(database)
    with database.sessions() as uow:
        uow.patients(north).get(patient).sex = "male"
        uow.commit()
    assert _versions(database) == {"n": 2, "s": 0}


def test_a_bulk_update_through_the_session_bumps_the_version(database: Database) -> None:
    north, _, _ = _clinics(database)
    with database.sessions() as uow:
        uow.session.execute(update(Patient).where(Patient.clinic_id == north).values(sex="male"))
        uow.commit()
    assert _versions(database)["n"] == 2


def test_a_delete_bumps_the_version(database: Database) -> None:
    north, _, patient = _clinics(database)
    with database.sessions() as uow:
        uow.session.delete(uow.patients(north).get(patient))
        uow.commit()
    assert _versions(database) == {"n": 2, "s": 0}


def test_a_rolled_back_write_and_an_unchanged_read_leave_it(database: Database) -> None:
    north, _, patient = _clinics(database)
    with database.sessions() as uow:
        uow.patients(north).get(patient).sex = "male"
    with database.sessions() as uow:
        found = uow.patients(north).get(patient)
        found.sex = found.sex  # set to the same value: nothing changes
        uow.commit()
    assert _versions(database) == {"n": 1, "s": 0}


def test_an_audited_read_and_a_clinic_rename_leave_it(database: Database) -> None:
    north, _, patient = _clinics(database)
    with audited(database.sessions, system_actor("test"), "patient.read", clinic_id=north) as work:
        work.uow.patients(north).get(patient)
    with database.sessions() as uow:
        assert uow.session.scalar(select(func.count()).select_from(AuditEntry)) == 1
        uow.session.execute(update(Clinic).where(Clinic.id == north).values(name="North"))
        uow.commit()
    assert _versions(database) == {"n": 1, "s": 0}


def test_a_statement_straight_on_the_sessions_connection_bumps_the_version(
    database: Database,
) -> None:
    # The hot paths (recording a response) insert with Core on the session's connection.
    north, _, patient = _clinics(database)
    with database.sessions() as uow:
        uow.session.connection().execute(
            update(Patient).where(Patient.id == patient), {"sex": "male", "clinic_id": north}
        )
        uow.commit()
    assert _versions(database) == {"n": 2, "s": 0}


def _log(database: Database) -> list[tuple[str, int, int | None]]:
    with database.sessions() as uow:
        rows = uow.session.execute(
            select(Clinic.slug, AnalyticsChange.data_version, AnalyticsChange.patient_id)
            .join(Clinic, Clinic.id == AnalyticsChange.clinic_id)
            .order_by(AnalyticsChange.id)
        )
        return [(r[0], r[1], r[2]) for r in rows]


def test_writes_of_registry_data_log_the_patients_they_touched(database: Database) -> None:
    north, _, patient = _clinics(database)
    assert _log(database) == []  # a new patient: not in the registry until operated on
    with database.sessions() as uow:  # an edit through the ORM names its patient
        uow.patients(north).get(patient).sex = "male"
        uow.commit()
    with database.sessions() as uow:  # so does a statement whose parameters name the patient
        uow.session.connection().execute(
            insert(PromResponse),
            {
                "clinic_id": north,
                "patient_id": patient,
                "instrument": "odi",
                "instrument_version": "2.1a",
                "completed_at": datetime(2026, 1, 2, tzinfo=UTC),
                "source": "clinic",
                "answers": {},
                "score_status": "ok",
                "score_answered": 10,
                "score_raw": 10.0,
                "score_percent": 20.0,
            },
        )
        uow.commit()
    # One row per patient, at the newest version that touched them (migration 0020).
    assert _log(database) == [("n", 3, patient)]


def test_the_log_keeps_one_row_per_patient_however_many_writes(database: Database) -> None:
    north, _, patient = _clinics(database)
    with database.sessions() as uow:
        other = uow.patients(north).add(
            Patient(
                mrn="2",
                given_name="Bo",
                family_name="Lund",
                birth_date=date(1950, 3, 4),
                sex="male",
            )
        )
        uow.commit()
        other_id = other.id
    for n in range(5):
        with database.sessions() as uow:
            uow.patients(north).get(patient).sex = "male" if n % 2 == 0 else "female"
            if n == 3:
                uow.patients(north).get(other_id).sex = "female"
            uow.commit()
    log = _log(database)
    versions = _versions(database)
    assert set(log) == {("n", versions["n"], patient), ("n", versions["n"] - 1, other_id)}
    assert len(log) == 2
    assert versions["s"] == 0


def test_a_row_for_every_patient_replaces_the_clinics_older_rows(database: Database) -> None:
    north, _, patient = _clinics(database)
    with database.sessions() as uow:
        uow.patients(north).get(patient).sex = "male"
        uow.commit()
    assert _log(database) == [("n", 2, patient)]
    with database.sessions() as uow:
        uow.session.execute(
            update(Patient).where(Patient.clinic_id == north).values(sex="female"),
            {"clinic_id": north},
        )
        uow.commit()
    with database.sessions() as uow:
        uow.session.execute(
            update(Patient).where(Patient.clinic_id == north).values(sex="male"),
            {"clinic_id": north},
        )
        uow.commit()
    assert _log(database) == [("n", 4, None)]
    with database.sessions() as uow:  # a later named patient is logged beside it
        uow.patients(north).get(patient).sex = "female"
        uow.commit()
    assert _log(database) == [("n", 4, None), ("n", 5, patient)]


def test_a_write_by_where_clause_logs_every_patient(database: Database) -> None:
    north, _, _ = _clinics(database)
    with database.sessions() as uow:
        uow.session.execute(update(Patient).where(Patient.clinic_id == north).values(sex="male"))
        uow.commit()
    assert _log(database) == [("n", 2, None), ("s", 1, None)]


def test_other_writes_bump_the_version_but_log_nothing(database: Database) -> None:
    north, _, patient = _clinics(database)
    with database.sessions() as uow:
        uow.patients(north).get(patient).given_name = "Ida"  # the patients table is an input
        uow.commit()
    assert _log(database) == [("n", 2, patient)]
    with database.sessions() as uow:
        uow.session.execute(
            update(PatientOutcome).where(PatientOutcome.clinic_id == north).values(red_flag=True)
        )
        uow.commit()
    assert _versions(database)["n"] == 3
    assert _log(database) == [("n", 2, patient)]


def test_a_rolled_back_write_logs_nothing(database: Database) -> None:
    north, _, patient = _clinics(database)
    with database.sessions() as uow:
        uow.patients(north).get(patient).sex = "male"
        uow.flush()
        uow.rollback()
    assert _log(database) == []


def test_an_audited_write_stores_its_entry_whether_or_not_the_bump_carries_it(
    database: Database,
) -> None:
    """On PostgreSQL the entry of a one-clinic write rides in the bump's statement (one round trip
    fewer); a write by a WHERE clause (every clinic), or any write on SQLite, inserts it on its
    own. Either way: one entry as written, each clinic bumped once, the patients logged."""
    north, _, patient = _clinics(database)
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        with audited(database.sessions, system_actor("t"), "patient.edit", clinic_id=north) as work:
            work.uow.patients(north).get(patient).sex = "male"
            work.target = f"patient:{patient}"
        assert _log(database) == [("n", 2, patient)]
        with audited(database.sessions, system_actor("t"), "every.clinic", clinic_id=None) as work:
            work.uow.session.execute(
                update(Patient).where(Patient.id == patient).values(sex="female")
            )
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
    folded = [s for s in statements if "INSERT INTO audit_entries" in s and "bumped" in s]
    assert len(folded) == (1 if database.engine.dialect.name == "postgresql" else 0)
    with database.sessions() as uow:
        entries = uow.session.execute(
            select(AuditEntry.action, AuditEntry.clinic_id, AuditEntry.target, AuditEntry.actor)
            .where(AuditEntry.action.in_(["patient.edit", "every.clinic"]))
            .order_by(AuditEntry.id)
        ).all()
    assert [tuple(e) for e in entries] == [
        ("patient.edit", north, f"patient:{patient}", "t"),
        ("every.clinic", None, None, "t"),
    ]
    assert _versions(database) == {"n": 3, "s": 1}
    assert _log(database) == [("n", 3, None), ("s", 1, None)]
