"""CSV import speed: 100,000 response rows (20,000 patients, five responses each) imported into an
empty SQLite database through `import_csv`, every row checked and scored. Prints the medians and the
ratio to a baseline measured in the same run: polars reading the same file, with no checks."""

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

from spinetrack.services.access.accounts import create_clinic
from spinetrack.services.access.actor import system_actor
from spinetrack.services.operations.database import open_database
from spinetrack.services.registry_io.import_csv import import_csv

PATIENTS = 20_000
PER_PATIENT = 5
RUNS = 3
SYSTEM = system_actor("benchmark")


def _files(directory: Path) -> tuple[bytes, bytes]:
    mrns = [f"B{n:06d}" for n in range(PATIENTS)]
    patients = pl.DataFrame(
        {
            "mrn": mrns,
            "given_name": ["Kim"] * PATIENTS,
            "family_name": ["Berg"] * PATIENTS,
            "birth_date": ["1965-04-03"] * PATIENTS,
            "sex": ["female", "male"] * (PATIENTS // 2),
        }
    )
    start = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)
    rows = {"mrn": [], "instrument": [], "completed_at": []} | {
        f"odi_{i}": [] for i in range(1, 11)
    }
    for n, mrn in enumerate(mrns):
        for k in range(PER_PATIENT):
            rows["mrn"].append(mrn)
            rows["instrument"].append("odi")
            rows["completed_at"].append((start + timedelta(days=90 * k, minutes=n)).isoformat())
            for i in range(1, 11):
                rows[f"odi_{i}"].append(str((n + k + i) % 6))
    responses = pl.DataFrame(rows)
    (directory / "responses.csv").write_bytes(responses.write_csv().encode())
    return patients.write_csv().encode(), (directory / "responses.csv").read_bytes()


def _import_once(directory: Path, patients: bytes, responses: bytes, run: int) -> float:
    database = open_database(f"sqlite:///{directory / f'run{run}.sqlite3'}")
    database.upgrade()
    clinic = create_clinic(sessions=database.sessions, actor=SYSTEM, slug="bench", name="Bench")
    import_csv(
        sessions=database.sessions, actor=SYSTEM, clinic_id=clinic, kind="patients", data=patients
    )
    began = time.perf_counter()
    report = import_csv(
        sessions=database.sessions, actor=SYSTEM, clinic_id=clinic, kind="responses", data=responses
    )
    took = time.perf_counter() - began
    assert report.created["responses"] == PATIENTS * PER_PATIENT
    database.close()
    return took


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        directory = Path(folder)
        patients, responses = _files(directory)
        baseline = []
        for _ in range(RUNS):
            began = time.perf_counter()
            pl.read_csv(directory / "responses.csv", infer_schema=False)
            baseline.append(time.perf_counter() - began)
        imports = [_import_once(directory, patients, responses, run) for run in range(RUNS)]
    rows = PATIENTS * PER_PATIENT
    ours, theirs = statistics.median(imports), statistics.median(baseline)
    print(f"CSV import of {rows:,} response rows (checked, scored, statuses): median {ours:.2f} s")
    print(f"baseline, polars read_csv of the same file (no checks): median {theirs:.3f} s")
    print(
        f"ratio import / baseline: {ours / theirs:.0f}x; budget 20 s: {'met' if ours < 20 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
