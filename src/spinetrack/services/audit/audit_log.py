"""Every use case runs inside `audited`: one transaction for the work and its audit entry.

A rejected request is rolled back and leaves only its audit entry, written in a fresh transaction.
A read names the patients it returned (`Work.saw`), so "who saw this patient" includes lists,
exports and searches. After commit the entry is handed to the database's sealer, which chains it
(see `spinetrack.storage.audit_chain`). Anonymous refusals repeated from one address are folded
into one counted entry per window, so a flood of guesses neither fills the trail nor slows writes.
"""

import logging
import threading
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from spinetrack.config import get_settings
from spinetrack.domain.errors import SpinetrackError
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.errors import AccessDenied
from spinetrack.storage.audit_chain import Sealer
from spinetrack.storage.id_ranges import encode_ids
from spinetrack.storage.tables import AuditEntry
from spinetrack.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

log = logging.getLogger("spinetrack.audit")


@dataclass
class Work:
    """What a use case hands back to the audit: the unit of work, and what it touched."""

    uow: UnitOfWork
    clinic_id: int | None
    patient_id: int | None = None
    target: str | None = None
    detail: str = ""
    outcome: str = "ok"
    """A use case that refuses without raising (to keep a counter it changed) sets "rejected"."""
    seen: set[int] = field(default_factory=set)
    """Patients a read returned (beyond `patient_id`); filled through `saw`."""
    actor: Actor | None = None
    action: str = ""
    entry_stored: bool = False
    """Set by a use case whose last write stored the entry itself (`closing_entry`)."""

    def saw(self, patient_ids: Iterable[int]) -> None:
        """Record that this read returned these patients' data (a list page, a search, an export)."""
        self.seen.update(patient_ids)

    def closing_entry(self) -> dict[str, Any]:
        """The columns of the entry `audited` would write for the work as it stands (its target
        left to the statement that stores it), for a use case whose last write can store it in
        the same statement (a questionnaire submission on PostgreSQL). If that write stores it,
        the use case sets `entry_stored` and changes nothing the entry says afterwards;
        `audited` then only commits. A failure later still rolls the entry back with the work
        and writes a refusal entry instead, as always."""
        assert self.actor is not None
        return _columns(self.actor, self.action, self.outcome, self)


def _columns(actor: Actor, action: str, outcome: str, work: Work) -> dict[str, Any]:
    """What a request's entry stores (the sealer adds its place in the chain)."""
    return {
        "at": datetime.now(UTC),
        "actor": actor.name,
        "action": action,
        "outcome": outcome,
        "clinic_id": work.clinic_id,
        "patient_id": work.patient_id,
        "target": work.target,
        "remote": actor.remote,
        # A refusal's message may quote the input; a NUL in it would make PostgreSQL refuse the
        # audit entry itself.
        "detail": work.detail[:2000].replace("\x00", "\\0"),
        "patients": encode_ids(work.seen - {work.patient_id}) if work.seen else "",
    }


def _entry(actor: Actor, action: str, outcome: str, work: Work) -> AuditEntry:
    return AuditEntry(**_columns(actor, action, outcome, work))


# --- sealing, per database ----------------------------------------------------------------------

_sealers: "weakref.WeakKeyDictionary[UnitOfWorkFactory, Sealer]" = weakref.WeakKeyDictionary()
_sealers_guard = threading.Lock()


def sealer(sessions: UnitOfWorkFactory) -> Sealer:
    """The sealer of the database behind `sessions` (one per process and database)."""
    with _sealers_guard:
        found = _sealers.get(sessions)
        if found is None:
            found = Sealer(
                sessions.engine,
                key=lambda: get_settings().resolved_audit_key(),
                checkpoint=lambda: get_settings().resolved_audit_checkpoint(),
            )
            _sealers[sessions] = found
        return found


def close_audit(sessions: UnitOfWorkFactory) -> None:
    """Write pending refusal counts and seal what is left (a database being closed)."""
    folder = _folders.get(sessions)
    if folder is not None:
        folder.flush(sessions, everything=True)
    with _sealers_guard:
        found = _sealers.pop(sessions, None)
    if found is not None:
        found.close()


# --- folding repeated anonymous refusals --------------------------------------------------------

FOLD_AFTER = 5
"""Refusals of one kind from one address written one by one in a window before counting starts."""
FOLD_WINDOW_SECONDS = 60.0
FOLD_KEYS = 1000
"""Distinct (address, action, ...) kinds tracked per window; beyond it addresses are lumped."""

_Key = tuple[str, str, str, int | None, str | None, str]


@dataclass
class _Tally:
    started: datetime
    written: int = 0
    folded: int = 0
    last: datetime | None = None


