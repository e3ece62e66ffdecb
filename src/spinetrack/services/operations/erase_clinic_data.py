"""Erase every patient record of one clinic (the demo reset), in one audited transaction.

The audit trail itself is kept: it records that the erasure happened and who asked for it.
"""

from sqlalchemy import delete, func, select, update

from spinetrack.services.access.actor import Actor
from spinetrack.services.audit.audit_log import audited
from spinetrack.storage.tables import (
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
    Surgery,
    TriageAssessment,
)
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

# Children before parents, so no foreign key is ever left dangling.
_ORDER = (
    PatientOutcome,  # points at its latest assessment and index surgery
    TriageAssessment,
    ClinicalFinding,
    ContactAttempt,  # may point at an outbox message
    OutboxMessage,  # may point at a patient link
    PatientLink,
    IdempotencyKey,  # points at the response it answered
    PromResponse,
    Complication,
    Surgery,
    Patient,
)


def erase_clinic_data(*, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int) -> int:
    """Returns how many patients were erased."""
    with audited(sessions, actor, "clinic.erase_patient_data", clinic_id=clinic_id) as work:
        actor.require(clinic_id, frozenset({"admin"}))
        session = work.uow.session
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
        work.detail = f"erased {count} patients"
        return int(count or 0)
