"""`spinetrack instruments list|load`: what is built in, and loading a clinic's licensed text only
when it matches the built-in definition."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from spinetrack.cli.main import app
from spinetrack.config import get_settings
from spinetrack.services.patient_side.questionnaire_text import questionnaire_text

runner = CliRunner()


@pytest.fixture
def var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SPINETRACK_VAR_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield tmp_path / "var"
    get_settings.cache_clear()


def nrs_questionnaire(low: int = 0, high: int = 10) -> dict[str, Any]:
    extension = "http://hl7.org/fhir/StructureDefinition/{}Value"
    return {
        "resourceType": "Questionnaire",
        "item": [
            {
                "linkId": "nrs_leg",
                "type": "integer",
                "text": "Clinic's licensed leg pain question",
                "extension": [
                    {"url": extension.format("min"), "valueInteger": low},
                    {"url": extension.format("max"), "valueInteger": high},
                ],
            }
        ],
    }


def test_list_shows_every_instrument_with_its_kind_region_and_text(var_dir: Path) -> None:
    result = runner.invoke(app, ["instruments", "list"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["id", "kind", "region", "items", "version", "text", "title"]
    assert lines[1].split()[:6] == ["odi", "disability", "lumbar", "10", "2.1a", "neutral"]
    assert [line.split()[0] for line in lines[1:]] == [
        "odi",
        "ndi",
        "nrs_back",
        "nrs_leg",
        "nrs_neck",
        "nrs_arm",
        "comi_back",
        "comi_neck",
    ]


def test_a_matching_questionnaire_is_stored_and_then_listed_as_licensed(
    tmp_path: Path, var_dir: Path
) -> None:
    source = tmp_path / "nrs_leg.json"
    source.write_text(json.dumps(nrs_questionnaire()), encoding="utf-8")
    result = runner.invoke(app, ["instruments", "load", str(source)])
    assert result.exit_code == 0, result.output
    target = var_dir / "instruments" / "nrs_leg.json"
    assert result.stdout == (
        "loaded nrs_leg (Pain intensity, leg (0-10 numerical rating scale), 1 item) "
        f"from {source} to {target}\n"
    )
    assert target.read_bytes() == source.read_bytes()
    listed = runner.invoke(app, ["instruments", "list"]).stdout
    assert next(line for line in listed.splitlines() if line.startswith("nrs_leg")).split()[5] == (
        "licensed"
    )


def test_a_questionnaire_with_another_range_is_rejected_and_not_stored(
    tmp_path: Path, var_dir: Path
) -> None:
    source = tmp_path / "nrs_leg.json"
    source.write_text(json.dumps(nrs_questionnaire(1, 10)), encoding="utf-8")
    result = runner.invoke(app, ["instruments", "load", str(source)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {source}: rejected: nrs_leg: answer range 1-10 differs from 0-10\n"
    )
    assert not (var_dir / "instruments").exists()


def test_a_file_that_is_not_json_exits_2(tmp_path: Path, var_dir: Path) -> None:
    source = tmp_path / "odi.json"
    source.write_text("<Questionnaire/>", encoding="utf-8")
    result = runner.invoke(app, ["instruments", "load", str(source)])
    assert result.exit_code == 2 and "not a JSON file" in result.stderr


def test_a_missing_file_exits_2(tmp_path: Path, var_dir: Path) -> None:
    result = runner.invoke(app, ["instruments", "load", str(tmp_path / "none.json")])
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_a_licensed_translation_is_kept_per_language_and_shown_only_in_it(
    tmp_path: Path, var_dir: Path
) -> None:
    spanish = nrs_questionnaire()
    spanish["item"][0]["text"] = "Pregunta licenciada de la clínica sobre el dolor de pierna"
    source = tmp_path / "nrs_leg.es.json"
    source.write_text(json.dumps(spanish), encoding="utf-8")
    result = runner.invoke(app, ["instruments", "load", str(source), "--language", "es"])
    assert result.exit_code == 0, result.output
    assert (var_dir / "instruments" / "nrs_leg.es.json").is_file()
    assert not (var_dir / "instruments" / "nrs_leg.json").exists()
    listed = runner.invoke(app, ["instruments", "list"]).stdout
    assert "licensed (es)" in next(
        line for line in listed.splitlines() if line.startswith("nrs_leg")
    )
    assert questionnaire_text("nrs_leg", "es").questions[0].prompt == spanish["item"][0]["text"]
    assert questionnaire_text("nrs_leg").questions[0].prompt is None  # no English licence loaded
    refused = runner.invoke(app, ["instruments", "load", str(source), "--language", "../x"])
    assert refused.exit_code == 2
