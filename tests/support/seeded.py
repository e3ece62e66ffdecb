"""A world with records in it, so that generated and hostile requests hit ids that exist.

Fuzzing only unknown ids exercises little beyond the 404 path; the seeded patient, surgery,
assessment and link give every path parameter a real value to aim at.
"""

from dataclasses import dataclass
from datetime import date

from tests.support.records import fusion, new_patient, odi
from tests.support.world import World

from spinetrack.services.access.patient_links import NewLink, issue_link
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.record_response import record_response
from spinetrack.services.records.register_surgery import register_surgery
from spinetrack.services.triage.assess_patient import AssessmentRequest, assess_patient


@dataclass(frozen=True)
class Seeded:
    """Ids of one operated patient's records in the world's first clinic."""

    patient: int
    surgery: int
    assessment: int
    link: int
    link_token: str


def seed(world: World, mrn: str = "SEED-1") -> Seeded:
    sessions = world.database.sessions
    patient = register_patient(
        sessions=sessions, actor=world.staff, clinic_id=world.clinic, patient=new_patient(mrn)
    ).id
    surgery = register_surgery(
        sessions=sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        surgery=fusion(performed_on=date(2025, 3, 4)),
    ).id
    for day, level in ((-10, 3), (95, 2)):
        record_response(
            sessions=sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            patient_id=patient,
            response=odi(level, day=day),
        )
    assessment = assess_patient(
        sessions=sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        request=AssessmentRequest(evaluation_date=date(2025, 6, 10)),
    ).id
    issued = issue_link(
        sessions=sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient,
        link=NewLink(instruments=["nrs_back"]),
    )
    return Seeded(patient, surgery, assessment, issued.id, issued.token)
