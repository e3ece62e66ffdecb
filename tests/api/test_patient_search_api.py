"""GET /api/v1/patients/search: the same search as the page's, as JSON, signed in and scoped."""

from fastapi.testclient import TestClient
from tests.api.conftest import auth
from tests.support.api_bodies import PATIENT


def test_a_patient_is_found_by_name_without_accents(client: TestClient) -> None:
    body = {**PATIENT, "given_name": "José", "family_name": "Núñez", "mrn": "S-9"}
    created = client.post("/api/v1/patients", json=body, auth=auth("staff"))
    assert created.status_code == 201, created.text
    found = client.get("/api/v1/patients/search", params={"q": "jose nu"}, auth=auth("clinician"))
    assert found.status_code == 200, found.text
    payload = found.json()
    assert payload["query"] == "jose nu" and payload["more"] is False
    assert [(p["id"], p["mrn"], p["family_name"]) for p in payload["items"]] == [
        (created.json()["id"], "S-9", "Núñez")
    ]
    assert payload["items"][0]["birth_date"] == body["birth_date"]
    assert payload["items"][0]["status"] is None
    by_mrn = client.get("/api/v1/patients/search", params={"q": "s-"}, auth=auth("staff"))
    assert [p["mrn"] for p in by_mrn.json()["items"]] == ["S-9"]


def test_search_is_refused_without_sign_in_to_analysts_and_for_other_clinics(
    client: TestClient,
) -> None:
    assert client.get("/api/v1/patients/search", params={"q": "jo"}).status_code == 401
    analyst = client.get("/api/v1/patients/search", params={"q": "jo"}, auth=auth("analyst"))
    assert analyst.status_code == 403
    outsider = client.get(
        "/api/v1/patients/search", params={"q": "jo", "clinic": 1}, auth=auth("clinician", "south")
    )
    assert outsider.status_code == 404


def test_unusable_text_is_a_422_naming_the_field(client: TestClient) -> None:
    short = client.get("/api/v1/patients/search", params={"q": "j"}, auth=auth("staff"))
    assert short.status_code == 422
    assert short.json()["field"] == "q" and "at least 2 characters" in short.json()["detail"]
    missing = client.get("/api/v1/patients/search", auth=auth("staff"))
    assert missing.status_code == 422 and missing.json()["field"] == "q"
