"""Patients (clinic-scoped) and the cached outcome status the worklist sorts on."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from spinetrack.storage.tables.base import Base, UtcDateTime, utcnow


class Patient(Base):
    __tablename__ = "patients"
    __table_args__ = (
        UniqueConstraint("clinic_id", "mrn"),
        # Search by birth date within a clinic (services/records/patient_search); names are found
        # through the name index of storage/name_index, which these definitions cannot describe.
        Index("ix_patients_clinic_birth_date", "clinic_id", "birth_date"),
        # A consultation request is matched to a registered patient by e-mail too.
        Index("ix_patients_clinic_email", "clinic_id", "email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    mrn: Mapped[str] = mapped_column(String(64))
    given_name: Mapped[str] = mapped_column(String(100))
    family_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(16))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(16))
    """The language the patient last answered in; their e-mails are written in it."""
    referrer_name: Mapped[str | None] = mapped_column(String(200))
    """The referring doctor the clinic writes to (letters are addressed to them)."""
    referrer_practice: Mapped[str | None] = mapped_column(String(200))
    referrer_address: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class PatientOutcome(Base):
    """Latest PROM-based status; recomputed whenever a response or surgery is recorded."""

    __tablename__ = "patient_outcomes"
    __table_args__ = (
        Index("ix_patient_outcomes_clinic_status", "clinic_id", "status"),
        # The worklist counts its sections from these two alone (they cover every column its
        # filters read), so counting 100,000 patients never touches the table.
        Index(
            "ix_patient_outcomes_clinic_due",
            "clinic_id",
            "next_due_on",
            "next_window_closes_on",
            "status",
            "red_flag",
        ),
        Index("ix_patient_outcomes_clinic_red_flag", "clinic_id", "red_flag", "status"),
        # The losing-ground section: few rows, found without reading the other 100,000.
        Index(
            "ix_patient_outcomes_clinic_losing_ground",
            "clinic_id",
            "losing_ground",
            "red_flag",
            "status",
        ),
    )

    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="CASCADE"), primary_key=True
    )
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    status: Mapped[str] = mapped_column(String(16))
    latest_timepoint: Mapped[str | None] = mapped_column(String(16))
    disability_instrument: Mapped[str | None] = mapped_column(String(32))
    disability_improvement: Mapped[float | None] = mapped_column(Float)
    pain_improvement: Mapped[float | None] = mapped_column(Float)
    index_surgery_id: Mapped[int | None] = mapped_column(ForeignKey("surgeries.id"))
    """The surgery the status is measured from (the latest one); its fields are copied below so
    the worklist can filter and page without joining."""
    region: Mapped[str | None] = mapped_column(String(16))
    procedure: Mapped[str | None] = mapped_column(String(32))
    surgeon_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    surgery_date: Mapped[date | None] = mapped_column(Date)
    next_timepoint: Mapped[str | None] = mapped_column(String(16))
    """The earliest follow-up time point still unanswered whose window has not closed."""
    next_due_on: Mapped[date | None] = mapped_column(Date)
    next_window_closes_on: Mapped[date | None] = mapped_column(Date)
    red_flag: Mapped[bool] = mapped_column(Boolean, default=False)
    """The latest triage assessment raised a red flag that nobody has confirmed a plan for yet."""
    losing_ground: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """The latest disability score is worse than the best follow-up by at least the instrument's
    MCID (knowledge/outcomes/losing_ground.yaml); a flag beside the status, not a status."""
    latest_assessment_id: Mapped[int | None] = mapped_column(ForeignKey("triage_assessments.id"))
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
