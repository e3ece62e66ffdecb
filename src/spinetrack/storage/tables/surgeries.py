"""Surgeries, shaped like the registries' surgical matrix; a revision points at what it revises."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from spinetrack.storage.tables.base import Base, UtcDateTime, utcnow


class Surgery(Base):
    __tablename__ = "surgeries"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    performed_on: Mapped[date] = mapped_column(Date)
    region: Mapped[str] = mapped_column(String(16))
    procedure: Mapped[str] = mapped_column(String(32))
    approach: Mapped[str] = mapped_column(String(16))
    levels: Mapped[list[Any]] = mapped_column(JSON, default=list)
    instrumented: Mapped[bool] = mapped_column(Boolean, default=False)
    surgeon_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    revision_of_id: Mapped[int | None] = mapped_column(ForeignKey("surgeries.id"))
    revision_reason: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(Text)
    planned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Booked ahead, not yet done: kept out of outcomes, follow-up and analytics cohorts until a
    clinician records it as performed (only a planned surgery may carry a future date)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
