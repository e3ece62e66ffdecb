"""POST /api/v1/triage gives the same assessment, and the same errors, as Python and the CLI."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from spinetrack.app import create_app
from spinetrack.cli.main import app as cli
from spinetrack.domain.errors import InvalidCase
from spinetrack.domain.triage import assess
from spinetrack.services.operations.database import open_database

VIGNETTES = Path(__file__).parents[1] / "domain" / "triage" / "cases"
NAMES = sorted(p.name for p in VIGNETTES.iterdir() if p.is_dir())
runner = CliRunner()

CASE: dict[str, Any] = {
    "case_id": "api-1",
    "evaluation_date": "2026-03-01",
    "region": "cervical",
    "surgeries": [
        {"date": "2026-02-20", "procedure": "fusion", "levels": ["C5-C6"], "instrumented": True}
    ],
    "findings": ["neck_swelling", "fever"],
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    # Triage touches no database; a throwaway SQLite file keeps the app from opening the real one.
    url = f"sqlite:///{tmp_path_factory.mktemp('triage') / 'unused.sqlite3'}"
    with TestClient(create_app(open_database(url))) as test_client:
        yield test_client


def test_a_case_gets_its_assessment(client: TestClient) -> None:
    response = client.post("/api/v1/triage", json=CASE)
    assert response.status_code == 200
    body = response.json()
    assert body == assess(CASE).model_dump(mode="json")
    assert [f["id"] for f in body["red_flags"]] == ["airway_compromise", "infection"]
    assert "for" in body["workup"][0]


def test_a_bad_case_is_a_422_naming_the_field(client: TestClient) -> None:
    bad = {**CASE, "findings": ["neck_swelling", "fevr"]}
    response = client.post("/api/v1/triage", json=bad)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "findings.1: unknown finding 'fevr'",
        "field": "findings.1",
    }


def test_a_body_that_is_not_an_object_is_a_422(client: TestClient) -> None:
    response = client.post("/api/v1/triage", json=[1, 2])
    assert response.status_code == 422
    assert response.json()["field"] == "case"


BAD_CASES = [
    {**CASE, "surgeries": [{"date": "2026-03-05", "procedure": "fusion"}]},
    {**CASE, "evaluation_date": "2026-02-30"},
    {k: v for k, v in CASE.items() if k != "region"},
    {**CASE, "pain": {"axial": 12}},
]


@pytest.mark.parametrize("bad", BAD_CASES)
def test_the_three_doors_give_the_same_error_message(
    client: TestClient, tmp_path: Path, bad: dict[str, Any]
) -> None:
    with pytest.raises(InvalidCase) as error:
        assess(bad)
    response = client.post("/api/v1/triage", json=bad)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    result = runner.invoke(cli, ["triage", str(path)])
    assert response.json()["detail"] == error.value.message
    assert result.exit_code == 2 and result.stderr.strip() == f"error: {error.value.message}"


@pytest.mark.parametrize("name", NAMES)
def test_the_three_entry_points_agree_on_every_vignette(client: TestClient, name: str) -> None:
    path = VIGNETTES / name / "case.json"
    case = json.loads(path.read_text(encoding="utf-8"))
    python = assess(case).model_dump(mode="json")
    http = client.post("/api/v1/triage", json=case)
    command = runner.invoke(cli, ["triage", str(path)])
    assert http.status_code == 200 and command.exit_code == 0, command.stderr
    assert http.json() == python
    assert json.loads(command.stdout) == python