class RefusalFolder:
    """Counts repeated refusals of anonymous callers in memory and writes one entry per kind and
    window. A crash loses at most one window's counts; the first refusals are always written."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tallies: dict[_Key, _Tally] = {}
        self._closed: list[tuple[_Key, _Tally]] = []
        self._next_due: datetime | None = None

    def fold(self, key: _Key, now: datetime) -> bool:
        """Whether this refusal is only counted (True) or written now (False)."""
        with self._lock:
            if key not in self._tallies and len(self._tallies) >= FOLD_KEYS:
                key = (*key[:4], "(many addresses)", key[5])
            tally = self._tallies.get(key)
            if tally is None or (now - tally.started).total_seconds() >= FOLD_WINDOW_SECONDS:
                if tally is not None and tally.folded:
                    self._closed.append((key, tally))  # its count goes out with `flush`
                tally = self._tallies[key] = _Tally(started=now)
                if self._next_due is None:
                    self._next_due = now
            if tally.written < FOLD_AFTER:
                tally.written += 1
                return False
            tally.folded += 1
            tally.last = now
            return True

    def flush(self, sessions: UnitOfWorkFactory, everything: bool = False) -> None:
        """Write one entry per kind whose window is over and that folded refusals."""
        now = datetime.now(UTC)
        with self._lock:
            due = self._next_due is not None and (
                (now - self._next_due).total_seconds() >= FOLD_WINDOW_SECONDS
            )
            if not (everything or due or self._closed):
                return
            closed = {
                key: tally
                for key, tally in self._tallies.items()
                if everything or (now - tally.started).total_seconds() >= FOLD_WINDOW_SECONDS
            }
            for key in closed:
                del self._tallies[key]
            counted = [*self._closed, *((k, t) for k, t in closed.items() if t.folded)]
            self._closed = []
            self._next_due = min((t.started for t in self._tallies.values()), default=None)
        if not counted:
            return
        try:
            self._write(sessions, counted, now)
        except Exception:  # the caller's own work is done; the counts are lost, not its answer
            log.exception("writing %d folded refusal counts failed", len(counted))

    @staticmethod
    def _write(
        sessions: UnitOfWorkFactory, counted: list[tuple[_Key, _Tally]], now: datetime
    ) -> None:
        with sessions() as uow:
            for (actor, action, outcome, clinic_id, remote, detail), tally in counted:
                uow.audit.append(
                    AuditEntry(
                        actor=actor,
                        action=action,
                        outcome=outcome,
                        clinic_id=clinic_id,
                        remote=remote,
                        at=tally.last,
                        detail=(
                            f"{tally.folded} more refused like this from "
                            f"{tally.started.isoformat(timespec='seconds')} to "
                            f"{(tally.last or now).isoformat(timespec='seconds')}: {detail}"
                        )[:2000],
                    )
                )
            uow.commit()
        sealer(sessions).committed()


_folders: "weakref.WeakKeyDictionary[UnitOfWorkFactory, RefusalFolder]" = (
    weakref.WeakKeyDictionary()
)


def _folder(sessions: UnitOfWorkFactory) -> RefusalFolder:
    with _sealers_guard:
        return _folders.setdefault(sessions, RefusalFolder())


def _anonymous(actor: Actor) -> bool:
    return actor.user_id is None and not actor.system


# --- the context manager every use case runs in -------------------------------------------------


@contextmanager
def audited(
    sessions: UnitOfWorkFactory,
    actor: Actor,
    action: str,
    *,
    clinic_id: int | None,
    patient_id: int | None = None,
    within: UnitOfWork | None = None,
) -> Iterator[Work]:
    """`within`: a unit of work the caller opened (and closes), whose transaction has only read
    so far (a sign-in looked up in it); otherwise one is opened here."""
    folder = _folder(sessions)
    with nullcontext(within) if within is not None else sessions() as uow:
        work = Work(uow=uow, clinic_id=clinic_id, patient_id=patient_id, actor=actor, action=action)
        try:
            yield work
            if not work.entry_stored:
                uow.audit.append_last(_entry(actor, action, work.outcome, work))
            uow.commit()
        except Exception as exc:
            uow.rollback()
            outcome = "denied" if isinstance(exc, AccessDenied) else "rejected"
            if not isinstance(exc, SpinetrackError):
                outcome = "error"
            work.detail = getattr(exc, "message", type(exc).__name__)
            if work.clinic_id is not None and uow.clinics.get(work.clinic_id) is None:
                work.clinic_id = None
            entry = _entry(actor, action, outcome, work)
            key: _Key = (actor.name, action, outcome, work.clinic_id, actor.remote, entry.detail)
            folded = (
                _anonymous(actor)
                and outcome != "error"
                and work.patient_id is None
                and folder.fold(key, datetime.now(UTC))
            )
            if not folded:
                uow.audit.append(entry)
                uow.commit()
                sealer(sessions).committed()
            folder.flush(sessions)
            raise
    sealer(sessions).committed()
    folder.flush(sessions)
