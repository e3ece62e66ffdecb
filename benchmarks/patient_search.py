"""Benchmark: patient search, the patient page and the worklist at 100,000 patients.

    .venv/bin/python benchmarks/patient_search.py [--patients N] [--repeats N] [--cache PATH]
        [--postgres URL]

The goal (issue 18): a search, the patient page and the worklist each answer in under 100 ms of
server time with 100,000 patients, because the search reads an index (FTS5 on SQLite, pg_trgm on
PostgreSQL) rather than the clinic's whole patient table.

What is measured, and what is not:
- SQLite: --patients registered patients of one clinic in a fresh file (default), or with
  --demo the demo clinic with surgeries and answers, built once into --cache (default
  var/bench/search-<N>.sqlite3; building is not timed). Requests go through the whole ASGI app
  (routing, session check, audited service, template) with Starlette's TestClient, signed in as a
  demo surgeon. Every figure is the median of --repeats requests after one warm-up.
- PostgreSQL (when --postgres, or SPINETRACK_BENCH_POSTGRES_URL, names a database that answers;
  its schema is emptied): --patients synthetic patients of one clinic, bulk-inserted and analysed,
  searched through the app the same way. No surgeries there, so no page timings on PostgreSQL.
- References measured in the same run: GET /health (the framework's floor) and the same name
  question asked as a plain LIKE scan over the clinic's patients (what a search without an index
  costs), run directly on the database.
"""

import argparse
import os
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text

from spinetrack.app import create_app
from spinetrack.demo.load import DEMO_PASSWORD, DEMO_SLUG, demo_logins, load_demo
from spinetrack.demo.names import FAMILY, GIVEN_FEMALE, GIVEN_MALE
from spinetrack.domain.patient_query import fold
from spinetrack.services.access.accounts import create_clinic, create_user
from spinetrack.services.access.actor import system_actor
from spinetrack.services.clinician.clinic_overview import find_clinic
from spinetrack.services.operations.database import Database, open_database
from spinetrack.storage.statistics import refresh_statistics
from spinetrack.storage.tables import Patient, PatientOutcome

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 100.0
ACCENTED = ["Núñez", "Ibáñez", "Müller", "Åberg", "Gómez", "Céline", "José", "Zoë"]


def _sqlite(patients: int, cache: Path) -> Database:
    fresh = not cache.exists()
    cache.parent.mkdir(parents=True, exist_ok=True)
    database = open_database(f"sqlite:///{cache}")
    database.upgrade()
    if fresh:
        started = time.perf_counter()
        load_demo(database, patients=patients, seed=7, today=date.today())
        print(f"built {cache} with {patients:,} patients in {time.perf_counter() - started:.0f} s")
    else:
        print(f"reusing {cache}")
        with database.sessions.sessionmaker.begin() as session:
            refresh_statistics(session)
    return database


def _postgres(url: str, patients: int) -> Database:
    """A fresh schema with one clinic of synthetic patients (names with and without accents)."""
    database = open_database(url)
    with database.engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    return _synthetic(database, patients)


def _fresh_sqlite(path: Path, patients: int) -> Database:
    """A new SQLite file with one clinic of synthetic patients (quick to build, unlike the demo)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    return _synthetic(open_database(f"sqlite:///{path}"), patients)


def _synthetic(database: Database, patients: int) -> Database:
    """One clinic of `patients` registered patients (no surgeries), bulk-inserted and analysed."""
    database.upgrade()
    system = system_actor("benchmark")
    clinic = create_clinic(sessions=database.sessions, actor=system, slug=DEMO_SLUG, name="Bench")
    login = next(login for login in demo_logins() if login.role == "clinician")
    create_user(
        sessions=database.sessions,
        actor=system,
        email=login.email,
        full_name="Bench Surgeon",
        password=DEMO_PASSWORD,
        clinic_id=clinic,
        role="clinician",
    )
    given = [*GIVEN_FEMALE, *GIVEN_MALE, *ACCENTED]
    family = [*FAMILY, *ACCENTED]
    started = time.perf_counter()
    with database.sessions() as uow:
        rows = [
            {
                "mrn": f"MRN{n:07d}",
                "given_name": given[n % len(given)],
                "family_name": family[(n * 7 + n // len(given)) % len(family)],
                "birth_date": date(1935, 1, 1) + timedelta(days=(n * 37) % 25_000),
                "sex": "unknown",
            }
            for n in range(patients)
        ]
        uow.patients(clinic).bulk_insert(Patient, rows)
        uow.refresh_statistics()
        uow.commit()
    name = database.engine.dialect.name
    print(f"{name}: {patients:,} patients inserted in {time.perf_counter() - started:.0f} s")
    return database


def _signed_in(database: Database) -> TestClient:
    client = TestClient(create_app(database), follow_redirects=False)
    email = next(login.email for login in demo_logins() if login.role == "clinician")
    form = client.get("/login").text
    token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    sent = client.post(
        "/login", data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token}
    )
    assert sent.status_code == 303, sent.text
    return client


def _median_ms(run: Callable[[], Any], repeats: int) -> float:
    run()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _page(client: TestClient, path: str, params: dict[str, str] | None = None) -> Callable[[], Any]:
    def fetch() -> None:
        response = client.get(path, params=params)
        assert response.status_code == 200, (path, params, response.status_code)

    return fetch


def _like_scan(engine: Engine, clinic: int, word: str) -> Callable[[], Any]:
    """The reference: the same name question as a LIKE over every patient of the clinic."""
    pattern = f"%{word}%"
    query = (
        select(Patient.id, Patient.family_name, Patient.given_name)
        .where(
            Patient.clinic_id == clinic,
            func.lower(Patient.given_name + " " + Patient.family_name).like(pattern),
        )
        .order_by(Patient.family_name, Patient.given_name)
        .limit(51)
    )

    def scan() -> None:
        with engine.connect() as connection:
            connection.execute(query).all()

    return scan


def _indexed(database: Database, clinic: int, word: str) -> Callable[[], Any]:
    """The same question through the search's repository (the name index), SQL only."""

    def search() -> None:
        with database.sessions(read_only=True) as uow:
            uow.patient_search(clinic).by_name((word,), 51)

    return search


