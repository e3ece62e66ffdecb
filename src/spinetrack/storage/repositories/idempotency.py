"""Idempotency keys: claim one (serialising requests that carry it), find it, record it.

`claim` makes concurrent requests with the same key queue inside their transactions, so the second
sees the first one's committed key and replays it instead of writing a duplicate: an advisory
transaction lock on PostgreSQL, and the database's single write lock on SQLite (taken by a write
that changes nothing, before the key is read).
"""

import hashlib

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from spinetrack.storage.tables.idempotency import IdempotencyKey


def _lock_id(clinic_id: int, key: str) -> int:
    """A signed 64-bit number for pg_advisory_xact_lock, stable across processes."""
    digest = hashlib.sha256(f"idempotency:{clinic_id}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class IdempotencyRepository:
    def __init__(self, session: Session, clinic_id: int) -> None:
        self._session = session
        self.clinic_id = clinic_id

    def claim(self, key: str) -> None:
        """Hold the key until this transaction ends; another request with it waits here."""
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(select(func.pg_advisory_xact_lock(_lock_id(self.clinic_id, key))))
        else:
            self._session.execute(
                update(IdempotencyKey).where(text("0 = 1")).values(key=IdempotencyKey.key)
            )

    def find(self, key: str) -> IdempotencyKey | None:
        return self._session.scalar(
            select(IdempotencyKey).where(
                IdempotencyKey.clinic_id == self.clinic_id, IdempotencyKey.key == key
            )
        )

    def record(self, key: str, request_hash: str, response_id: int) -> None:
        row = IdempotencyKey(
            clinic_id=self.clinic_id, key=key, request_hash=request_hash, response_id=response_id
        )
        self._session.add(row)
        self._session.flush()
