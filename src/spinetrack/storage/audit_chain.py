"""The audit trail's hash chain: each entry's hash covers its fields and the hash before it, so an
edited, deleted or reordered entry breaks every hash after it.

Appends lock the single `audit_head` row, so concurrent transactions queue rather than fork the
chain (a row lock on PostgreSQL; SQLite already allows one writer at a time).
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from spinetrack.storage.tables import AuditEntry, AuditHead

GENESIS = "0" * 64
HEAD_ID = 1


def _moment(at: datetime) -> str:
    """One text form for a moment whichever database returned it (naive UTC or aware)."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


def entry_digest(entry: AuditEntry, prev_hash: str) -> str:
    fields = [
        entry.seq,
        _moment(entry.at),
        entry.actor,
        entry.action,
        entry.outcome,
        entry.clinic_id,
        entry.patient_id,
        entry.target,
        entry.remote,
        entry.detail,
        prev_hash,
    ]
    canonical = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# Built once: the audit append runs in every write, while the head is locked (see `append`).
_ADVANCE = (
    update(AuditHead)
    .where(AuditHead.id == HEAD_ID)
    .values(seq=AuditHead.seq + 1)
    .returning(AuditHead.seq, AuditHead.entry_hash)
)
_SET_HEAD = (
    update(AuditHead).where(AuditHead.id == HEAD_ID).values(entry_hash=bindparam("head_hash"))
)
_COLUMNS = tuple(c.key for c in AuditEntry.__table__.columns if c.key != "id")
_INSERT = (
    insert(AuditEntry)
    # Bind names of their own: the head also has a `seq` column, and an UPDATE in the same
    # statement would otherwise take the entry's value for it.
    .values({key: bindparam(f"entry_{key}") for key in _COLUMNS})
    .returning(AuditEntry.id)
)
_INSERT_AND_SET_HEAD = _INSERT.add_cte(_SET_HEAD.cte("head"))
"""PostgreSQL takes the entry and the head's new hash in one statement (one round trip fewer
while every other writer waits); SQLite has no data-modifying WITH, and no round trips either."""


def append(session: Session, entry: AuditEntry) -> AuditEntry:
    """Chain and store an entry inside the caller's transaction.

    Advancing the head locks it until commit, so concurrent appends queue and the chain never
    forks; everything from here to commit delays every other writer, so it is kept short."""
    connection = session.connection()
    result = connection.execute(_ADVANCE).one_or_none()
    if result is None:
        session.add(AuditHead(id=HEAD_ID, seq=1, entry_hash=GENESIS))
        session.flush()
        seq, prev = 1, GENESIS
    else:
        seq, prev = result.seq, result.entry_hash or GENESIS
    entry.seq = seq
    entry.at = entry.at or datetime.now(UTC)
    entry.detail = entry.detail or ""
    entry.prev_hash = prev
    entry.entry_hash = entry_digest(entry, prev)
    values = {f"entry_{key}": getattr(entry, key) for key in _COLUMNS}
    if connection.dialect.name == "postgresql":
        entry.id = connection.execute(
            _INSERT_AND_SET_HEAD, {**values, "head_hash": entry.entry_hash}
        ).scalar_one()
    else:
        entry.id = connection.execute(_INSERT, values).scalar_one()
        connection.execute(_SET_HEAD, {"head_hash": entry.entry_hash})
    return entry


@dataclass(frozen=True)
class Break:
    seq: int
    entry_id: int | None
    reason: str


def verify(session: Session, batch: int = 5000) -> tuple[int, Break | None]:
    """Walk the chain in order; returns how many entries were checked and the first break, if any."""
    head = session.get(AuditHead, HEAD_ID)
    expected_seq, prev, checked = 1, GENESIS, 0
    last_seq = 0
    while True:
        rows = list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.seq > last_seq)
                .order_by(AuditEntry.seq)
                .limit(batch)
            )
        )
        for row in rows:
            problem = _check(row, expected_seq, prev)
            if problem:
                return checked, problem
            prev, expected_seq, last_seq, checked = (
                row.entry_hash,
                row.seq + 1,
                row.seq,
                checked + 1,
            )
        if len(rows) < batch:
            break
    head_seq, head_hash = (head.seq, head.entry_hash) if head else (0, GENESIS)
    if head_seq != checked or (checked and head_hash != prev):
        return checked, Break(
            checked + 1,
            None,
            f"the chain ends at {checked} but its head says {head_seq}: entries were removed from the end",
        )
    return checked, None


def _check(row: AuditEntry, expected_seq: int, prev: str) -> Break | None:
    if row.seq != expected_seq:
        return Break(expected_seq, row.id, f"entry {expected_seq} is missing (next is {row.seq})")
    if row.prev_hash != prev:
        return Break(
            row.seq, row.id, "it does not follow the entry before it (reordered or removed)"
        )
    if entry_digest(row, prev) != row.entry_hash:
        return Break(row.seq, row.id, "its content does not match its hash (edited)")
    return None