def _searches(database: Database, clinic: int) -> dict[str, str]:
    """Questions a user would type, drawn from a stored patient of the middle of the clinic."""
    with database.sessions.sessionmaker() as session:
        total = session.scalar(select(func.count()).where(Patient.clinic_id == clinic)) or 0
        patient = session.scalars(
            select(Patient).where(Patient.clinic_id == clinic).offset(total // 2).limit(1)
        ).one()
        family, given = fold(patient.family_name), fold(patient.given_name)
        return {
            f"name prefix '{family[:3]}'": family[:3],
            f"given + family '{given} {family}'": f"{given} {family}",
            "accented 'nunez' (typed plain)": "nunez",
            "MRN exact": patient.mrn,
            "MRN prefix": patient.mrn[:-2],
            "birth date, clinic format": patient.birth_date.strftime("%d %b %Y"),
            "birth date, ISO": patient.birth_date.isoformat(),
        }


def _report(
    title: str, database: Database, clinic: int, repeats: int, pages: dict[str, str]
) -> None:
    client = _signed_in(database)
    baseline = _median_ms(_page(client, "/health"), repeats)
    searches = _searches(database, clinic)
    word = next(iter(searches.values()))
    scan = _median_ms(_like_scan(database.engine, clinic, word), repeats)
    print(f"\n{title}: median of {repeats} requests each (server time through the app)")
    print(f"{'request':44} {'median ms':>10} {'x /health':>10} {'x LIKE scan':>12}  goal")
    print(f"{'/health (floor)':44} {baseline:10.1f} {1.0:10.1f} {baseline / scan:12.2f}")
    print(f"{'reference: LIKE scan of names (SQL only)':44} {scan:10.1f} {scan / baseline:10.1f}")
    indexed = _median_ms(_indexed(database, clinic, word), repeats)
    print(
        f"{'the same through the name index (SQL only)':44} {indexed:10.1f} "
        f"{indexed / baseline:10.1f} {indexed / scan:12.2f}"
    )
    rows = {f"search: {k}": ("/patients", {"q": q}) for k, q in searches.items()}
    rows.update({name: (path, {}) for name, path in pages.items()})
    for name, (path, params) in rows.items():
        median = _median_ms(_page(client, path, params or None), repeats)
        verdict = "ok" if median < GOAL_MS else "OVER"
        print(
            f"{name[:44]:44} {median:10.1f} {median / baseline:10.1f} {median / scan:12.2f}"
            f"  {verdict}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--postgres", default=os.environ.get("SPINETRACK_BENCH_POSTGRES_URL"))
    parser.add_argument(
        "--demo",
        action="store_true",
        help="SQLite: the demo clinic with its surgeries and answers (cached; building takes an "
        "hour at 100,000 on a busy machine) instead of registered patients only",
    )
    args = parser.parse_args()
    if not args.demo:
        path = ROOT / "var" / "bench" / f"search-synthetic-{args.patients}.sqlite3"
        _measure_synthetic("SQLite", _fresh_sqlite(path, args.patients), args)
    else:
        _measure_demo(args)
    if not args.postgres:
        print("\nPostgreSQL: not measured (pass --postgres URL)")
        return
    try:
        postgres = _postgres(args.postgres, args.patients)
    except Exception as exc:  # the server is optional: say why and stop
        print(f"\nPostgreSQL: not measured ({type(exc).__name__}: {exc})")
        return
    _measure_synthetic("PostgreSQL", postgres, args)


def _measure_synthetic(title: str, database: Database, args: argparse.Namespace) -> None:
    try:
        clinic = find_clinic(sessions=database.sessions, slug=DEMO_SLUG)
        assert clinic is not None
        with database.sessions.sessionmaker() as session:
            anyone = session.scalar(select(Patient.id).where(Patient.clinic_id == clinic).limit(1))
        pages = {"patient page (no surgery)": f"/patients/{anyone}", "worklist": "/worklist"}
        label = f"{title}, {args.patients:,} registered patients"
        _report(label, database, clinic, args.repeats, pages)
    finally:
        database.close()


def _measure_demo(args: argparse.Namespace) -> None:
    cache = args.cache or ROOT / "var" / "bench" / f"search-{args.patients}.sqlite3"
    database = _sqlite(args.patients, cache)
    try:
        clinic = find_clinic(sessions=database.sessions, slug=DEMO_SLUG)
        assert clinic is not None
        with database.sessions.sessionmaker() as session:
            failing = session.scalar(
                select(PatientOutcome.patient_id)
                .where(PatientOutcome.clinic_id == clinic, PatientOutcome.status == "failing")
                .limit(1)
            )
        pages = {
            "worklist (landing)": "/worklist",
            "patient page, failing patient": f"/patients/{failing}",
        }
        _report(f"SQLite demo, {args.patients:,} patients", database, clinic, args.repeats, pages)
    finally:
        database.close()


if __name__ == "__main__":
    main()
