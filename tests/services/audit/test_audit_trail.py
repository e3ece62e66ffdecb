"""Who saw a patient: every read that returned a patient's data names the patient in the trail,
so `audit show --patient` lists a whole-clinic list, worklist or export too (issue 22, point 5)."""

from pathlib import Path

from sqlalchemy import select
from tests.services.clinician.test_worklist import TODAY, operated
from tests.services.records.test_enrol_patient import new_patient
from tests.support.world import World

from spinetrack.services.access.actor import system_actor
from spinetrack.services.audit.audit_trail import patient_access, verify_chain
from spinetrack.services.clinician.worklist import Filters, open_worklist
from spinetrack.services.followup.chase_list import chase_list
from spinetrack.services.records.enrol_patient import list_patients, register_patient
from spinetrack.services.registry_io.export_registry import export_registry
from spinetrack.storage.id_ranges import contains, decode_ids, encode_ids
from spinetrack.storage.tables import AuditEntry


def _seen_by(world: World, patient_id: int) -> list[tuple[str, str]]:
    records = patient_access(
        sessions=world.database.sessions, actor=system_actor("test"), patient_id=patient_id
    )
    return [(r.actor, r.action) for r in records]


def _patients(world: World, count: int) -> list[int]:
    return [
        register_patient(
            sessions=world.database.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            patient=new_patient(f"SEEN-{i}"),
        ).id
        for i in range(count)
    ]


def test_a_page_of_the_patient_list_names_every_patient_it_returned(world: World) -> None:
    ids = _patients(world, 12)
    list_patients(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        offset=0,
        limit=500,
    )
    for patient_id in ids:
        assert ("clinician@north.example", "patient.list") in _seen_by(world, patient_id)
    assert verify_chain(sessions=world.database.sessions).intact


def test_a_later_page_names_only_its_own_patients(world: World) -> None:
    ids = _patients(world, 6)
    list_patients(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        offset=4,
        limit=2,
    )
    listed = [
        pid for pid in ids if ("clinician@north.example", "patient.list") in _seen_by(world, pid)
    ]
    assert len(listed) == 2


def test_the_worklist_and_the_chase_list_name_the_patients_they_show(world: World) -> None:
    due = operated(world, "W-1", 40)
    open_worklist(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        filters=Filters(),
        pages={},
    )
    chase_list(
        sessions=world.database.sessions, actor=world.staff, clinic_id=world.clinic, today=TODAY
    )
    seen = _seen_by(world, due)
    assert ("clinician@north.example", "worklist.read") in seen
    assert ("staff@north.example", "followup.chase_list") in seen


def test_a_csv_export_names_every_exported_patient(world: World, tmp_path: Path) -> None:
    ids = _patients(world, 5)
    export_registry(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        fmt="csv",
        out=tmp_path / "export",
    )
    for patient_id in ids:
        assert ("clinician@north.example", "registry.export") in _seen_by(world, patient_id)


def test_the_patients_a_read_returned_are_covered_by_the_chain(world: World) -> None:
    """Someone taking a patient off an entry's list is caught like any other edit."""
    ids = _patients(world, 3)
    list_patients(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        offset=0,
        limit=500,
    )
    assert verify_chain(sessions=world.database.sessions).intact
    with world.database.sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "patient.list")).one()
        assert set(decode_ids(entry.patients)) == set(ids)
        entry.patients = encode_ids(ids[1:])
        session.commit()
    report = verify_chain(sessions=world.database.sessions)
    assert not report.intact and "edited" in report.reason


def test_ranges_round_trip() -> None:
    assert encode_ids([5, 1, 2, 3, 9, 10, 3]) == "1-3,5,9-10"
    assert list(decode_ids("1-3,5,9-10")) == [1, 2, 3, 5, 9, 10]
    assert encode_ids([]) == "" and list(decode_ids("")) == []
    assert contains("1-3,5,9-10", 10) and not contains("1-3,5,9-10", 4)
