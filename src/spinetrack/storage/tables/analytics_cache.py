"""The registry dashboard's prepared aggregates, kept in the database between processes.

Preparing a clinic's registry (classifying every patient, counting every selection for
disclosure control) reads every surgery and response; the result is a few columns per patient and
one array of counts. One row per clinic holds the latest result, stamped with what it was computed
from (the clinic's data version, the disclosure threshold, the day it was read on and the rules'
digest), so a new server process or a second worker answers its first dashboard from this row
instead of reading the whole registry again. A row whose stamp no longer matches is never used.
"""

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from spinetrack.storage.tables.base import Base, UtcDateTime, utcnow


class AnalyticsPrepared(Base):
    __tablename__ = "analytics_prepared"

    clinic_id: Mapped[int] = mapped_column(
        ForeignKey("clinics.id", ondelete="CASCADE"), primary_key=True
    )
    data_version: Mapped[int] = mapped_column(BigInteger)
    threshold: Mapped[int] = mapped_column(Integer)
    read_on: Mapped[date] = mapped_column(Date)
    rules: Mapped[str] = mapped_column(String(64))
    """Digest of the rules and code version the payload was computed with."""
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    """The prepared tables and disclosure cube, encoded and signed (no pickle)."""
    built_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class AnalyticsChange(Base):
    """Which patients a write of a clinic's registry data touched, under the data version it made
    (storage/data_version.py writes these in the same transaction). The dashboard brings its kept
    aggregates from their version to the current one by recomputing only these patients; a row
    without a patient means the write did not say (every patient is recomputed). Rows at or below
    the kept aggregates' version are deleted when the aggregates are kept again.

    Compacted as it is written (issue 21): a patient has one row, moved to the newest version that
    touched them (an upsert on `uq_analytics_changes_clinic_patient`), and a row for every patient
    replaces the clinic's older rows; so the log holds at most one row per patient written, however
    long nobody opens the dashboard. "Touched after version v" is the same question either way."""

    __tablename__ = "analytics_changes"
    __table_args__ = (
        Index("ix_analytics_changes_clinic_version", "clinic_id", "data_version"),
        Index("uq_analytics_changes_clinic_patient", "clinic_id", "patient_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"))
    data_version: Mapped[int] = mapped_column(BigInteger)
    patient_id: Mapped[int | None] = mapped_column(Integer)
    """No foreign key: the log outlives a deleted patient, whose rows must then be dropped."""
