"""Every use case runs inside `audited`: one transaction for the work and its audit entry.

A rejected request is rolled back and leaves only its audit entry, written in a fresh transaction.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from spinetrack.domain.errors import SpinetrackError
from spinetrack.services.actor import Actor
from spinetrack.services.errors import AccessDenied
from spinetrack.storage.tables import AuditEntry
from spinetrack.storage.unit_of_work import UnitOfWork


@dataclass
class Work:
    """What a use case hands back to the audit: the unit of work, and what it touched."""

    uow: UnitOfWork
    clinic_id: int | None
    patient_id: int | None = None
    target: str | None = None
    detail: str = ""
    outcome: str = "ok"
    """A use case that refuses without raising (to keep a counter it changed) sets "rejected"."""


def _entry(actor: Actor, action: str, outcome: str, work: Work) -> AuditEntry:
    return AuditEntry(
        actor=actor.name,
        action=action,
        outcome=outcome,
        clinic_id=work.clinic_id,
        patient_id=work.patient_id,
        target=work.target,
        remote=actor.remote,
        # A refusal's message may quote the input; a NUL in it would make PostgreSQL refuse the
        # audit entry itself.
        detail=work.detail[:2000].replace("\x00", "\\0"),
    )


@contextmanager
def audited(
    sessions: sessionmaker[Session],
    actor: Actor,
    action: str,
    *,
    clinic_id: int | None,
    patient_id: int | None = None,
) -> Iterator[Work]:
    with UnitOfWork(sessions) as uow:
        work = Work(uow=uow, clinic_id=clinic_id, patient_id=patient_id)
        try:
            yield work
            uow.audit.append(_entry(actor, action, work.outcome, work))
            uow.commit()
        except Exception as exc:
            uow.session.rollback()
            outcome = "denied" if isinstance(exc, AccessDenied) else "rejected"
            if not isinstance(exc, SpinetrackError):
                outcome = "error"
            work.detail = getattr(exc, "message", type(exc).__name__)
            if work.clinic_id is not None and uow.clinics.get(work.clinic_id) is None:
                work.clinic_id = None
            uow.audit.append(_entry(actor, action, outcome, work))
            uow.commit()
            raise
