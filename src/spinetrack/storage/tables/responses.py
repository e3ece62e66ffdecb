"""PROM responses: the answers as given, and the score the instrument's rules gave them."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from spinetrack.storage.tables.base import Base, UtcDateTime, utcnow


class PromResponse(Base):
    __tablename__ = "prom_responses"
    __table_args__ = (Index("ix_prom_responses_patient_instrument", "patient_id", "instrument"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    instrument: Mapped[str] = mapped_column(String(32))
    instrument_version: Mapped[str] = mapped_column(String(32))
    completed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    source: Mapped[str] = mapped_column(String(16))
    entered_by_id: Mapped[int | None] = mapped_column(Integer)
    """The user id of the account that entered the answers (a clinician typing a paper form): the
    response's FHIR author. None when the patient submitted them by a link, they were imported,
    or they predate migration 0017. No foreign key (see that migration): accounts are never
    deleted, only deactivated."""
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)
    score_status: Mapped[str] = mapped_column(String(16))
    score_answered: Mapped[int] = mapped_column(Integer)
    score_raw: Mapped[float | None] = mapped_column(Float)
    score_percent: Mapped[float | None] = mapped_column(Float)
    score_reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
