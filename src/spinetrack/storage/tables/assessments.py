"""Clinical findings recorded on a patient, and the triage assessments made from them.

An assessment is stored with the case it was computed from and the rules version, so it can be
reproduced; the clinician's confirmed cause and chosen treatment are kept beside it for later
comparison with what triage suggested.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from spinetrack.storage.tables.base import Base, UtcDateTime, utcnow


class ClinicalFinding(Base):
    __tablename__ = "clinical_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    finding: Mapped[str] = mapped_column(String(64))
    observed_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(String(254))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class TriageAssessment(Base):
    __tablename__ = "triage_assessments"
    __table_args__ = (Index("ix_triage_assessments_patient", "patient_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    evaluation_date: Mapped[date] = mapped_column(Date)
    rules_version: Mapped[str] = mapped_column(String(32))
    case: Mapped[dict[str, Any]] = mapped_column(JSON)
    assessment: Mapped[dict[str, Any]] = mapped_column(JSON)
    leading_cause: Mapped[str | None] = mapped_column(String(64))
    red_flags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    assessed_by: Mapped[str] = mapped_column(String(254))
    confirmed_cause: Mapped[str | None] = mapped_column(String(64))
    chosen_treatment: Mapped[str | None] = mapped_column(String(64))
    plan_note: Mapped[str | None] = mapped_column(Text)
    confirmed_by: Mapped[str | None] = mapped_column(String(254))
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
