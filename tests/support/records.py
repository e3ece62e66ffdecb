"""Patients, surgeries and answers that service, web and API tests build the same way."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tests.support.world import World

from spinetrack.services.records.enrol_patient import NewPatient, register_patient
from spinetrack.services.records.record_response import NewResponse, record_response
from spinetrack.services.records.register_surgery import (
    NewSurgery,
    register_surgery,
)


def new_patient(mrn: str = "A100", **changes: object) -> NewPatient:
    data: dict[str, object] = {
        "mrn": mrn,
        "given_name": "Ingrid",
        "family_name": "Dahl",
        "birth_date": date(1961, 5, 17),
        "sex": "female",
        "email": "ingrid@example.org",
    }
    data.update(changes)
    return NewPatient.model_validate(data)


def fusion(**changes: object) -> NewSurgery:
    data: dict[str, object] = {
        "performed_on": date(2025, 3, 4),
        "region": "lumbar",
        "procedure": "fusion",
        "approach": "posterior",
        "levels": ["l4-l5", "L5-S1"],
        "instrumented": True,
    }
    data.update(changes)
    return NewSurgery.model_validate(data)


SURGERY_DAY = date(2025, 3, 4)


def odi(level: int, *, day: int, missing: int = 0) -> NewResponse:
    answers: dict[str, int | float | None] = {f"odi_{i}": level for i in range(1, 11)}
    for i in range(1, missing + 1):
        answers[f"odi_{i}"] = None
    moment = datetime.combine(SURGERY_DAY + timedelta(days=day), datetime.min.time(), UTC)
    return NewResponse(instrument="odi", completed_at=moment, answers=answers)


def operated_patient(world: World, surgery_day: date = SURGERY_DAY) -> int:
    """A registered patient with one lumbar fusion on `surgery_day`."""
    patient_id = register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient(),
    ).id
    register_surgery(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient_id,
        surgery=fusion(performed_on=surgery_day),
    )
    return patient_id


TODAY = date.today()


def operated(world: World, mrn: str, days_ago: int, **surgery: object) -> int:
    sessions = world.database.sessions
    patient = register_patient(
        sessions=sessions, actor=world.staff, clinic_id=world.clinic, patient=new_patient(mrn)
    ).id
    register_surgery(
        sessions=sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        surgery=fusion(
            performed_on=TODAY - timedelta(days=days_ago), surgeon_id=world.surgeon_id, **surgery
        ),
    )
    return patient


def failing(world: World, mrn: str) -> int:
    """Operated 100 days ago, ODI 60 % before and 60 % at 3 months: failing."""
    patient = operated(world, mrn, 100)
    surgery_day = TODAY - timedelta(days=100)
    answer(world, patient, 3, surgery_day - timedelta(days=5))
    answer(world, patient, 3, surgery_day + timedelta(days=91))
    return patient


def due_patient(world: World, mrn: str, *, days_after_surgery: int = 40, **patient: Any) -> int:
    patient_id = register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient(mrn, **patient),
    ).id
    register_surgery(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient_id,
        surgery=fusion(performed_on=date.today() - timedelta(days=days_after_surgery)),
    )
    return patient_id


def odi_on(level: int, day: date) -> NewResponse:
    # Never later than now: a test run before 10:00 UTC must not answer "in the future".
    moment = min(datetime.combine(day, time(10, 0), UTC), datetime.now(UTC))
    return NewResponse(
        instrument="odi", completed_at=moment, answers={f"odi_{i}": level for i in range(1, 11)}
    )


def answer(world: World, patient: int, level: int, day: date) -> None:
    record_response(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient,
        response=odi_on(level, day),
    )
