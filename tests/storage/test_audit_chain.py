"""The sealer: entries stored unsealed are chained off the request path, in batches, by a
background thread in the server; closing it seals what is left."""

import itertools
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from spinetrack.services.operations.database import Database
from spinetrack.storage import audit_chain
from spinetrack.storage.audit_chain import Sealer, append, last_checkpoint, verify
from spinetrack.storage.tables import AuditEntry

KEY = b"storage-test-key-0123456789abcdef"


def _store(database: Database, count: int) -> None:
    with database.sessions.sessionmaker() as session:
        for i in range(count):
            append(session, AuditEntry(actor="t", action="x.read", outcome="ok", patient_id=i))
        session.commit()


def _unsealed(database: Database) -> int:
    with database.sessions.sessionmaker() as session:
        query = select(func.count()).select_from(AuditEntry).where(AuditEntry.seq.is_(None))
        return int(session.scalar(query) or 0)


def test_a_background_sealer_chains_entries_soon_after_commit(
    database: Database, tmp_path: Path
) -> None:
    checkpoints = tmp_path / "checkpoints.jsonl"
    sealer = Sealer(database.engine, key=lambda: KEY, checkpoint=lambda: checkpoints)
    sealer.start_background(0.05)
    try:
        _store(database, 30)
        assert _unsealed(database) == 30  # the writer did not seal: the request path stays short
        sealer.committed()
        deadline = time.monotonic() + 10
        while _unsealed(database) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _unsealed(database) == 0
        _store(database, 5)
        sealer.committed()
    finally:
        sealer.close()  # seals the last five on the way out
    assert _unsealed(database) == 0
    point = last_checkpoint(checkpoints, database.engine)
    assert point is not None and point.seq == 35
    with database.sessions.sessionmaker() as session:
        assert verify(session, KEY, point) == (35, None)


def test_a_busy_background_sealer_seals_in_rounds_an_interval_apart(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Commits arriving while a seal runs wait for the next round: sealing again at once made a
    busy server seal one or two entries per transaction, back to back."""
    rounds: list[float] = []
    real_seal = audit_chain.seal

    def slow_seal(engine: Engine, key: bytes) -> tuple[int, int, str]:
        rounds.append(time.monotonic())
        time.sleep(0.05)  # commits keep arriving meanwhile
        return real_seal(engine, key)

    monkeypatch.setattr(audit_chain, "seal", slow_seal)
    sealer = Sealer(database.engine, key=lambda: KEY, checkpoint=lambda: tmp_path / "c.jsonl")
    sealer.start_background(0.2)
    try:
        started = time.monotonic()
        while time.monotonic() - started < 1.0:
            _store(database, 1)
            sealer.committed()
            time.sleep(0.01)
    finally:
        sealer.close()
    assert _unsealed(database) == 0
    gaps = [later - earlier for earlier, later in itertools.pairwise(rounds[:-1])]
    assert gaps and min(gaps) >= 0.2  # (the last round is close()'s own)


def test_entries_sealed_under_another_key_fail(database: Database, tmp_path: Path) -> None:
    sealer = Sealer(database.engine, key=lambda: KEY, checkpoint=lambda: tmp_path / "c.jsonl")
    _store(database, 3)
    sealer.committed()  # no thread: seals inline
    with database.sessions.sessionmaker() as session:
        checked, problem = verify(session, b"another key", None)
    assert checked == 0 and problem is not None and problem.seq == 1
