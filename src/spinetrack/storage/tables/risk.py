"""The pre-operative record (one row per patient), the clinic's fitted outcome models (every refit
kept, so the analyst sees the history and drift) and the predictions shown, each naming its model."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from spinetrack.storage.tables.base import Base, UtcDateTime, utcnow


class PreopRecord(Base):
    """Predictors known before the operation; a NULL is unknown, never "no"."""

    __tablename__ = "preop_records"

    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True
    )
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    bmi: Mapped[float | None] = mapped_column(Float)
    asa: Mapped[int | None] = mapped_column(Integer)
    smoker: Mapped[bool | None] = mapped_column(Boolean)
    diabetes: Mapped[bool | None] = mapped_column(Boolean)
    symptom_duration_months: Mapped[float | None] = mapped_column(Float)
    prior_spine_surgery: Mapped[bool | None] = mapped_column(Boolean)
    compensation_claim: Mapped[bool | None] = mapped_column(Boolean)
    psychological_distress: Mapped[bool | None] = mapped_column(Boolean)
    phq9: Mapped[int | None] = mapped_column(Integer)
    gad7: Mapped[int | None] = mapped_column(Integer)
    opioid_use: Mapped[bool | None] = mapped_column(Boolean)
    baseline_pain_axial: Mapped[int | None] = mapped_column(Integer)
    baseline_pain_limb: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(254))


class RiskModel(Base):
    """One fitted model of a clinic: the model file's JSON, its validation and drift figures."""

    __tablename__ = "risk_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    version_id: Mapped[str] = mapped_column(String(64), unique=True)
    fitted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    fitted_by: Mapped[str] = mapped_column(String(254))
    n_patients: Mapped[int] = mapped_column(Integer)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The corrected validation figures of `improved` and `pass` (what the pages list)."""
    drift: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """compare_models(previous, this, latest cohort), None for a clinic's first model."""
    model_json: Mapped[str] = mapped_column(Text)


class RiskPrediction(Base):
    """A prediction shown or returned for a stored patient, and the model version that made it."""

    __tablename__ = "risk_predictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), index=True
    )
    model_version: Mapped[str] = mapped_column(String(64))
    predicted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    p_improved: Mapped[float] = mapped_column(Float)
    p_improved_low: Mapped[float] = mapped_column(Float)
    p_improved_high: Mapped[float] = mapped_column(Float)
    p_unchanged: Mapped[float] = mapped_column(Float)
    p_worsened: Mapped[float] = mapped_column(Float)
    p_pass: Mapped[float] = mapped_column(Float)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
