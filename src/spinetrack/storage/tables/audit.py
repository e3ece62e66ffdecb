"""The audit trail: who read or wrote what, when, from where, and whether it was allowed."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from spinetrack.storage.tables.base import Base, UtcDateTime, utcnow


class AuditEntry(Base):
    """One audited event. A request stores it unsealed; the sealer then gives it `seq` (its place in
    the chain) and `entry_hash`, an HMAC over its fields, `patients` and the previous hash."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int | None] = mapped_column(Integer, unique=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    entry_hash: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    clinic_id: Mapped[int | None] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int | None] = mapped_column(Integer, index=True)
    target: Mapped[str | None] = mapped_column(String(64))
    remote: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text, default="")
    patients: Mapped[str] = mapped_column(Text, default="", server_default="")
    """Patient ids a read returned beyond `patient_id`, as ranges ("3-7,12"): who saw whom."""
