"""How fast one triage assessment is after start-up, against a baseline measured in the same run.

The baseline is validating the same case (``parse_case``), which every assessment must do anyway:
the ratio tells how much the rules themselves cost on top. Cases are the test vignettes. Prints the
median time per call, the ratio, and the time to re-assess 10,000 cases (the issue's batch target).
Usage:
    python benchmarks/triage.py [REPEATS]
"""

import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from spinetrack.domain.triage import assess
from spinetrack.domain.triage.case import parse_case

CASES = Path(__file__).resolve().parents[1] / "tests" / "domain" / "triage" / "cases"
TARGET_MS = 2.0
BATCH = 10_000
BATCH_TARGET_S = 20.0


def _cases() -> list[dict[str, Any]]:
    return [json.loads((folder / "case.json").read_text()) for folder in sorted(CASES.iterdir())]


def _median_per_call(
    func: Callable[[dict[str, Any]], object], cases: list[dict[str, Any]], repeats: int
) -> float:
    """Median over every (case, repeat) of one call's time, in milliseconds."""
    times = []
    for _ in range(repeats):
        for case in cases:
            start = time.perf_counter()
            func(case)
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def _batch_seconds(cases: list[dict[str, Any]]) -> float:
    start = time.perf_counter()
    for i in range(BATCH):
        assess(cases[i % len(cases)])
    return time.perf_counter() - start


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    cases = _cases()
    start = time.perf_counter()
    assess(cases[0])  # start-up: reads, checks and caches the rules
    startup_ms = (time.perf_counter() - start) * 1000
    baseline = _median_per_call(parse_case, cases, repeats)
    one = _median_per_call(assess, cases, repeats)
    with_json = _median_per_call(lambda c: assess(c).model_dump_json(), cases, repeats)
    batch = _batch_seconds(cases)
    print(f"vignettes: {len(cases)}, repeats: {repeats}")
    print(f"start-up (first assessment, rules read and checked): {startup_ms:.1f} ms")
    print(f"baseline, validate the case only:  median {baseline:.3f} ms")
    print(f"assess(case):                      median {one:.3f} ms  (target < {TARGET_MS} ms)")
    print(f"assess(case) + JSON:               median {with_json:.3f} ms")
    print(f"ratio assess / baseline:           {one / baseline:.1f}x")
    print(f"{BATCH:,} assessments in a row:      {batch:.2f} s  (target < {BATCH_TARGET_S:.0f} s)")


if __name__ == "__main__":
    main()
