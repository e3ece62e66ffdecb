"""Crash safety: questionnaire responses are submitted concurrently through the HTTP API while the
server process is killed with SIGKILL at random moments and restarted, on SQLite (WAL) and on
PostgreSQL. Clients resend an unanswered submission with its Idempotency-Key, as a real client
would. Afterwards every acknowledged response is stored exactly as sent, nothing is stored twice
or half (each response has its key, its outcome and its audit entry), and the audit chain verifies.
"""

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import pytest
from sqlalchemy import select
from tests.support.records import new_patient
from tests.support.served import Served
from tests.support.world import TOKENS, World
from typer.testing import CliRunner

from spinetrack.cli.main import app
from spinetrack.config import get_settings
from spinetrack.services.operations.database import open_database
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.storage.tables import AuditEntry, IdempotencyKey, PatientOutcome, PromResponse

pytestmark = pytest.mark.crash

KILLS = 2
"""Each restart costs seconds (the app imports its analytics stack), so the count is bounded."""
CLIENTS = 6
PATIENTS = 4


@dataclass
class Tally:
    """What the clients saw: acknowledged submissions by key, and every status or failure."""

    acked: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    seen: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _body(client: int, n: int) -> dict[str, Any]:
    second = client * 100_000 + n
    return {
        "instrument": "nrs_back",
        "completed_at": f"2025-06-{1 + second % 28:02d}T{(second // 60) % 24:02d}:{second % 60:02d}:00Z",
        "answers": {"nrs_back": (client + n) % 11},
    }


def _client(
    server: Served, number: int, patients: list[int], stop: threading.Event, tally: Tally
) -> None:
    headers = {"Authorization": f"Bearer {TOKENS['staff@north.example']}"}
    with httpx2.Client(headers=headers, timeout=10.0) as http:
        n = 0
        while not stop.is_set():
            key, body = f"crash-{number}-{n}", _body(number, n)
            path = f"{server.base}/api/v1/patients/{patients[n % len(patients)]}/responses"
            while not stop.is_set():
                try:
                    answer = http.post(path, json=body, headers={"Idempotency-Key": key})
                except httpx2.HTTPError as exc:
                    with tally.lock:
                        tally.seen[type(exc).__name__] += 1
                    time.sleep(0.05)
                    continue
                with tally.lock:
                    tally.seen[str(answer.status_code)] += 1
                    if answer.status_code == 201:
                        tally.acked[key] = (int(answer.json()["id"]), body)
                break
            n += 1


def _killer(server: Served, stop: threading.Event, tally: Tally, kills: list[int]) -> None:
    """Let the clients get going after each start, then kill at a random moment mid-traffic."""
    chaos = random.Random()
    for _ in range(KILLS + 1):
        started = len(tally.acked)
        while len(tally.acked) < started + 10:
            time.sleep(0.02)
        time.sleep(chaos.uniform(0.05, 1.0))
        if len(kills) == KILLS:
            break
        server.kill()
        kills.append(len(tally.acked))
        server.start()
    stop.set()


def test_a_file_database_runs_in_wal_mode_so_a_killed_writer_loses_only_its_transaction(
    tmp_path: Path,
) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    try:
        with database.engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar_one()
            synchronous = connection.exec_driver_sql("PRAGMA synchronous").scalar_one()
    finally:
        database.close()
    assert (mode, synchronous) == ("wal", 1)  # 1 = NORMAL: durable across a process kill


def _patients(world: World) -> list[int]:
    return [
        register_patient(
            sessions=world.database.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            patient=new_patient(f"CRASH-{i}"),
        ).id
        for i in range(PATIENTS)
    ]


def test_acknowledged_responses_survive_sigkill_and_nothing_is_half_written(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patients = _patients(world)
    url = world.database.engine.url.render_as_string(hide_password=False)
    server = Served(url, tmp_path)
    stop, tally, kills = threading.Event(), Tally(), list[int]()
    server.start()
    try:
        workers = [
            threading.Thread(target=_client, args=(server, i, patients, stop, tally))
            for i in range(CLIENTS)
        ]
        for worker in workers:
            worker.start()
        _killer(server, stop, tally, kills)
        for worker in workers:
            worker.join(timeout=60)
    finally:
        stop.set()
        server.stop()

    assert len(kills) == KILLS, kills
    assert len(tally.acked) >= 10 * (KILLS + 1), tally.seen
    assert not [status for status in tally.seen if status.startswith("5")], tally.seen

    with world.database.sessions.sessionmaker() as session:
        keys = {k.key: k.response_id for k in session.scalars(select(IdempotencyKey))}
        stored = {r.id: r for r in session.scalars(select(PromResponse))}
        audited = set(
            session.scalars(
                select(AuditEntry.target).where(
                    AuditEntry.action == "response.create", AuditEntry.outcome == "ok"
                )
            )
        )
        outcomes = set(session.scalars(select(PatientOutcome.patient_id)))
    for key, (response_id, body) in tally.acked.items():
        assert keys.get(key) == response_id, key
        row = stored[response_id]
        assert row.answers == body["answers"]
        assert row.completed_at.isoformat().startswith(body["completed_at"][:19])
    # Nothing stored twice or half: one key per response, each audited, every patient classified.
    assert sorted(keys.values()) == sorted(stored)
    assert {f"response:{i}" for i in stored} <= audited
    assert set(patients) <= outcomes

    monkeypatch.setenv("SPINETRACK_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        verified = CliRunner().invoke(app, ["audit", "verify"])
    finally:
        get_settings.cache_clear()
    assert verified.exit_code == 0, verified.output
