"""The audit trail is hash-chained: editing, deleting or reordering an entry is detected, and the
check names the first broken entry."""

import pytest
from sqlalchemy import text
from tests.services.test_enrol_patient import new_patient
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput
from spinetrack.services.actor import system_actor
from spinetrack.services.audit_trail import patient_access, verify_chain
from spinetrack.services.database import Database
from spinetrack.services.enrol_patient import list_patients, register_patient


def _busy_world(world: World) -> int:
    sessions = world.database.sessions
    patient = register_patient(
        sessions=sessions, actor=world.staff, clinic_id=world.clinic, patient=new_patient()
    )
    for _ in range(3):
        list_patients(
            sessions=sessions, actor=world.clinician, clinic_id=world.clinic, offset=0, limit=5
        )
    return patient.id


def _run(database: Database, sql: str) -> None:
    with database.engine.begin() as connection:
        connection.execute(text(sql))


def test_an_untouched_trail_verifies(world: World) -> None:
    _busy_world(world)
    report = verify_chain(sessions=world.database.sessions)
    assert report.intact and report.checked > 10


def test_an_edited_entry_is_named(world: World) -> None:
    _busy_world(world)
    _run(world.database, "UPDATE audit_entries SET actor = 'someone-else' WHERE seq = 7")
    report = verify_chain(sessions=world.database.sessions)
    assert (report.broken_at, report.checked) == (7, 6)
    assert "edited" in report.reason


def test_a_deleted_entry_is_named(world: World) -> None:
    _busy_world(world)
    _run(world.database, "DELETE FROM audit_entries WHERE seq = 5")
    report = verify_chain(sessions=world.database.sessions)
    assert report.broken_at == 5
    assert "missing" in report.reason


def test_two_swapped_entries_are_named(world: World) -> None:
    _busy_world(world)
    _run(world.database, "UPDATE audit_entries SET seq = -1 WHERE seq = 4")
    _run(world.database, "UPDATE audit_entries SET seq = 4 WHERE seq = 6")
    _run(world.database, "UPDATE audit_entries SET seq = 6 WHERE seq = -1")
    report = verify_chain(sessions=world.database.sessions)
    assert report.broken_at == 4


def test_entries_cut_from_the_end_are_noticed(world: World) -> None:
    _busy_world(world)
    _run(
        world.database, "DELETE FROM audit_entries WHERE seq = (SELECT MAX(seq) FROM audit_entries)"
    )
    report = verify_chain(sessions=world.database.sessions)
    assert not report.intact
    assert "removed from the end" in report.reason


def test_a_rejected_request_is_chained_too(world: World) -> None:
    _busy_world(world)
    with pytest.raises(InvalidInput):
        register_patient(
            sessions=world.database.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            patient=new_patient(),
        )
    assert verify_chain(sessions=world.database.sessions).intact


def test_who_saw_a_patient_is_listed(world: World) -> None:
    patient_id = _busy_world(world)
    records = patient_access(
        sessions=world.database.sessions, actor=system_actor("test"), patient_id=patient_id
    )
    assert (records[0].actor, records[0].action) == ("staff@north.example", "patient.create")
