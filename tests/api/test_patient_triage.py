"""Stored-patient triage over HTTP: clinicians assess and conclude, staff read, others see nothing."""

from fastapi.testclient import TestClient
from tests.api.conftest import auth
from tests.support.api_bodies import PATIENT, SURGERY


def _operated(client: TestClient) -> int:
    patient_id = int(client.post("/api/v1/patients", json=PATIENT, auth=auth("staff")).json()["id"])
    client.post(f"/api/v1/patients/{patient_id}/surgeries", json=SURGERY, auth=auth("clinician"))
    return patient_id


def test_a_clinician_records_a_finding_assesses_and_concludes(client: TestClient) -> None:
    patient_id = _operated(client)
    finding = client.post(
        f"/api/v1/patients/{patient_id}/findings",
        json={"finding": "hand_clumsiness", "observed_on": "2025-06-01"},
        auth=auth("clinician"),
    )
    assert finding.status_code == 201, finding.text
    assessed = client.post(
        f"/api/v1/patients/{patient_id}/assessments",
        json={"evaluation_date": "2025-06-02", "findings": ["gait_disturbance", "hyperreflexia"]},
        auth=auth("clinician"),
    )
    assert assessed.status_code == 201, assessed.text
    body = assessed.json()
    assert "myelopathy" in [flag["id"] for flag in body["assessment"]["red_flags"]]
    concluded = client.put(
        f"/api/v1/patients/{patient_id}/assessments/{body['id']}/conclusion",
        json={"confirmed_cause": "adjacent_segment_disease", "plan_note": "MRI today"},
        auth=auth("clinician"),
    )
    assert concluded.status_code == 200, concluded.text
    history = client.get(f"/api/v1/patients/{patient_id}/assessments", auth=auth("staff")).json()
    assert history[0]["confirmed_cause"] == "adjacent_segment_disease"


def test_staff_cannot_assess_and_another_clinic_cannot_see(client: TestClient) -> None:
    patient_id = _operated(client)
    path = f"/api/v1/patients/{patient_id}/assessments"
    assert client.post(path, json={}, auth=auth("staff")).status_code == 403
    assert client.get(path, auth=auth("clinician", "south")).status_code == 404
    assert client.post(path, json={}, auth=auth("clinician", "south")).status_code == 404


def test_a_bad_request_is_422_naming_the_field(client: TestClient) -> None:
    patient_id = _operated(client)
    response = client.post(
        f"/api/v1/patients/{patient_id}/assessments",
        json={"course": "wobbly"},
        auth=auth("clinician"),
    )
    assert response.status_code == 422
    assert response.json()["field"] == "course"
