"""Benchmark: score 1,000,000 ODI responses and classify 1,000,000 patients (about 6 responses each)
through the code the CLI runs, next to a straightforward pandas row-wise implementation of the same
rules (the baseline an analyst would write). Prints medians, rows/s, peak memory and the ratios.

    .venv/bin/python benchmarks/scoring.py [--responses N] [--patients N] [--repeats N]

Each measured run happens in a fresh process, so its peak resident memory (ru_maxrss) is its own;
the time covers reading the CSV, computing and writing the result CSV (not interpreter start-up).
The pandas classification baseline runs on a sample of patients (--baseline-patients) because
groupby-apply over a million patients takes many minutes; its rows/s is what the ratio compares.
"""

import argparse
import csv
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from scoring_pandas_baseline import pandas_classify, pandas_score

ODI_ITEMS = [f"odi_{i}" for i in range(1, 11)]
SCORE_COLUMNS = ["response_id", "status", "answered", "raw", "percent"]
STATUS_COLUMNS = [
    "patient_id",
    "status",
    "latest_timepoint",
    "disability_improvement",
    "pain_improvement",
]
TARGET_SCORE_SECONDS = 5.0
TARGET_CLASSIFY_SECONDS = 10.0
TARGET_PEAK_MIB = 2048
TARGET_RATIO = 20.0

# ---------------------------------------------------------------------------------------------
# Data


def make_responses(path: Path, rows: int, seed: int) -> None:
    """ODI responses: about 3 % blank cells, 0.5 % out-of-range and 0.2 % fractional values."""
    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {"response_id": np.char.add("r", np.arange(rows).astype(str))}
    for item in ODI_ITEMS:
        values = rng.integers(0, 6, rows).astype(object)
        draw = rng.random(rows)
        values[draw < 0.03] = ""
        values[(draw >= 0.03) & (draw < 0.035)] = 7
        values[(draw >= 0.035) & (draw < 0.037)] = 2.5
        columns[item] = values.astype(str)
    pl.DataFrame(columns).write_csv(path)


def make_points(path: Path, patients: int, seed: int) -> int:
    """Six scores per patient: ODI (or NDI) at baseline, 6w, 3m and 12m, back and leg pain at
    baseline and 12m; days jittered around the visits; 5 % miss the baseline visit."""
    rng = np.random.default_rng(seed)
    visits = [("dis", -14), ("dis", 42), ("dis", 91), ("dis", 365), ("nrs_back", -14)]
    visits += [("nrs_leg", 365)]
    ids = np.arange(patients)
    cervical = rng.random(patients) < 0.2
    start = rng.uniform(20, 80, patients)
    frames = []
    for kind, day in visits:
        jitter = rng.integers(-12, 13, patients)
        days = day + jitter
        if kind == "dis":
            instrument = np.where(cervical, "ndi", "odi")
            change = rng.normal(-0.3 if day > 0 else 0, 0.25, patients) * start
            score = np.clip(start + change, 0, 100).round(2)
            if day < 0:
                days = np.where(rng.random(patients) < 0.05, -200, days)
        else:
            instrument = np.full(patients, kind)
            score = rng.integers(0, 11, patients).astype(float)
        frames.append(
            pl.DataFrame(
                {
                    "patient_id": ids,
                    "instrument": instrument,
                    "days_after_surgery": days,
                    "score": score,
                }
            )
        )
    table = pl.concat(frames).sort("patient_id", maintain_order=True)
    table.write_csv(path)
    return table.height


# ---------------------------------------------------------------------------------------------
# The CLI path


def cli_score(source: Path, target: Path) -> int:
    from spinetrack.cli.score import score_csv

    with target.open("wb") as sink:
        return sum(score_csv(str(source), "odi", sink).values())


def cli_classify(source: Path, target: Path) -> int:
    from spinetrack.cli.outcomes import classify_csv

    with target.open("wb") as sink:
        patients, _ = classify_csv(str(source), sink)
    return patients


# ---------------------------------------------------------------------------------------------
# Measuring


def _child(job: Callable[..., int], args: tuple[Any, ...], results: Any) -> None:
    started = time.perf_counter()
    rows = job(*args)
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    results.put((rows, elapsed, peak_kib / 1024))


