"""Each clinic's data version moves with every committed write of its data, and only then: an
in-place update, a bulk statement and a delete bump it; a rolled-back write, an audit entry and
another clinic's write do not."""

from datetime import date

from sqlalchemy import func, select, update

from spinetrack.services.access.actor import system_actor
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.operations.database import Database
from spinetrack.storage.tables import AuditEntry, Clinic, Patient


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
