"""Append-only access to the audit trail; every append goes through the hash chain."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from spinetrack.storage import audit_chain
from spinetrack.storage.tables import AuditEntry


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def append(self, entry: AuditEntry) -> None:
        audit_chain.append(self._session, entry)

    def for_patient_anywhere(self, patient_id: int) -> list[AuditEntry]:
        """Entries naming a patient id in any clinic: for the command line's audit show."""
        query = (
            select(AuditEntry).where(AuditEntry.patient_id == patient_id).order_by(AuditEntry.seq)
        )
        return list(self._session.scalars(query))

    def count(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(AuditEntry)) or 0)

    def verify(self) -> tuple[int, audit_chain.Break | None]:
        return audit_chain.verify(self._session)
