"""A backup taken while questionnaires keep arriving restores to a database whose audit trail
verifies and which holds every write acknowledged before the backup started."""

import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path

from tests.support.records import fusion, new_patient
from tests.support.world import World

from spinetrack.services.audit.audit_trail import verify_chain
from spinetrack.services.operations.backup import backup, restore
from spinetrack.services.operations.database import open_database
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.record_response import NewResponse, record_response
from spinetrack.services.records.register_surgery import register_surgery
from spinetrack.storage.tables import PromResponse


def test_backup_under_write_load_restores_whole_and_verifies(world: World, tmp_path: Path) -> None:
    sessions = world.database.sessions
    patient_id = register_patient(
        sessions=sessions, actor=world.staff, clinic_id=world.clinic, patient=new_patient()
    ).id
    register_surgery(
        sessions=sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient_id,
        surgery=fusion(performed_on=date(2025, 1, 10)),
    )
    acknowledged: list[tuple[int, float]] = []
    stop = threading.Event()

    def keep_writing() -> None:
        n = 0
        while not stop.is_set() and n < 400:
            n += 1
            view = record_response(
                sessions=sessions,
                actor=world.staff,
                clinic_id=world.clinic,
                patient_id=patient_id,
                response=NewResponse(
                    instrument="nrs_back",
                    completed_at=datetime(2025, 3, 1, tzinfo=UTC),
                    answers={"nrs_back": n % 11},
                ),
            )
            acknowledged.append(
                (view.id, threading.get_native_id() and __import__("time").monotonic())
            )

    writer = threading.Thread(target=keep_writing)
    writer.start()
    while len(acknowledged) < 20:
        time.sleep(0.01)
    started = time.monotonic()
    file = tmp_path / "under-load.jsonl.gz"
    backup(world.database, file)
    stop.set()
    writer.join()

    target = open_database(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    try:
        restore(target, file)
        report = verify_chain(sessions=target.sessions)
        assert report.intact, report.reason
        with target.sessions() as uow:
            present = {r.id for r in uow.patients(world.clinic).every(PromResponse)}
    finally:
        target.close()
    before_backup = {response_id for response_id, at in acknowledged if at < started}
    assert len(before_backup) >= 20
    assert before_backup <= present
