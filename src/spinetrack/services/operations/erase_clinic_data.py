"""Erase every patient record of one clinic (the demo reset), in one audited transaction.

The audit trail itself is kept: it records that the erasure happened and who asked for it.
"""

from spinetrack.services.access.actor import Actor
from spinetrack.services.audit.audit_log import audited
from spinetrack.storage.unit_of_work import UnitOfWorkFactory


def erase_clinic_data(*, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int) -> int:
    """Returns how many patients were erased."""
    with audited(sessions, actor, "clinic.erase_patient_data", clinic_id=clinic_id) as work:
        actor.require(clinic_id, frozenset({"admin"}))
        count = work.uow.erase_patient_data(clinic_id)
        work.detail = f"erased {count} patients"
        return count
