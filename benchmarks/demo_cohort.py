"""How fast the demo clinic is generated and loaded, against a baseline measured in the same run.

The baseline is the time to draw the same number of plain random numbers per patient as the
generator does, without building any record: it tells how much of the cost is the bookkeeping.
Prints medians over a few repeats, the peak memory, and the ratio; the load's CPU seconds too (on
a shared machine the wall clock carries others' work). Usage:
    python benchmarks/demo_cohort.py [PATIENTS] [REPEATS]
"""

import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

from spinetrack.demo.cohort import generate_cohort
from spinetrack.demo.load import load_demo
from spinetrack.services.operations.database import open_database

TODAY = date(2026, 11, 21)


def _timed(func) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def _baseline(patients: int) -> None:
    rng = random.Random(1)
    for _ in range(patients * 60):  # roughly the draws the generator makes per patient
        rng.random()


def main() -> None:
    patients = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    generate = [_timed(lambda: generate_cohort(patients, 7, TODAY)) for _ in range(repeats)]
    baseline = [_timed(lambda: _baseline(patients)) for _ in range(repeats)]
    tracemalloc.start()
    cohort = generate_cohort(patients, 7, TODAY)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"patients                 {patients:>12,}")
    print(f"surgeries / responses    {len(cohort.surgeries):>12,} / {len(cohort.responses):,}")
    print(f"generate, median         {statistics.median(generate):>12.2f} s")
    print(f"baseline draws, median   {statistics.median(baseline):>12.2f} s")
    print(
        f"ratio generate/baseline  {statistics.median(generate) / statistics.median(baseline):>12.1f}"
    )
    print(f"peak traced memory       {peak / 2**20:>12.0f} MiB")
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        database.upgrade()
        cpu = time.process_time()
        load = _timed(lambda: load_demo(database, patients=patients, seed=7, today=TODAY))
        load_cpu = time.process_time() - cpu
        database.close()
    print(f"generate + load (SQLite) {load:>12.2f} s  (one run; CPU {load_cpu:.2f} s)")


if __name__ == "__main__":
    main()
