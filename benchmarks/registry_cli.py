"""`spinetrack score` and `spinetrack outcomes` on registry-sized files, beside the reference
passes in ../shared/bench/ run on the same files in the same run (see that folder's README):
`odi_polars.py` (an analyst's one-pass ODI scoring) and `floor_outcomes.py` (the least work any
exact classifier does: a sort and two group-bys on the streaming engine).

Every figure is a whole process (CPU = user + system, peak resident memory), the median of
REPEATS runs; the ratios are spinetrack's CPU and memory over the reference's. Outcomes run on
CSV and on Parquet (in and out). The issue's targets: score ≤ 0.3x the reference's CPU and
≤ 400 MiB; outcomes ≤ 1.5x the floor's CPU and at most its memory, memory flat in the input size.
Usage:
    python benchmarks/registry_cli.py [--patients N[,N...]] [--responses N] [--repeats N]
        [--shared ../shared/bench] [--keep DIR] [--skip-score] [--csv-only]
Several --patients sizes (e.g. 1000000,3000000,10000000) end with a table of each size's peak
memory, to show whether it stays flat; give --repeats 1 for the 10M size (one run is a minute or
more of CPU). Each outcomes line says whether spinetrack classified the file whole or in parts
(see spinetrack.cli.outcomes.part_count), and the load average is printed as the runs go. The input files are generated once into --keep (default: a temporary folder). Each
run's output is checked: score's statuses, raw and percent equal the reference's row for row.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
from scoring import make_responses  # a sibling benchmark's generator

PYTHON = sys.executable
TIME = "/usr/bin/time"  # GNU time: wall, user and system CPU, peak resident memory
SPINETRACK = [PYTHON, "-c", "from spinetrack.cli.main import main; main()"]
SPINETRACK_SCORE = [*SPINETRACK, "score", "-i", "odi"]
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
    """(wall s, CPU s, peak MiB) of one process writing ``stdout``, measured by /usr/bin/time.

    Not by this process's wait4: a child's peak resident memory starts from its parent's at the
    fork, so every command would report at least this script's own peak (which holds the
    generated responses and reads both score outputs: about 0.5 GB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as figures, stdout.open("wb") as sink:
        timed = [TIME, "-f", "%e %U %S %M", "-o", figures.name, *argv]
        status = subprocess.run(timed, stdout=sink, stderr=subprocess.DEVNULL, check=False)
        if status.returncode != 0:
            raise SystemExit(f"failed: {' '.join(argv)}")
        wall, user, system, kib = figures.read().split()[-4:]
    return float(wall), float(user) + float(system), float(kib) / 1024


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


def _load() -> str:
    """The machine's load average: the wall clock is inflated when others share it."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def _verdict(name: str, met: bool) -> None:
    print(f"  target {name}: {'met' if met else 'MISSED'}")


def _scores_agree(ours: Path, reference: Path) -> bool:
    """The reference leaves ``answered`` empty on invalid rows; every other cell must agree."""
    kept = ["response_id", "status", "raw", "percent"]
    read = {"infer_schema": False}
    return (
        pl.read_csv(ours, **read).select(kept).equals(pl.read_csv(reference, **read).select(kept))
    )


def _inputs(folder: Path, patients: int, responses: int, shared: Path) -> dict[str, Path]:
    files = {
        "responses": folder / f"odi_{responses}.csv",
        "points_csv": folder / f"points_{patients}.csv",
        "points_parquet": folder / f"points_{patients}.parquet",
    }
    if responses and not files["responses"].exists():
        make_responses(files["responses"], responses, seed=7)
    for key in ("points_csv", "points_parquet"):
        if not files[key].exists():
            subprocess.run(
                [PYTHON, str(shared / "gen_points.py"), str(patients), str(files[key])],
                check=True,
                stderr=subprocess.DEVNULL,
            )
    return files


def _score(files: dict[str, Path], out: Path, args: argparse.Namespace) -> None:
    print(f"score --instrument odi, {args.responses:,} responses (CSV; {_load()})")
    ours = _median([*SPINETRACK_SCORE, str(files["responses"])], out / "scores.csv", args.repeats)
    reference = _median(
        [PYTHON, str(args.shared / "odi_polars.py"), str(files["responses"])],
        out / "reference_scores.csv",
        args.repeats,
    )
    _pair("spinetrack score", ours, reference, "reference odi_polars.py")
    agree = _scores_agree(out / "scores.csv", out / "reference_scores.csv")
    print(f"  same status, raw and percent as the reference on every row: {agree}")
    _verdict("CPU <= 0.3x the reference", ours[1] <= 0.3 * reference[1])
    _verdict("peak <= 400 MiB", ours[2] <= 400)


def _parts(source: Path) -> str:
    from spinetrack.cli.outcomes import part_count

    count = part_count(str(source))
    return "classified whole" if count == 1 else f"in {count} parts"


def _outcomes(
    files: dict[str, Path], out: Path, args: argparse.Namespace, patients: int
) -> dict[str, tuple[Figures, Figures]]:
    """Outcomes beside the floor on CSV (and Parquet); returns each kind's (ours, floor)."""
    kinds = ("csv",) if args.csv_only else ("csv", "parquet")
    measured = {}
    for kind in kinds:
        source = files[f"points_{kind}"]
        parts = _parts(source)
        print(f"outcomes, {patients:,} patients ({kind} in, {kind} out; {parts}; {_load()})")
        target = out / f"statuses.{kind}"
        ours = _median(
            [*SPINETRACK, "outcomes", str(source), "--out", str(target)],
            out / "outcomes.log",
            args.repeats,
        )
        floor = _median(
            [PYTHON, str(args.shared / "floor_outcomes.py"), str(source)],
            out / "floor.csv",
            args.repeats,
        )
        _pair("spinetrack outcomes", ours, floor, "floor floor_outcomes.py (CSV out)")
        _verdict("CPU <= 1.5x the floor", ours[1] <= 1.5 * floor[1])
        _verdict("peak <= the floor's", ours[2] <= floor[2])
        measured[kind] = (ours, floor)
    return measured


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", default="1000000", help="one size or several, with commas")
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--skip-score", action="store_true")
    parser.add_argument("--csv-only", action="store_true", help="outcomes on CSV only")
    args = parser.parse_args()
    sizes = [int(size) for size in args.patients.split(",")]
    flat: dict[tuple[str, int], tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        out = Path(scratch)
        print(f"median of {args.repeats} runs; whole processes (CPU = user + system); {_load()}")
        print(f"  {'':<44} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9}")
        if not args.skip_score:
            files = _inputs(folder, sizes[0], args.responses, args.shared)
            _score(files, out, args)
        for patients in sizes:
            files = _inputs(folder, patients, 0 if args.skip_score else args.responses, args.shared)
            for kind, (ours, floor) in _outcomes(files, out, args, patients).items():
                flat[kind, patients] = (ours[2], floor[2])
        if len(sizes) > 1:
            _memory_by_size(flat)
        print(f"done; {_load()}")


def _memory_by_size(flat: dict[tuple[str, int], tuple[float, float]]) -> None:
    print("outcomes peak memory by input size (flat when it does not follow the patients)")
    for (kind, patients), (ours, floor) in flat.items():
        millions = patients / 1e6
        print(
            f"  {kind:<8} {patients:>12,} patients: spinetrack {ours:7.0f} MiB"
            f" ({ours / millions:5.0f} per 1M), floor {floor:7.0f} MiB"
            f" ({floor / millions:5.0f} per 1M)"
        )


if __name__ == "__main__":
    main()
