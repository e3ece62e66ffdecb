"""Recompute every stored outcome row of a clinic from its record, under the rules now in force.

Outcome rows are recomputed on each write that touches a patient, so they follow the record; but
when `knowledge/outcomes/` changes (a threshold, a window, the losing-ground rule) or an upgrade
adds a column such as `losing_ground`, rows nobody has written to since keep the old answer. This
brings them all up to date in one audited transaction."""

from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.records.patient_status import refresh_outcome
from spinetrack.storage.tables import Patient
from spinetrack.storage.unit_of_work import UnitOfWorkFactory


def refresh_clinic_outcomes(*, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int) -> int:
    """Recompute the outcome row of every patient of the clinic; returns how many."""
    with audited(sessions, actor, "outcomes.refresh_clinic", clinic_id=clinic_id) as work:
        actor.require(clinic_id, frozenset({"admin"}))
        repo = work.uow.patients(clinic_id)
        today = clinic_today(work.uow, clinic_id)
        ids = [patient.id for patient in repo.every(Patient)]
        for patient_id in ids:
            refresh_outcome(repo, patient_id, today)
        work.detail = f"recomputed {len(ids)} outcome rows on {today.isoformat()}"
        return len(ids)
