"""Benchmark: the registry dashboard page (/analytics) on a 100,000-patient demo clinic.

    .venv/bin/python benchmarks/analytics_page.py [--patients N] [--repeats N] [--cache PATH]

The goal (issue 21): <= 300 ms warm and <= 2 s cold at 100,000 patients.

What is measured, in one run, through the whole ASGI app (routing, session check, the audited
service call, disclosure control, charts, template) with Starlette's TestClient, signed in as the
demo surgeon; medians of --repeats requests:
- cold: the first request after the clinic's data changed (every cached registry, cube and view
  dropped): reading the records, classifying every patient, counting every selection for
  disclosure control, the page. Timed --cold-repeats times, clearing the caches before each.
- warm: the same selection again; and a filter change to selections not seen before in this
  data version (each new selection is computed from the prepared registry and cube).
- after an in-place update of one patient (no row count or id changes): the first request must
  recompute (the data version moved), which is what the old fingerprint missed.
- baseline: GET /health, which touches no patient data.
The database is the SQLite file benchmarks/pages.py builds (var/bench/pages-<N>.sqlite3); building
it takes minutes and is not timed.
"""

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select, update

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import _database, _signed_in

from spinetrack.services.reporting.analytics_registry import PREPARED
from spinetrack.storage.tables import Clinic, Patient

ROOT = Path(__file__).resolve().parents[1]
WARM_GOAL_MS, COLD_GOAL_MS = 300.0, 2000.0


def _ms(client: TestClient, path: str) -> float:
    started = time.perf_counter()
    answer = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    assert answer.status_code == 200, (path, answer.status_code, answer.text[:200])
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--cold-repeats", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args()
    cache = args.cache or ROOT / "var" / "bench" / f"pages-{args.patients}.sqlite3"
    database = _database(args.patients, cache, rebuild=False)
    client = _signed_in(database)  # a demo surgeon (clinicians may open the dashboard too)
    health = statistics.median(_ms(client, "/health") for _ in range(args.repeats))

    cold = []
    for _ in range(args.cold_repeats):
        PREPARED.clear()
        cold.append(_ms(client, "/analytics"))
    warm = [_ms(client, "/analytics") for _ in range(args.repeats)]
    with database.sessions() as uow:
        clinic = uow.session.scalars(select(Clinic.id)).first()
    this_year = date.today().year
    changes = [
        f"/analytics?period={this_year - 1}",
        "/analytics?region=lumbar",
        f"/analytics?period={this_year - 1}&region=cervical",
        "/analytics?procedure=discectomy",
        f"/analytics?period={this_year - 2}&region=lumbar&procedure=fusion",
    ]
    first_change = [_ms(client, path) for path in changes]
    again = [_ms(client, path) for path in changes for _ in range(3)]

    with database.sessions() as uow:  # an in-place edit: no count or id changes
        uow.session.execute(
            update(Patient)
            .where(Patient.id == uow.session.scalars(select(Patient.id).limit(1)).one())
            .values(sex=Patient.sex)
        )
        uow.commit()
    after_write = _ms(client, "/analytics")
    with database.sessions() as uow:
        version = uow.session.scalar(select(Clinic.data_version).where(Clinic.id == clinic))

    def line(name: str, value: float, goal: float | None = None) -> None:
        ratio = f"{value / health:8.1f}x /health"
        verdict = (
            ""
            if goal is None
            else ("  meets" if value <= goal else "  MISSES") + (f" the {goal:.0f} ms goal")
        )
        print(f"{name:<48}{value:9.1f} ms {ratio}{verdict}")

    print(f"/analytics at {args.patients:,} patients (SQLite {cache.name}); medians")
    line("GET /health (baseline)", health)
    line(f"cold: first page, caches dropped (n={len(cold)})", statistics.median(cold), COLD_GOAL_MS)
    line(f"warm: same selection again (n={len(warm)})", statistics.median(warm), WARM_GOAL_MS)
    line(
        f"filter change, new selection (n={len(first_change)})",
        statistics.median(first_change),
        WARM_GOAL_MS,
    )
    line(f"filter change, seen selection (n={len(again)})", statistics.median(again), WARM_GOAL_MS)
    line("first page after an in-place update (1 run)", after_write, COLD_GOAL_MS)
    print(f"clinic data version after the update: {version}")


if __name__ == "__main__":
    main()
