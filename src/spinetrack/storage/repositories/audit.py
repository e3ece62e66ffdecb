"""Append-only access to the audit trail; appends are stored unsealed and chained by the sealer."""

from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from spinetrack.storage import audit_chain
from spinetrack.storage.id_ranges import contains
from spinetrack.storage.tables import AuditEntry


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def append(self, entry: AuditEntry) -> None:
        audit_chain.append(self._session, entry)

    def append_last(self, entry: AuditEntry) -> None:
        """The transaction's last statement before commit (see `audit_chain.append_last`)."""
        audit_chain.append_last(self._session, entry)

    def for_patient_anywhere(self, patient_id: int) -> list[AuditEntry]:
        """Entries naming a patient in any clinic, as the subject or among the patients a read
        returned: for the command line's audit show. Reads every entry that lists patients; the
        command is an investigation, not a page."""
        query = (
            select(AuditEntry)
            .where(or_(AuditEntry.patient_id == patient_id, AuditEntry.patients != ""))
            .order_by(AuditEntry.seq, AuditEntry.id)
            .execution_options(yield_per=2000)
        )
        return [
            entry
            for entry in self._session.scalars(query)
            if entry.patient_id == patient_id or contains(entry.patients, patient_id)
        ]

    def count(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(AuditEntry)) or 0)

    def verify(
        self, key: bytes, checkpoint_file: Path | None
    ) -> tuple[int, audit_chain.Break | None]:
        engine = self._session.get_bind()
        checkpoint = (
            audit_chain.last_checkpoint(checkpoint_file, engine.engine)
            if checkpoint_file is not None
            else None
        )
        return audit_chain.verify(self._session, key, checkpoint)
