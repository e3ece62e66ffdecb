"""Benchmark: server time of the clinician's worklist and patient page on the demo clinic.

    .venv/bin/python benchmarks/pages.py [--patients N] [--repeats N] [--cache PATH] [--rebuild]

The goal (issue 6): both pages render in under 150 ms with 100,000 patients.

What is measured, and what is not:
- The database is a SQLite file holding the demo clinic of --patients patients (with its triage
  history). Building it takes minutes at 100,000, so it is built once into --cache (default
  var/bench/pages-<N>.sqlite3) and reused by later runs; building is not timed.
- Requests go through the whole ASGI app (routing, session cookie check, audited service call,
  template rendering) with Starlette's TestClient, signed in as a demo surgeon. Each page is
  requested --repeats times after one warm-up request; the median is quoted.
- The first worklist request of a run is timed on its own: it also moves on follow-ups whose
  window closed since the cache was built (none on the day it was built).
- Baseline, measured in the same run: GET /health, a page that touches no patient data, so the
  ratio shows what the pages cost above the framework's own floor.
"""

import argparse
import re
import statistics
import time
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from spinetrack.app import create_app
from spinetrack.demo.load import DEMO_PASSWORD, DEMO_SLUG, demo_logins, load_demo
from spinetrack.services.clinician.clinic_overview import find_clinic
from spinetrack.services.operations.database import Database, open_database
from spinetrack.storage.statistics import refresh_statistics
from spinetrack.storage.tables import PatientOutcome

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 150.0


def _database(patients: int, cache: Path, rebuild: bool) -> Database:
    if rebuild and cache.exists():
        cache.unlink()
    fresh = not cache.exists()
    cache.parent.mkdir(parents=True, exist_ok=True)
    database = open_database(f"sqlite:///{cache}")
    database.upgrade()
    if fresh:
        started = time.perf_counter()
        load_demo(database, patients=patients, seed=7, today=date.today())
        print(f"built {cache} with {patients:,} patients in {time.perf_counter() - started:.0f} s")
    else:
        print(f"reusing {cache} (delete it or pass --rebuild to build again)")
        with database.sessions.sessionmaker.begin() as session:
            refresh_statistics(session)  # as every bulk import now does
    return database


def _signed_in(database: Database) -> TestClient:
    client = TestClient(create_app(database), follow_redirects=False)
    email = next(login.email for login in demo_logins() if login.role == "clinician")
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token, "the login form carries a CSRF token"
    sent = client.post(
        "/login", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token.group(1)}
    )
    assert sent.status_code == 303, sent.text
    return client


def _median_ms(client: TestClient, path: str, repeats: int) -> float:
    assert client.get(path).status_code == 200, path
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path
    return statistics.median(times)


def _patients(database: Database) -> tuple[int, int, int]:
    """A red-flag patient, a failing one and a succeeding one of the demo clinic."""
    clinic = find_clinic(sessions=database.sessions, slug=DEMO_SLUG)
    with database.sessions.sessionmaker() as session:

        def first(*conditions: object) -> int:
            query = select(PatientOutcome.patient_id).where(
                PatientOutcome.clinic_id == clinic, *conditions
            )
            found = session.scalar(query.limit(1))
            assert found is not None, "the demo clinic has such a patient"
            return int(found)

        return (
            first(PatientOutcome.red_flag.is_(True)),
            first(PatientOutcome.status == "failing"),
            first(PatientOutcome.status == "succeeding"),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=25)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    cache = args.cache or ROOT / "var" / "bench" / f"pages-{args.patients}.sqlite3"
    database = _database(args.patients, cache, args.rebuild)
    try:
        client = _signed_in(database)
        started = time.perf_counter()
        assert client.get("/worklist").status_code == 200
        print(f"first worklist request of the run: {(time.perf_counter() - started) * 1000:.1f} ms")
        red_flag, failing, succeeding = _patients(database)
        baseline = _median_ms(client, "/health", args.repeats)
        pages = {
            "worklist (landing)": "/worklist",
            "worklist, failing page 40": "/worklist?failing_page=40",
            "worklist, filtered": "/worklist?region=lumbar&procedure=fusion&status=failing",
            "patient page, red flag + triage": f"/patients/{red_flag}",
            "patient page, failing": f"/patients/{failing}",
            "patient page, succeeding": f"/patients/{succeeding}",
        }
        print(f"\n{args.patients:,} patients, median of {args.repeats} requests each")
        print(f"{'page':34} {'median ms':>10} {'x /health':>10}  goal < {GOAL_MS:.0f} ms")
        print(f"{'/health (baseline)':34} {baseline:10.1f} {1.0:10.1f}")
        for name, path in pages.items():
            median = _median_ms(client, path, args.repeats)
            verdict = "ok" if median < GOAL_MS else "OVER"
            print(f"{name:34} {median:10.1f} {median / baseline:10.1f}  {verdict}")
    finally:
        database.close()


if __name__ == "__main__":
    main()
