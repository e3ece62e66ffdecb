"""Re-assess every stored patient of a clinic (target: 10,000 patients in under 20 s).

The baseline, measured in the same run, is reading the same records without assessing them, so the
ratio shows what triage adds on top of the database work. Prints medians over a few repeats.
Usage: python benchmarks/triage_stored.py [PATIENTS] [REPEATS]
"""

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from spinetrack.demo.load import load_demo
from spinetrack.services.access.actor import system_actor
from spinetrack.services.operations.database import open_database
from spinetrack.services.triage.reassess_clinic import reassess_clinic
from spinetrack.storage.tables import Patient, PromResponse, Surgery

TODAY = date(2026, 11, 21)


def main() -> None:
    patients = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        database.upgrade()
        clinic = load_demo(database, patients=patients, seed=7, today=TODAY)
        actor = system_actor("benchmark")
        reads, runs = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            with database.sessions() as uow:
                repo = uow.patients(clinic)
                for table in (Patient, Surgery, PromResponse):
                    repo.every(table)
            reads.append(time.perf_counter() - start)
            start = time.perf_counter()
            count = reassess_clinic(
                sessions=database.sessions, actor=actor, clinic_id=clinic, evaluation_date=TODAY
            )
            runs.append(time.perf_counter() - start)
        database.close()
    read, run = statistics.median(reads), statistics.median(runs)
    print(f"patients assessed           {count:>10,}")
    print(f"read records only, median   {read:>10.2f} s   (baseline)")
    print(f"re-assess and store, median {run:>10.2f} s   (target < 20 s for 10,000)")
    print(f"per patient                 {run / count * 1000:>10.2f} ms")
    print(f"ratio to baseline           {run / read:>10.1f}")


if __name__ == "__main__":
    main()
