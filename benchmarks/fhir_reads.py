"""FHIR reads and searches at clinic size: a read by id, a 404 and searches in a clinic of
--patients patients (one surgery and four ODI responses each, imported through the CSV importer),
next to a baseline measured in the same run: the former way, which built every resource of the
clinic and then picked the one asked for (what a read and a 404 cost before issue 22, point 4).

    .venv/bin/python benchmarks/fhir_reads.py [--patients 10000] [--repeats 5] [--baseline-repeats 3]

Loading the clinic is not timed. Each figure is the median of the repeats, through the service
(one audited transaction each), on SQLite in a temporary folder.
"""

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl

from spinetrack.domain.errors import NotFound
from spinetrack.interop.fhir.bundle_out import registry_resources
from spinetrack.interop.fhir.ids import patient_id
from spinetrack.services.access.accounts import create_clinic
from spinetrack.services.access.actor import system_actor
from spinetrack.services.operations.database import Database, open_database
from spinetrack.services.registry_io.fhir_search import DateBound, Query, read, search
from spinetrack.services.registry_io.import_csv import import_csv
from spinetrack.services.registry_io.registry_records import clinic_rows, registry_of

SYSTEM = system_actor("benchmark")


def _csv(rows: dict[str, list[str]]) -> bytes:
    return pl.DataFrame(rows).write_csv().encode()


def _load(database: Database, patients: int) -> int:
    clinic = create_clinic(sessions=database.sessions, actor=SYSTEM, slug="bench", name="Bench")
    mrns = [f"B{n:06d}" for n in range(patients)]
    tables = {
        "patients": {
            "mrn": mrns,
            "given_name": ["Kim"] * patients,
            "family_name": ["Berg"] * patients,
            "birth_date": ["1965-04-03"] * patients,
            "sex": ["female"] * patients,
        },
        "surgeries": {
            "mrn": mrns,
            "performed_on": [
                str(date(2024, 1, 8) + timedelta(days=n % 300)) for n in range(patients)
            ],
            "region": ["lumbar"] * patients,
            "procedure": ["discectomy", "fusion"] * (patients // 2) + ["fusion"] * (patients % 2),
            "approach": ["posterior"] * patients,
            "levels": ["L4-L5"] * patients,
        },
    }
    responses: dict[str, list[str]] = {"mrn": [], "instrument": [], "completed_at": []}
    responses |= {f"odi_{i}": [] for i in range(1, 11)}
    start = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
    for n, mrn in enumerate(mrns):
        for k in range(4):
            responses["mrn"].append(mrn)
            responses["instrument"].append("odi")
            moment = start + timedelta(days=n % 300 + 90 * k, minutes=n % 600)
            responses["completed_at"].append(moment.isoformat())
            for i in range(1, 11):
                responses[f"odi_{i}"].append(str((n + k + i) % 6))
    tables["responses"] = responses
    for kind, rows in tables.items():
        import_csv(
            sessions=database.sessions,
            actor=SYSTEM,
            clinic_id=clinic,
            kind=kind,
            data=_csv(rows),  # type: ignore[arg-type]
        )
    return clinic


def _median(repeats: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def _former_read(database: Database, clinic: int, kind: str, resource_id: str) -> object:
    """The former read: every resource of the clinic built, then the one asked for picked."""
    with database.sessions() as uow:
        registry = registry_of(uow, clinic, clinic_rows(uow, clinic))
        found = [
            r
            for r in registry_resources(registry, today=date.today())
            if r.get_resource_type() == kind and r.id == resource_id
        ]
    if not found:
        raise NotFound(kind, resource_id)
    return found[0]


def _missing(work: Callable[[], object]) -> Callable[[], object]:
    def run() -> object:
        try:
            work()
        except NotFound:
            return None
        raise AssertionError("expected 404")

    return run


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--baseline-repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{Path(folder) / 'fhir.sqlite3'}")
        database.upgrade()
        clinic = _load(database, args.patients)
        middle = patient_id(f"B{args.patients // 2:06d}")
        sessions = dict(sessions=database.sessions, actor=SYSTEM, clinic_id=clinic)
        page = search(**sessions, query=Query("Observation", patient=middle, count=1))  # type: ignore[arg-type]
        observation = str(page.resources[0].id)

        def one(kind: str, rid: str) -> Callable[[], object]:
            return lambda: read(**sessions, resource_type=kind, resource_id=rid)  # type: ignore[arg-type]

        def find(query: Query) -> Callable[[], object]:
            return lambda: search(**sessions, query=query)  # type: ignore[arg-type]

        june = DateBound("eq", datetime(2024, 6, 1, tzinfo=UTC), datetime(2024, 7, 1, tzinfo=UTC))
        cases = {
            "read Patient": one("Patient", middle),
            "read Observation": one("Observation", observation),
            "404 Observation": _missing(one("Observation", "no-such-id")),
            "search Observation?patient=": find(Query("Observation", patient=middle)),
            "search Observation (first page of 20)": find(Query("Observation")),
            "search Observation?date=2024-06&_sort=-date": find(
                Query("Observation", dates=(june,), by_date=True, descending=True)
            ),
            "search Procedure?code=fusion, page 50": find(
                Query("Procedure", codes=((None, "fusion"),), offset=49 * 20)
            ),
        }
        after = {name: _median(args.repeats, work) for name, work in cases.items()}
        before_read = _median(
            args.baseline_repeats,
            lambda: _former_read(database, clinic, "Observation", observation),
        )
        before_missing = _median(
            args.baseline_repeats,
            _missing(lambda: _former_read(database, clinic, "Observation", "no-such-id")),
        )
        database.close()
    print(f"FHIR reads, SQLite, {args.patients:,} patients, {args.patients * 4:,} responses")
    print(f"baseline (former: build the clinic, pick one), median of {args.baseline_repeats}:")
    print(f"  read Observation   {before_read * 1000:9.1f} ms")
    print(f"  404 Observation    {before_missing * 1000:9.1f} ms")
    print(f"now, median of {args.repeats}:")
    for name, seconds in after.items():
        print(f"  {name:44} {seconds * 1000:8.1f} ms")
    print(f"ratio read  before/now: {before_read / after['read Observation']:.0f}x")
    print(f"ratio 404   before/now: {before_missing / after['404 Observation']:.0f}x")


if __name__ == "__main__":
    main()
