"""Read the audit trail: check its keyed hash chain, and list who touched a patient's record."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from spinetrack.config import get_settings
from spinetrack.services.access.actor import Actor
from spinetrack.services.audit.audit_log import audited, sealer
from spinetrack.storage.unit_of_work import UnitOfWorkFactory


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    entry_id: int | None
    reason: str

    @property
    def intact(self) -> bool:
        return self.broken_at is None


@dataclass(frozen=True)
class AccessRecord:
    seq: int
    at: datetime
    actor: str
    action: str
    outcome: str
    remote: str | None
    clinic_id: int | None


def verify_chain(*, sessions: UnitOfWorkFactory, checkpoints: Path | None = None) -> ChainReport:
    """Seal what is waiting, then check the chain with the key and against the last checkpoint
    (this machine's file, or a copy shipped elsewhere when `checkpoints` names one)."""
    settings = get_settings()
    sealer(sessions).seal_now()
    with sessions() as uow:
        checked, problem = uow.audit.verify(
            settings.resolved_audit_key(), checkpoints or settings.resolved_audit_checkpoint()
        )
    if problem is None:
        return ChainReport(checked, None, None, "")
    return ChainReport(checked, problem.seq, problem.entry_id, problem.reason)


def patient_access(
    *, sessions: UnitOfWorkFactory, actor: Actor, patient_id: int
) -> list[AccessRecord]:
    """Every audited event naming the patient, oldest first, including reads that returned the
    patient among others (lists, searches, exports); reading it is itself audited."""
    sealer(sessions).seal_now()
    with audited(sessions, actor, "audit.show", clinic_id=None, patient_id=patient_id) as work:
        rows = work.uow.audit.for_patient_anywhere(patient_id)
        return [
            AccessRecord(r.seq or 0, r.at, r.actor, r.action, r.outcome, r.remote, r.clinic_id)
            for r in rows
        ]
