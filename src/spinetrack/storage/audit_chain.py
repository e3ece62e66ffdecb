"""The audit trail's keyed hash chain, sealed in batches after commit.

A request stores its audit entry unsealed (no sequence number, no hash) in its own transaction:
one plain INSERT, with no lock shared by two requests, let alone by two clinics. A sealer then takes
the one chain head's lock, numbers the committed unsealed entries in id order, chains each to the
one before it with an HMAC-SHA256 under a key kept outside the database, advances the head, and
appends the head to a checkpoint file outside the database. An entry edited, deleted or moved after
sealing breaks its HMAC or the next one's link; recomputing them needs the key; cutting the tail or
deleting the whole chain (head included) disagrees with the last checkpoint. `verify` seals first.

Why not one chain per clinic: the clinic-less entries (sign-ins, refused links, the command line)
would still share one lock, and a clinic's chain could be dropped whole with its clinic. Sealing
keeps one order for the whole trail; its price is that an entry is only tamper-evident once sealed
(a fraction of a second later, or at the next write or `audit verify` after a crash).
"""

import functools
import hashlib
import hmac
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Protocol

from sqlalchemy import Engine, bindparam, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from spinetrack.storage.data_version import bump_with_audit_row
from spinetrack.storage.tables import AuditEntry, AuditHead, Patient

GENESIS = "0" * 64
HEAD_ID = 1
SEAL_BATCH = 2000
log = logging.getLogger("spinetrack.audit")


class _Fields(Protocol):
    seq: int | None
    at: datetime
    actor: str
    action: str
    outcome: str
    clinic_id: int | None
    patient_id: int | None
    target: str | None
    remote: str | None
    detail: str


def _moment(at: datetime) -> str:
    """One text form for a moment whichever database returned it (naive UTC or aware)."""
    if at.tzinfo is not None:
        at = at.astimezone(UTC).replace(tzinfo=None)
    return at.isoformat(timespec="microseconds")


