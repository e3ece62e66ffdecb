"""Append-only access to the audit trail."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from spinetrack.storage.tables import AuditEntry


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def append(self, entry: AuditEntry) -> None:
        self._session.add(entry)
        self._session.flush()

    def for_patient(self, clinic_id: int, patient_id: int) -> list[AuditEntry]:
        query = (
            select(AuditEntry)
            .where(AuditEntry.clinic_id == clinic_id, AuditEntry.patient_id == patient_id)
            .order_by(AuditEntry.id)
        )
        return list(self._session.scalars(query))

    def count(self) -> int:
        return len(list(self._session.scalars(select(AuditEntry.id))))
