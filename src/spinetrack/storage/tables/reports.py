"""Report text pasted into a patient's record and the findings read from it.

The text is part of the record (which report, who pasted it, when), so every later assessment reads
it again; each finding read from it is kept with the words it came from and its certainty, and a
clinician may reject one the reader got wrong, which every later assessment then leaves out.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from spinetrack.storage.tables.base import Base, UtcDateTime, utcnow


class ReportText(Base):
    __tablename__ = "report_texts"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    report_date: Mapped[date] = mapped_column(Date)
    title: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class ReportFinding(Base):
    __tablename__ = "report_findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"), index=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report_texts.id"), index=True)
    finding: Mapped[str] = mapped_column(String(64))
    quoted: Mapped[str] = mapped_column(Text)
    """The report's own words the finding was read from."""
    certainty: Mapped[str] = mapped_column(String(16))
    """``affirmed`` (the report states it) or ``uncertain`` (it only suggests it)."""
    status: Mapped[str] = mapped_column(String(16), default="accepted")
    """``accepted`` until a clinician rejects a finding the reader got wrong."""
    reviewed_by: Mapped[str | None] = mapped_column(String(254))
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
