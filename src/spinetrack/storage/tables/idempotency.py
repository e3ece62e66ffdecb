"""Idempotency keys of response submissions: a client that retries after a lost answer (a timeout,
a dropped connection) sends the same key again and gets the stored result instead of a duplicate.

Keys are scoped per clinic. `request_hash` is the digest of what was asked (patient and body), so
the same key with a different request can be told apart from a retry and refused.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from spinetrack.storage.tables.base import Base, UtcDateTime, utcnow


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("clinic_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    # Erasing a clinic's responses (the demo reset) takes their keys with them.
    response_id: Mapped[int] = mapped_column(
        ForeignKey("prom_responses.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
