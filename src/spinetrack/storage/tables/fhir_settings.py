"""A clinic's FHIR import settings: the identifier systems its medical record numbers arrive in from
outside systems (a hospital's OID, an EHR's URL; several are allowed), and how an outside
Questionnaire (by canonical URL) maps onto one of our instruments, item by item."""

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from spinetrack.storage.tables.base import Base


class ClinicMrnSystem(Base):
    __tablename__ = "clinic_mrn_systems"
    __table_args__ = (UniqueConstraint("clinic_id", "system"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    system: Mapped[str] = mapped_column(String(255))


class ClinicQuestionnaireMap(Base):
    __tablename__ = "clinic_questionnaire_maps"
    __table_args__ = (UniqueConstraint("clinic_id", "canonical"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    canonical: Mapped[str] = mapped_column(String(255))
    """The outside Questionnaire's canonical URL, without a version."""
    instrument: Mapped[str] = mapped_column(String(32))
    items: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Outside linkId -> our item id."""


class ClinicObservationMap(Base):
    """A hospital-local Observation code (system and code) and what it means here: one of our
    NRS pain instruments, or a field of the pre-operative record. Outside systems often code a
    pain score or a BMI with their own code only; the clinic says once what it is."""

    __tablename__ = "clinic_observation_maps"
    __table_args__ = (UniqueConstraint("clinic_id", "system", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    system: Mapped[str] = mapped_column(String(255))
    code: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(32))
    """An NRS instrument id (nrs_back, ...) or a pre-operative field (bmi, smoker, phq9, gad7)."""


class PractitionerNpi(Base):
    """A user's US National Provider Identifier: exported on their Practitioner and used to match
    a Practitioner of an incoming Bundle. One per person, the same in every clinic they work for."""

    __tablename__ = "practitioner_npis"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    npi: Mapped[str] = mapped_column(String(10), unique=True)
