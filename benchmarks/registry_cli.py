"""`spinetrack score` and `spinetrack outcomes` on registry-sized files, beside the reference
passes in ../shared/bench/ run on the same files in the same run (see that folder's README):
`odi_polars.py` (an analyst's one-pass ODI scoring) and `floor_outcomes.py` (the least work any
exact classifier does: a sort and two group-bys on the streaming engine).

Every figure is a whole process (CPU = user + system, peak resident memory), the median of
REPEATS runs; the ratios are spinetrack's CPU and memory over the reference's. Outcomes run on
CSV and on Parquet (in and out). The issue's targets: score ≤ 0.3x the reference's CPU and
≤ 400 MiB; outcomes ≤ 1.5x the floor's CPU and at most its memory.
Usage:
    python benchmarks/registry_cli.py [--patients N] [--responses N] [--repeats N]
        [--shared ../shared/bench] [--keep DIR]
The input files are generated once into --keep (default: a temporary folder).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from scoring import make_responses  # a sibling benchmark's generator

PYTHON = sys.executable
SPINETRACK = [PYTHON, "-c", "from spinetrack.cli.main import main; main()"]
# ../shared/bench beside the repository (a worktree sits one folder deeper).
DEFAULT_SHARED = next(
    (
        folder / "shared" / "bench"
        for folder in Path(__file__).resolve().parents[1].parents
        if (folder / "shared" / "bench" / "gen_points.py").exists()
    ),
    Path("../shared/bench"),
)
Figures = tuple[float, float, float]


def _run_once(argv: list[str], stdout: Path) -> Figures:
    """(wall s, CPU s, peak MiB) of one process writing ``stdout``."""
    start = os.times().elapsed
    with stdout.open("wb") as sink:
        process = subprocess.Popen(argv, stdout=sink, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
    wall = os.times().elapsed - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _median(argv: list[str], stdout: Path, repeats: int) -> Figures:
    runs = [_run_once(argv, stdout) for _ in range(repeats)]
    return (
        statistics.median(r[0] for r in runs),
        statistics.median(r[1] for r in runs),
        statistics.median(r[2] for r in runs),
    )


def _pair(label: str, ours: Figures, reference: Figures, reference_label: str) -> None:
    for name, figures in ((label, ours), (reference_label, reference)):
        wall, cpu, mib = figures
        print(f"  {name:<44} {wall:8.1f} {cpu:8.1f} {mib:9.0f}")
    print(
        f"  {'ratio (spinetrack / reference)':<44} {ours[0] / reference[0]:7.2f}x"
        f" {ours[1] / reference[1]:7.2f}x {ours[2] / reference[2]:8.2f}x"
    )


def _inputs(folder: Path, patients: int, responses: int, shared: Path) -> dict[str, Path]:
    files = {
        "responses": folder / f"odi_{responses}.csv",
        "points_csv": folder / f"points_{patients}.csv",
        "points_parquet": folder / f"points_{patients}.parquet",
    }
    if not files["responses"].exists():
        make_responses(files["responses"], responses, seed=7)
    for key in ("points_csv", "points_parquet"):
        if not files[key].exists():
            subprocess.run(
                [PYTHON, str(shared / "gen_points.py"), str(patients), str(files[key])],
                check=True,
                stderr=subprocess.DEVNULL,
            )
    return files


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--keep", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        files = _inputs(folder, args.patients, args.responses, args.shared)
        out = Path(scratch)
        print(f"median of {args.repeats} runs; whole processes")
        print(f"  {'':<44} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9}")
        print(f"score --instrument odi, {args.responses:,} responses (CSV)")
        _pair(
            "spinetrack score",
            _median(
                [*SPINETRACK, "score", "-i", "odi", str(files["responses"])],
                out / "scores.csv",
                args.repeats,
            ),
            _median(
                [PYTHON, str(args.shared / "odi_polars.py"), str(files["responses"])],
                out / "reference_scores.csv",
                args.repeats,
            ),
            "reference odi_polars.py",
        )
        for kind in ("csv", "parquet"):
            source = files[f"points_{kind}"]
            print(f"outcomes, {args.patients:,} patients ({kind} in, {kind} out)")
            target = out / f"statuses.{kind}"
            ours = [*SPINETRACK, "outcomes", str(source), "--out", str(target)]
            _pair(
                "spinetrack outcomes",
                _median(ours, out / "outcomes.log", args.repeats),
                _median(
                    [PYTHON, str(args.shared / "floor_outcomes.py"), str(source)],
                    out / "floor.csv",
                    args.repeats,
                ),
                "floor floor_outcomes.py (CSV out)",
            )


if __name__ == "__main__":
    main()
