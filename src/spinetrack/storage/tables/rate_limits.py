"""Requests counted per address and time window, for the doors anyone can knock on (the
consultation form, patient links). Kept in the database, not in a process, so a limit holds
however many server processes share the work.

One row per (scope, address, window start); a hit is one `INSERT .. ON CONFLICT DO UPDATE
SET hits = hits + 1 RETURNING hits`, so concurrent requests are all counted.
"""

from sqlalchemy import BigInteger, Integer, PrimaryKeyConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from spinetrack.storage.tables.base import Base


class RateWindow(Base):
    __tablename__ = "rate_windows"
    __table_args__ = (PrimaryKeyConstraint("scope", "address", "window_start"),)

    scope: Mapped[str] = mapped_column(String(32))
    """What is limited: 'consultation', 'link'."""
    address: Mapped[str] = mapped_column(String(64))
    window_start: Mapped[int] = mapped_column(BigInteger)
    """Seconds since the epoch at which the window began (a multiple of its length)."""
    hits: Mapped[int] = mapped_column(Integer)
