"""Consultation requests: what a patient sends from the public /consult page.

A request is not a patient record: it has no MRN and may never become one. Staff read it in the
clinic's inbox and either convert it into a patient (`patient_id` then points at the new record)
or close it. Red-flag answers are kept so the inbox can put urgent requests first.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from spinetrack.storage.tables.base import Base, UtcDateTime, utcnow


class ConsultationRequest(Base):
    __tablename__ = "consultation_requests"
    __table_args__ = (
        Index("ix_consultation_requests_inbox", "clinic_id", "status", "urgent", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    """Short code shown to the patient so they can quote it when they call."""
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    red_flags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    region: Mapped[str] = mapped_column(String(8))
    """'neck', 'back' or 'both'."""
    surgery_when: Mapped[str | None] = mapped_column(String(64))
    surgery_what: Mapped[str | None] = mapped_column(Text)
    symptoms: Mapped[str] = mapped_column(Text)
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None] = mapped_column(Date)
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    contact_preference: Mapped[str] = mapped_column(String(16), default="phone")
    consent_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(16), default="new")
    """'new', 'contacted', 'converted' or 'closed'."""
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"))
    handled_by: Mapped[str | None] = mapped_column(String(254))
    handled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    sender: Mapped[str | None] = mapped_column(String(64))
    """The address the request came from: the inbox folds a burst from one address into one row."""
    staff_note: Mapped[str | None] = mapped_column(Text)
    """What staff noted when they last handled the request (a call, an appointment)."""