def measure(
    job: Callable[..., int], args: tuple[Any, ...], repeats: int
) -> tuple[int, float, float]:
    """(rows, median seconds, largest peak MiB) over ``repeats`` fresh processes."""
    context = multiprocessing.get_context("spawn")
    runs = []
    for _ in range(repeats):
        results = context.Queue()
        process = context.Process(target=_child, args=(job, args, results))
        process.start()
        runs.append(results.get())
        process.join()
        if process.exitcode != 0:
            raise SystemExit(f"{job.__name__} failed with exit code {process.exitcode}")
    return runs[0][0], statistics.median(r[1] for r in runs), max(r[2] for r in runs)


def _line(label: str, rows: int, seconds: float, peak: float) -> None:
    print(f"{label:<44}{rows:>11,}{seconds:>10.2f}{rows / seconds:>14,.0f}{peak:>10,.0f}")


def _rows_by_key(path: Path, columns: list[str]) -> dict[str, list[str]]:
    with path.open(newline="") as file:
        return {r[columns[0]]: [r[c] for c in columns[1:]] for r in csv.DictReader(file)}


def baseline_agrees(ours: Path, theirs: Path, columns: list[str]) -> bool:
    """Every row the baseline wrote is the row spinetrack wrote for the same key."""
    mine, other = _rows_by_key(ours, columns), _rows_by_key(theirs, columns)
    return bool(other) and all(mine[key] == row for key, row in other.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline-repeats", type=int, default=1)
    parser.add_argument("--baseline-patients", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=11)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="spinetrack-bench-") as folder:
        work = Path(folder)
        responses, points = work / "responses.csv", work / "points.csv"
        make_responses(responses, options.responses, options.seed)
        point_rows = make_points(points, options.patients, options.seed)
        print(
            f"data: {options.responses:,} ODI responses; {options.patients:,} patients, "
            f"{point_rows:,} scores; median of {options.repeats} runs "
            f"(baseline: {options.baseline_repeats}); peak = the run's max resident memory\n"
        )
        print(f"{'':<44}{'rows':>11}{'median s':>10}{'rows/s':>14}{'peak MiB':>10}")

        scored = measure(cli_score, (responses, work / "scores.csv"), options.repeats)
        _line("score ODI: spinetrack CLI path", *scored)
        base_scored = measure(
            pandas_score, (responses, work / "scores_pandas.csv"), options.baseline_repeats
        )
        _line("score ODI: pandas row-wise apply", *base_scored)
        score_ratio = (scored[0] / scored[1]) / (base_scored[0] / base_scored[1])

        classified = measure(cli_classify, (points, work / "status.csv"), options.repeats)
        _line("classify patients: spinetrack CLI path", *classified)
        base_classified = measure(
            pandas_classify,
            (points, work / "status_pandas.csv", options.baseline_patients),
            options.baseline_repeats,
        )
        _line("classify patients: pandas groupby-apply", *base_classified)
        classify_ratio = (classified[0] / classified[1]) / (base_classified[0] / base_classified[1])

        agree_scores = baseline_agrees(
            work / "scores.csv", work / "scores_pandas.csv", SCORE_COLUMNS
        )
        agree_status = baseline_agrees(
            work / "status.csv", work / "status_pandas.csv", STATUS_COLUMNS
        )
        print(
            f"\nspeed-up (rows/s): scoring {score_ratio:.1f}x, classification {classify_ratio:.1f}x"
        )
        print(f"baseline output identical: scores {agree_scores}, statuses {agree_status}")
        checks = [
            (
                f"score {options.responses:,} < {TARGET_SCORE_SECONDS:.0f} s",
                scored[1] < TARGET_SCORE_SECONDS,
            ),
            (
                f"classify {options.patients:,} < {TARGET_CLASSIFY_SECONDS:.0f} s",
                classified[1] < TARGET_CLASSIFY_SECONDS,
            ),
            (f"peak < {TARGET_PEAK_MIB} MiB", max(scored[2], classified[2]) < TARGET_PEAK_MIB),
            (f">= {TARGET_RATIO:.0f}x pandas", min(score_ratio, classify_ratio) >= TARGET_RATIO),
        ]
        print(
            "targets: " + "; ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in checks)
        )
        if not (agree_scores and agree_status):
            sys.exit(1)


if __name__ == "__main__":
    main()
