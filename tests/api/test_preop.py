"""The pre-operative record through the API: clinic-scoped, validated, audited, replaced whole."""

from fastapi.testclient import TestClient
from tests.api.conftest import auth
from tests.conftest import row_counts
from tests.support.api_bodies import PATIENT
from tests.support.world import World


def _patient(client: TestClient) -> int:
    response = client.post("/api/v1/patients", json=PATIENT, auth=auth("staff"))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_staff_record_the_preop_form_and_read_it_back(client: TestClient) -> None:
    patient = _patient(client)
    body = {"bmi": 31.26, "asa": 2, "smoker": True, "phq9": 14, "baseline_pain_limb": 7}
    saved = client.put(f"/api/v1/patients/{patient}/preop", json=body, auth=auth("staff"))
    assert saved.status_code == 200, saved.text
    read = client.get(f"/api/v1/patients/{patient}/preop", auth=auth("clinician")).json()
    assert read["bmi"] == 31.3
    assert read["distress"] is True  # PHQ-9 14 >= 10 (Kroenke 2001)
    assert read["diabetes"] is None
    assert read["updated_by"] == "staff@north.example"
    # A write replaces the record: what is left out becomes unknown.
    client.put(f"/api/v1/patients/{patient}/preop", json={"asa": 3}, auth=auth("staff"))
    again = client.get(f"/api/v1/patients/{patient}/preop", auth=auth("staff")).json()
    assert (again["asa"], again["bmi"], again["smoker"]) == (3, None, None)


def test_a_value_out_of_range_is_refused_and_changes_nothing(
    client: TestClient, world: World
) -> None:
    patient = _patient(client)
    before = row_counts(world.database)
    for body in ({"asa": 6}, {"gad7": 30}, {"baseline_pain_axial": 12}, {"smoke": True}):
        refused = client.put(f"/api/v1/patients/{patient}/preop", json=body, auth=auth("staff"))
        assert refused.status_code == 422, body
    after = row_counts(world.database)
    assert after["preop_records"] == before["preop_records"] == 0


def test_another_clinic_and_the_analyst_cannot_reach_it(client: TestClient) -> None:
    patient = _patient(client)
    url = f"/api/v1/patients/{patient}/preop"
    assert client.get(url, auth=auth("clinician", "south")).status_code == 404
    assert client.put(url, json={"asa": 2}, auth=auth("analyst")).status_code == 403


def test_without_a_planned_operation_or_a_model_there_is_no_prediction(
    client: TestClient,
) -> None:
    patient = _patient(client)
    answer = client.get(f"/api/v1/patients/{patient}/risk", auth=auth("clinician"))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"patient_id": patient, "available": False, "prediction": None}
    rows = client.post("/api/v1/risk", json={"rows": [{"patient_id": "x"}]}, auth=auth("staff"))
    assert rows.status_code == 200, rows.text
    assert rows.json()["available"] is False
