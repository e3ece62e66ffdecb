"""Open one patient's record: everything stored about them, read in one audited transaction."""

from spinetrack.services.access.actor import Actor
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.records.read_models import (
    ComplicationView,
    OutcomeView,
    PatientRecord,
    PatientView,
    ResponseView,
    SurgeryView,
)
from spinetrack.storage.unit_of_work import UnitOfWorkFactory


def open_record(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, patient_id: int
) -> PatientRecord:
    with audited(
        sessions, actor, "patient.read", clinic_id=clinic_id, patient_id=patient_id
    ) as work:
        actor.require(clinic_id)
        repo = work.uow.patients(clinic_id)
        patient = repo.get(patient_id)
        outcome = repo.outcome(patient_id)
        return PatientRecord(
            patient=PatientView.model_validate(patient),
            surgeries=[SurgeryView.model_validate(s) for s in repo.surgeries(patient_id)],
            complications=[
                ComplicationView.model_validate(c) for c in repo.complications(patient_id)
            ],
            responses=[ResponseView.model_validate(r) for r in repo.responses(patient_id)],
            outcome=OutcomeView.model_validate(outcome) if outcome else None,
        )
