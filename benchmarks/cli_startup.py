"""How long the `spinetrack` command takes to start, per command, against references measured in
the same run.

Each figure is a whole process (CPU = user + system, and peak memory), the median of REPEATS runs:
- `--version`, `--help`, and `COMMAND --help` for every command (which imports that command's
  module and nothing else, so it is the command's own start-up cost);
- `triage CASE.json` on a case without reports, end to end (the issue's target: 0.6 s), and on
  the same case with two reports (the report reader's spaCy/medspaCy start-up; target 2 s);
- references: a bare interpreter (`python -c pass`, the floor), and importing every command module
  at once with the services `report` imported (what every start cost when `cli/main.py`
  imported them all).
Usage:
    python benchmarks/cli_startup.py [REPEATS]
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from spinetrack.cli.main import COMMANDS

PYTHON = sys.executable
SPINETRACK = [PYTHON, "-c", "from spinetrack.cli.main import main; main()"]
VERSION_TARGET_CPU_S = 0.3
TRIAGE_TARGET_S = 0.6
TRIAGE_REPORTS_TARGET_S = 2.0
CASE = {
    "case_id": "bench-1",
    "evaluation_date": "2026-03-01",
    "region": "lumbar",
    "surgeries": [{"date": "2024-11-20", "procedure": "fusion", "levels": ["L4-L5"]}],
    "course": "improved_then_recurred",
    "pain": {"axial": 7, "limb": 3},
    "findings": ["mechanical_pain", "ct_no_bridging_bone"],
}
REPORTS = [
    "CT L-spine: no bridging bone across L4-5. Cannot rule out screw loosening at L5.",
    "Clinic: denies fever, saddle numbness or urinary retention.",
]


def _run_once(argv: list[str]) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MiB) of one process."""
    start = os.times().elapsed
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = os.times().elapsed - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(argv)}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _median(argv: list[str], repeats: int) -> tuple[float, float, float]:
    runs = [_run_once(argv) for _ in range(repeats)]
    return tuple(statistics.median(r[i] for r in runs) for i in range(3))  # type: ignore[return-value]


def _row(label: str, figures: tuple[float, float, float], floor_cpu: float) -> None:
    wall, cpu, mib = figures
    print(f"{label:<34} {wall:7.2f} {cpu:7.2f} {cpu / floor_cpu:7.1f}x {mib:8.0f}")


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    # cli/report.py used to import its services at the top; they are part of "every command".
    every_module = sorted(
        {f"spinetrack.cli.{c.module}" for c in COMMANDS.values()}
        | {
            "spinetrack.services.reporting.report_document",
            "spinetrack.services.clinician.patient_letter",
        }
    )
    print(f"median of {repeats} runs; whole processes; ratio = CPU / bare interpreter's CPU")
    print(f"{'':<34} {'wall s':>7} {'CPU s':>7} {'ratio':>8} {'peak MiB':>8}")
    floor = _median([PYTHON, "-c", "pass"], repeats)
    _row("reference: python -c pass", floor, floor[1])
    eager = _median([PYTHON, "-c", "import " + ", ".join(every_module)], repeats)
    _row("reference: every command imported", eager, floor[1])
    version = _median([*SPINETRACK, "--version"], repeats)
    _row("spinetrack --version", version, floor[1])
    _row("spinetrack --help", _median([*SPINETRACK, "--help"], repeats), floor[1])
    with tempfile.TemporaryDirectory() as folder:
        case = Path(folder) / "case.json"
        case.write_text(json.dumps(CASE), encoding="utf-8")
        triage = _median([*SPINETRACK, "triage", str(case)], repeats)
        case.write_text(json.dumps(CASE | {"reports": REPORTS}), encoding="utf-8")
        with_reports = _median([*SPINETRACK, "triage", str(case)], repeats)
    _row("spinetrack triage CASE (no reports)", triage, floor[1])
    _row("spinetrack triage CASE (2 reports)", with_reports, floor[1])
    for name in COMMANDS:
        _row(f"spinetrack {name} --help", _median([*SPINETRACK, name, "--help"], repeats), floor[1])
    print(
        f"--version: {version[1]:.2f} s CPU (target ≤ {VERSION_TARGET_CPU_S} s), "
        f"{eager[1] / version[1]:.1f}x less than importing every command; "
        f"triage without reports: {triage[0]:.2f} s wall (target ≤ {TRIAGE_TARGET_S} s); "
        f"with reports: {with_reports[0]:.2f} s wall, {with_reports[1]:.2f} s CPU "
        f"(target ≤ {TRIAGE_REPORTS_TARGET_S} s)"
    )


if __name__ == "__main__":
    main()
