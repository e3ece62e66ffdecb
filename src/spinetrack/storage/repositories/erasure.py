"""Erase every patient record of one clinic (the demo reset), children before parents.

The audit trail is not touched: it records that the erasure happened and who asked for it.
"""

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from spinetrack.storage.tables import (
    AnalyticsPrepared,
    ClinicalFinding,
    Complication,
    ConsultationRequest,
    ContactAttempt,
    IdempotencyKey,
    OutboxMessage,
    Patient,
    PatientLink,
    PatientOutcome,
    PromResponse,
    ReportFinding,
    ReportText,
    Surgery,
    TriageAssessment,
)

# Children before parents, so no foreign key is ever left dangling.
_ORDER = (
    AnalyticsPrepared,  # derived from every patient's records
    PatientOutcome,  # points at its latest assessment and index surgery
    TriageAssessment,
    ClinicalFinding,
    ReportFinding,  # points at its report
    ReportText,
    ContactAttempt,  # may point at an outbox message
    OutboxMessage,  # may point at a patient link
    PatientLink,
    IdempotencyKey,  # points at the response it answered
    PromResponse,
    Complication,
    Surgery,
    Patient,
)


def erase_patient_data(session: Session, clinic_id: int) -> int:
    """Delete the clinic's patients and everything recorded about them; returns how many
    patients there were. Consultation requests stay, unlinked from the patients they became."""
    count = session.scalar(
        select(func.count()).select_from(Patient).where(Patient.clinic_id == clinic_id)
    )
    session.execute(
        update(Surgery).where(Surgery.clinic_id == clinic_id).values(revision_of_id=None)
    )
    session.execute(
        update(ConsultationRequest)
        .where(ConsultationRequest.clinic_id == clinic_id)
        .values(patient_id=None)
    )
    for table in _ORDER:
        session.execute(delete(table).where(table.clinic_id == clinic_id))
    return int(count or 0)
