"""A clinic: the unit of data separation. Every patient belongs to exactly one."""

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from spinetrack.storage.tables.base import Base, UtcDateTime, utcnow


class Clinic(Base):
    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    date_format: Mapped[str] = mapped_column(String(32), default="%d %b %Y")
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    """The number patients are told to call (their results page, e-mails); optional."""
    time_zone: Mapped[str | None] = mapped_column(String(64))
    """IANA zone the clinic's "today" is counted in; None for the configured default
    (SPINETRACK_TIME_ZONE)."""
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    data_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    """Bumped with every write of the clinic's data (storage/data_version.py): a cache key."""
    disclosure_threshold: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """Smallest count the analytics may publish; None for the default in
    knowledge/analytics/disclosure.yaml."""
