"""`spinetrack triage CASE|-`: JSON on stdout and exit 0; a bad case names its field, exit 2."""

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spinetrack.cli.main import app
from spinetrack.domain.triage import assess

runner = CliRunner()

CASE: dict[str, Any] = {
    "case_id": "cli-1",
    "evaluation_date": "2026-03-01",
    "region": "lumbar",
    "surgeries": [
        {"date": "2024-11-20", "procedure": "fusion", "levels": ["L4-L5"], "instrumented": True}
    ],
    "course": "improved_then_recurred",
    "pain": {"axial": 7, "limb": 3},
    "findings": ["mechanical_pain", "ct_no_bridging_bone", "fever"],
}


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    return path


def test_a_case_file_prints_the_assessment_as_json(case_file: Path) -> None:
    result = runner.invoke(app, ["triage", str(case_file)])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == assess(CASE).model_dump(mode="json")


def test_the_case_can_come_on_stdin() -> None:
    result = runner.invoke(app, ["triage", "-"], input=json.dumps(CASE))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["case_id"] == "cli-1"


def test_text_format_leads_with_red_flags(case_file: Path) -> None:
    result = runner.invoke(app, ["triage", "--format", "text", str(case_file)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Triage of case cli-1")
    assert result.stdout.index("[URGENT] infection") < result.stdout.index("LIKELY CAUSES")


def test_a_bad_case_names_the_field_on_stderr_and_exits_2(tmp_path: Path) -> None:
    bad = {**CASE, "surgeries": [{"date": "2024-11-20", "procedure": "fusoin"}]}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    result = runner.invoke(app, ["triage", str(path)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: surgeries.0.procedure: unknown procedure 'fusoin'")


def test_text_that_is_not_json_is_a_bad_case() -> None:
    result = runner.invoke(app, ["triage", "-"], input="{not json")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: case: not valid JSON")


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["triage", str(tmp_path / "nowhere.json")])
    assert result.exit_code == 2
    assert "cannot read" in result.stderr


def test_an_unknown_format_is_refused(case_file: Path) -> None:
    result = runner.invoke(app, ["triage", "--format", "xml", str(case_file)])
    assert result.exit_code == 2