def _canonical(entry: _Fields, prev_hash: str) -> list[Any]:
    return [
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


def entry_digest(entry: _Fields, prev_hash: str) -> str:
    """The unkeyed SHA-256 of revisions 0003–0007: kept for migration 0003, which chains the
    entries written before it with this; nothing verifies against it any more."""
    canonical = json.dumps(_canonical(entry, prev_hash), ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def sealed_digest(entry: _Fields, patients: str, prev_hash: str, key: bytes) -> str:
    """HMAC-SHA256 of an entry's fields, the patients it names and the hash before it."""
    fields = [*_canonical(entry, prev_hash), patients]
    canonical = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(_chain_key(key), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


@functools.lru_cache(maxsize=4)
def _chain_key(key: bytes) -> bytes:
    """The chain's own key, derived so that the same secret can key the backups' HMAC too."""
    return hmac.new(key, b"spinetrack audit chain", hashlib.sha256).digest()


# --- writing: one INSERT per request, no lock ---------------------------------------------------

_COLUMNS = tuple(
    c.key
    for c in AuditEntry.__table__.columns
    if c.key not in ("id", "seq", "prev_hash", "entry_hash")
)
_INSERT = insert(AuditEntry).values({key: bindparam(key) for key in _COLUMNS})


def append(session: Session, entry: AuditEntry) -> AuditEntry:
    """Store an entry, unsealed, inside the caller's transaction (built once; runs in every write)."""
    session.connection().execute(_INSERT, _row(entry))
    return entry


def append_last(session: Session, entry: AuditEntry) -> AuditEntry:
    """`append` for the transaction's last statement before COMMIT (a request's own entry): on
    PostgreSQL, when the commit's data-version bump is one statement, the entry is inserted by
    that statement (one round trip fewer on every submission); otherwise as `append` does."""
    row = _row(entry)
    if not bump_with_audit_row(session, row):
        session.connection().execute(_INSERT, row)
    return entry


def _row(entry: AuditEntry) -> dict[str, Any]:
    entry.at = entry.at or datetime.now(UTC)
    entry.detail = entry.detail or ""
    entry.patients = entry.patients or ""
    return {key: getattr(entry, key) for key in _COLUMNS}


# --- sealing ------------------------------------------------------------------------------------

_LOCK_HEAD = (
    update(AuditHead)
    .where(AuditHead.id == HEAD_ID)
    .values(seq=AuditHead.seq)
    .returning(AuditHead.seq, AuditHead.entry_hash)
)
_UNSEALED = (
    select(AuditEntry.__table__)
    .where(AuditEntry.seq.is_(None))
    .order_by(AuditEntry.id)
    .limit(bindparam("batch"))
)
_SEAL_ENTRY = (
    update(AuditEntry)
    .where(AuditEntry.id == bindparam("entry_id"))
    .values(
        seq=bindparam("new_seq"), prev_hash=bindparam("new_prev"), entry_hash=bindparam("new_hash")
    )
)
_SEAL_ENTRIES_AT_ONCE = text(
    f"UPDATE {AuditEntry.__tablename__} AS entry"
    " SET seq = sealed.seq, prev_hash = sealed.prev, entry_hash = sealed.hash"
    " FROM unnest(CAST(:ids AS bigint[]), CAST(:seqs AS bigint[]),"
    " CAST(:prevs AS text[]), CAST(:hashes AS text[])) AS sealed(id, seq, prev, hash)"
    " WHERE entry.id = sealed.id"
)
"""PostgreSQL: a batch's seals as one statement with four arrays. Sent as one UPDATE per entry,
the parameters of each went through SQLAlchemy and the driver one by one, which cost the server
more CPU than the hashing itself."""
_SET_HEAD = (
    update(AuditHead)
    .where(AuditHead.id == HEAD_ID)
    .values(seq=bindparam("head_seq"), entry_hash=bindparam("head_hash"))
)


@dataclass(frozen=True)
class Checkpoint:
    """The head after a seal, as written outside the database."""

    database: str
    seq: int
    entry_hash: str
    at: str


def _create_head(engine: Engine) -> None:
    """A fresh or restored-over schema has no head row yet; two sealers may race to add it."""
    try:
        with engine.begin() as connection:
            connection.execute(insert(AuditHead).values(id=HEAD_ID, seq=0, entry_hash=GENESIS))
    except IntegrityError:
        pass


def seal(engine: Engine, key: bytes) -> tuple[int, int, str]:
    """Chain every committed unsealed entry; returns (entries sealed, head seq, head hash).

    One transaction per batch holds the head's lock; requests never wait for it."""
    sealed = 0
    while True:
        with engine.begin() as connection:
            # Locks the head: a row lock on PostgreSQL, the write lock on SQLite.
            locked = connection.execute(_LOCK_HEAD).one_or_none()
            if locked is None:
                connection.rollback()
                _create_head(engine)
                continue
            seq, prev = int(locked.seq), locked.entry_hash or GENESIS
            rows = connection.execute(_UNSEALED, {"batch": SEAL_BATCH}).mappings().all()
            updates = []
            for row in rows:
                seq += 1
                entry = SimpleNamespace(**{**row, "seq": seq})
                digest = sealed_digest(entry, row["patients"], prev, key)
                updates.append(
                    {"entry_id": row["id"], "new_seq": seq, "new_prev": prev, "new_hash": digest}
                )
                prev = digest
            if updates and connection.dialect.name == "postgresql":
                connection.execute(
                    _SEAL_ENTRIES_AT_ONCE,
                    {
                        "ids": [u["entry_id"] for u in updates],
                        "seqs": [u["new_seq"] for u in updates],
                        "prevs": [u["new_prev"] for u in updates],
                        "hashes": [u["new_hash"] for u in updates],
                    },
                )
            elif updates:
                connection.execute(_SEAL_ENTRY, updates)
            if updates:
                connection.execute(_SET_HEAD, {"head_seq": seq, "head_hash": prev})
        sealed += len(rows)
        if len(rows) < SEAL_BATCH:
            return sealed, seq, prev


def database_id(engine: Engine) -> str:
    """Names the database in checkpoints (its URL without the password, hashed)."""
    url = engine.url.render_as_string(hide_password=True)
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def write_checkpoint(
    path: Path, engine: Engine, seq: int, entry_hash: str, event: str = "seal"
) -> None:
    """Append the head to the checkpoint file (created 0600), one JSON line per seal.

    A "restore" line starts the database afresh: earlier lines no longer bind it."""
    line = json.dumps(
        {
            "database": database_id(engine),
            "seq": seq,
            "entry_hash": entry_hash,
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "event": event,
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a") as handle:
        handle.write(line + "\n")


def last_checkpoint(path: Path, engine: Engine) -> Checkpoint | None:
    """The furthest head this database's sealers wrote to `path` since its last restore, if any."""
    if not path.exists():
        return None
    mine, best = database_id(engine), None
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            record = json.loads(line)
            point = Checkpoint(
                str(record["database"]),
                int(record["seq"]),
                str(record["entry_hash"]),
                str(record["at"]),
            )
        except (ValueError, KeyError, TypeError):
            continue  # a torn last line after a crash
        if point.database != mine:
            continue
        if record.get("event") == "restore" or best is None or point.seq > best.seq:
            best = point
    return best


class Sealer:
    """Seals one database's trail for this process.

    Inline (the default: command line, tests) it seals right after each commit, on the committing
    thread; in the server (`start_background`) a thread gathers entries for a short interval and
    seals them in one batch, so requests pay for neither the lock nor the hashing. Either way a
    commit that finds a seal already running leaves its entry to that sealer's next round."""

    def __init__(self, engine: Engine, key: Callable[[], bytes], checkpoint: Callable[[], Path]):
        self._engine, self._key, self._checkpoint = engine, key, checkpoint
        self._running = threading.Lock()
        self._pending = threading.Event()
        self._interval: float | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._head: tuple[int, str] | None = None

    def start_background(self, interval_seconds: float) -> None:
        if self._thread is not None or interval_seconds <= 0:
            return
        self._interval = interval_seconds
        self._thread = threading.Thread(target=self._loop, name="audit-sealer", daemon=True)
        self._thread.start()

    def committed(self) -> None:
        """An audited transaction committed an entry."""
        self._pending.set()
        if self._thread is None:
            try:
                self.seal_now(wait=False)
            except Exception:  # the work is committed; its entry waits for the next seal
                log.exception("sealing the audit trail failed; the next seal takes the entry")

    def seal_now(self, wait: bool = True, repeat: bool = True) -> int:
        """Seal what is pending; returns how many entries this call sealed.

        A caller that finds a seal running leaves its entry to that sealer, which looks at
        `_pending` again after letting go of the lock (`repeat`). The background thread does not
        repeat: what committed while it sealed waits for its next round, an interval later.
        Sealing again at once made a busy server seal every entry or two in a transaction of its
        own (1.9 ms of CPU per submission instead of a fraction, issue 21)."""
        sealed = 0
        while self._running.acquire(blocking=wait):
            try:
                while True:
                    self._pending.clear()
                    count, seq, head = seal(self._engine, self._key())
                    sealed += count
                    if count or self._head is None:
                        write_checkpoint(self._checkpoint(), self._engine, seq, head)
                        self._head = (seq, head)
                    if not (repeat and self._pending.is_set()):
                        break
            finally:
                self._running.release()
            if not (repeat and self._pending.is_set()):
                break
            wait = False
        return sealed

    def _loop(self) -> None:
        assert self._interval is not None
        while not self._stop.is_set():
            self._pending.wait()
            if self._stop.wait(self._interval):
                break
            try:
                self.seal_now(repeat=False)  # later commits left `_pending` set: next round
            except Exception:  # a database hiccup: the entries wait for the next round
                log.exception("sealing the audit trail failed; retrying")
                self._stop.wait(1.0)

    def close(self) -> None:
        """Stop the thread and seal what is left (server shutdown, end of a command)."""
        if self._thread is not None:
            self._stop.set()
            self._pending.set()
            self._thread.join(timeout=10)
            self._thread = None
        try:
            self.seal_now()
        except Exception:
            log.exception("sealing the audit trail at close failed; `audit verify` seals it")


# --- checking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    seq: int
    entry_id: int | None
    reason: str


def verify(
    session: Session, key: bytes, checkpoint: Checkpoint | None, batch: int = 5000
) -> tuple[int, Break | None]:
    """Walk the sealed chain in order; returns how many entries were checked and the first break.

    Beyond each entry's HMAC and link it checks the ends: the head agrees with the last entry,
    the last checkpoint written outside the database is still in the chain, and a database holding
    patients has a trail at all."""
    head = session.get(AuditHead, HEAD_ID)
    expected_seq, prev, checked = 1, GENESIS, 0
    last_seq = 0
    hashes_at_checkpoint: str | None = None
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
            problem = _check(row, expected_seq, prev, key)
            if problem:
                return checked, problem
            prev, expected_seq, last_seq, checked = (
                row.entry_hash or "",
                (row.seq or 0) + 1,
                row.seq or 0,
                checked + 1,
            )
            if checkpoint is not None and row.seq == checkpoint.seq:
                hashes_at_checkpoint = row.entry_hash
        if len(rows) < batch:
            break
    head_seq, head_hash = (head.seq, head.entry_hash) if head else (0, GENESIS)
    if head_seq != checked or (checked and head_hash != prev):
        return checked, Break(
            checked + 1,
            None,
            f"the chain ends at {checked} but its head says {head_seq}: entries were removed from the end",
        )
    if checkpoint is not None and checkpoint.seq > checked:
        return checked, Break(
            checked + 1,
            None,
            f"the chain ends at {checked} but a checkpoint outside the database saw entry "
            f"{checkpoint.seq} at {checkpoint.at}: entries were removed from the end",
        )
    if checkpoint is not None and checkpoint.seq and hashes_at_checkpoint != checkpoint.entry_hash:
        return checked, Break(
            checkpoint.seq,
            None,
            f"entry {checkpoint.seq} differs from the checkpoint written at {checkpoint.at}: "
            "the chain was rewritten",
        )
    if checked == 0 and _holds_patients(session):
        return 0, Break(
            1, None, "the database holds patient records but no audit trail: it was deleted"
        )
    return checked, None


def _holds_patients(session: Session) -> bool:
    return bool(session.scalar(select(func.count()).select_from(Patient)))


def _check(row: AuditEntry, expected_seq: int, prev: str, key: bytes) -> Break | None:
    if row.seq != expected_seq:
        return Break(expected_seq, row.id, f"entry {expected_seq} is missing (next is {row.seq})")
    if row.prev_hash != prev:
        return Break(
            row.seq, row.id, "it does not follow the entry before it (reordered or removed)"
        )
    if not hmac.compare_digest(sealed_digest(row, row.patients, prev, key), row.entry_hash or ""):
        return Break(row.seq, row.id, "its content does not match its keyed hash (edited)")
    return None
