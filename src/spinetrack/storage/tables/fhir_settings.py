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
