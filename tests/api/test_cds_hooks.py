"""CDS Hooks: discovery, and cards for a case sent in context.case (red flags first)."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from spinetrack.api.cds_hooks import Card, Source
from spinetrack.app import create_app
from spinetrack.services.operations.database import open_database

VIGNETTES = Path(__file__).parents[1] / "domain" / "triage" / "cases"
SERVICE = "/cds-services/spinetrack-triage"

CASE: dict[str, Any] = {
    "evaluation_date": "2026-03-01",
    "region": "lumbar",
    "surgeries": [{"date": "2026-02-27", "procedure": "discectomy", "levels": ["L5-S1"]}],
    "findings": ["urinary_retention", "fever"],
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path_factory.mktemp('cds') / 'unused.sqlite3'}"
    with TestClient(create_app(open_database(url))) as test_client:
        yield test_client


def request(case: Any, **extra: Any) -> dict[str, Any]:
    return {"hook": "patient-view", "hookInstance": "d1577c69", "context": {"case": case}, **extra}


def test_discovery_lists_the_triage_service(client: TestClient) -> None:
    response = client.get("/cds-services")
    assert response.status_code == 200
    (service,) = response.json()["services"]
    assert service["id"] == "spinetrack-triage" and service["hook"] == "patient-view"
    assert "context.case" in service["description"]


def test_red_flags_lead_with_critical_then_warning_then_an_info_card(client: TestClient) -> None:
    response = client.post(SERVICE, json=request(CASE, fhirServer="https://ehr.example/fhir"))
    assert response.status_code == 200
    cards = response.json()["cards"]
    assert [c["indicator"] for c in cards] == ["critical", "warning", "info"]
    assert cards[0]["summary"].startswith("Emergency red flag: cauda equina syndrome")
    assert "**Action:** Emergency" in cards[0]["detail"]
    assert cards[0]["source"]["label"].startswith("Evaluation and management of cauda equina")
    assert "epidural_hematoma" in cards[2]["summary"]
    assert "never replaces" in cards[2]["detail"]


def test_card_ids_are_stable_for_the_same_request(client: TestClient) -> None:
    first = client.post(SERVICE, json=request(CASE)).json()["cards"]
    second = client.post(SERVICE, json=request(CASE)).json()["cards"]
    assert [c["uuid"] for c in first] == [c["uuid"] for c in second]
    assert len({c["uuid"] for c in first}) == len(first)


@pytest.mark.parametrize("name", sorted(p.name for p in VIGNETTES.iterdir()))
def test_every_vignette_gives_short_sourced_cards(client: TestClient, name: str) -> None:
    case = json.loads((VIGNETTES / name / "case.json").read_text(encoding="utf-8"))
    cards = client.post(SERVICE, json=request(case)).json()["cards"]
    assert cards[-1]["indicator"] == "info"
    assert all(len(c["summary"]) <= 140 and c["source"]["label"] for c in cards)


def test_a_card_summary_longer_than_140_characters_is_refused() -> None:
    with pytest.raises(ValidationError):
        Card(uuid="x", summary="x" * 141, detail="", indicator="info", source=Source(label="y"))


def test_a_request_without_a_case_names_context_case(client: TestClient) -> None:
    body = {"hook": "patient-view", "hookInstance": "1", "context": {"patientId": "123"}}
    response = client.post(SERVICE, json=body)
    assert response.status_code == 422
    assert response.json()["field"] == "context.case"


def test_a_bad_case_names_its_field_inside_context(client: TestClient) -> None:
    bad = {**CASE, "region": "neck"}
    response = client.post(SERVICE, json=request(bad))
    assert response.status_code == 422
    assert response.json()["field"] == "context.case.region"
    assert response.json()["detail"].startswith("context.case.region: unknown region 'neck'")


def test_a_request_that_is_not_cds_hooks_is_a_422(client: TestClient) -> None:
    response = client.post(SERVICE, json={"context": {"case": CASE}})
    assert response.status_code == 422
