"""The command table: every command loads on demand, its listed help is its own, and starting the
CLI for `--version` or a report-free triage imports none of the heavy libraries."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spinetrack.cli.main import COMMANDS, app, load_command

runner = CliRunner()

HEAVY = ("polars", "statsmodels", "matplotlib", "lifelines", "pandas", "spacy", "medspacy")

# Runs the CLI in a fresh interpreter and prints, on stderr, which of the given top-level modules
# were imported by the time it finished.
_PROBE = """
import json, sys
from spinetrack.cli.main import main
watched = json.loads(sys.argv[1])
sys.argv = ["spinetrack", *sys.argv[2:]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in watched if m in sys.modules)), file=sys.stderr)
"""


def _imported(watched: tuple[str, ...], *args: str) -> tuple[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(watched), *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


def test_version_imports_none_of_the_heavy_libraries() -> None:
    out, imported = _imported((*HEAVY, "sqlalchemy", "argon2", "rich"), "--version")
    assert out.startswith("spinetrack ")
    assert imported == []


def test_triage_without_reports_loads_neither_the_report_reader_nor_data_libraries(
    tmp_path: Path,
) -> None:
    case = {
        "case_id": "startup-1",
        "evaluation_date": "2026-03-01",
        "region": "lumbar",
        "surgeries": [{"date": "2024-11-20", "procedure": "fusion", "levels": ["L4-L5"]}],
        "course": "improved_then_recurred",
        "pain": {"axial": 7, "limb": 3},
        "findings": ["mechanical_pain"],
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    out, imported = _imported((*HEAVY, "sqlalchemy", "numpy"), "triage", str(path))
    assert json.loads(out)["case_id"] == "startup-1"
    assert imported == []


def test_help_lists_every_command_without_importing_them() -> None:
    out, imported = _imported(HEAVY, "--help")
    assert all(name in out for name in COMMANDS)
    assert imported == []


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_listed_help_is_the_commands_own(name: str) -> None:
    command = load_command(name)
    assert command.get_short_help_str(limit=200) == COMMANDS[name].short_help


def test_a_mistyped_command_is_refused_with_a_suggestion() -> None:
    result = runner.invoke(app, ["tirage", "case.json"])
    assert result.exit_code == 2
    assert "Did you mean 'triage'?" in result.output
