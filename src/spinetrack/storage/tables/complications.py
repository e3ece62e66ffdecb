"""Complications, kept separately as the surgeon and the patient report them (they often disagree)."""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from spinetrack.storage.tables.base import Base, UtcDateTime, utcnow


class Complication(Base):
    __tablename__ = "complications"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    surgery_id: Mapped[int] = mapped_column(ForeignKey("surgeries.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    reported_by: Mapped[str] = mapped_column(String(16))
    occurred_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
