"""Stored-patient triage over HTTP: clinicians assess, conclude and reject a finding misread from a
report; staff read the record's reports; others see nothing."""

from typing import Any

from fastapi.testclient import TestClient
from tests.api.conftest import auth
from tests.conftest import row_counts
from tests.support.api_bodies import PATIENT, SURGERY
from tests.support.world import World

from spinetrack.services.access.actor import system_actor
from spinetrack.services.audit.audit_trail import patient_access


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


CT = (
    "CT lumbar spine: No bridging bone across the L4-L5 fusion. Lucency of more than 1 mm "
    "around the left L5 pedicle screw, in keeping with loosening."
)


def _with_a_ct_report(client: TestClient) -> int:
    patient_id = _operated(client)
    report = {"kind": "ct", "report_date": "2025-06-01", "title": "CT L-spine", "text": CT}
    assessed = client.post(
        f"/api/v1/patients/{patient_id}/assessments",
        json={"evaluation_date": "2025-06-02", "report_details": [report]},
        auth=auth("clinician"),
    )
    assert assessed.status_code == 201, assessed.text
    return patient_id


def _readings(client: TestClient, patient_id: int) -> dict[str, dict[str, Any]]:
    listed = client.get(f"/api/v1/patients/{patient_id}/reports", auth=auth("staff"))
    assert listed.status_code == 200, listed.text
    return {r["finding"]: r for r in listed.json()["readings"]}


def test_the_stored_reports_and_their_readings_are_listed_and_a_misreading_rejected(
    client: TestClient, world: World
) -> None:
    patient_id = _with_a_ct_report(client)
    listed = client.get(f"/api/v1/patients/{patient_id}/reports", auth=auth("staff")).json()
    [report] = listed["reports"]
    assert (report["kind"], report["title"], report["report_date"]) == (
        "ct",
        "CT L-spine",
        "2025-06-01",
    )
    assert report["text"] == CT and report["recorded_by"] == "clinician@north.example"
    readings = _readings(client, patient_id)
    assert set(readings) == {"ct_no_bridging_bone", "screw_lucency"}
    assert {r["report_id"] for r in readings.values()} == {report["id"]}
    assert {r["status"] for r in readings.values()} == {"accepted"}
    lucency = readings["screw_lucency"]["id"]
    rejected = client.post(
        f"/api/v1/patients/{patient_id}/report-findings/{lucency}/rejection",
        auth=auth("clinician"),
    )
    assert rejected.status_code == 201, rejected.text
    extracted = {f["id"] for f in rejected.json()["assessment"]["extracted_findings"]}
    assert "screw_lucency" not in extracted and "ct_no_bridging_bone" in extracted
    after = _readings(client, patient_id)["screw_lucency"]
    assert (after["status"], after["reviewed_by"]) == ("rejected", "clinician@north.example")
    seen = patient_access(
        sessions=world.database.sessions, actor=system_actor("test"), patient_id=patient_id
    )
    assert {("report.read", "ok"), ("report_finding.reject", "ok")} <= {
        (r.action, r.outcome) for r in seen
    }


def test_a_refused_rejection_changes_nothing_but_its_audit_entry(
    client: TestClient, world: World
) -> None:
    patient_id = _with_a_ct_report(client)
    lucency = _readings(client, patient_id)["screw_lucency"]["id"]
    path = f"/api/v1/patients/{patient_id}/report-findings/{lucency}/rejection"
    before = row_counts(world.database)
    assert client.post(path, auth=auth("staff")).status_code == 403
    after = row_counts(world.database)
    assert after["audit_entries"] == before["audit_entries"] + 1
    assert {k: v for k, v in after.items() if k != "audit_entries"} == {
        k: v for k, v in before.items() if k != "audit_entries"
    }
    assert _readings(client, patient_id)["screw_lucency"]["status"] == "accepted"
    seen = patient_access(
        sessions=world.database.sessions, actor=system_actor("test"), patient_id=patient_id
    )
    assert ("staff@north.example", "report_finding.reject", "denied") in {
        (r.actor, r.action, r.outcome) for r in seen
    }
    assert client.post(path, auth=auth("clinician")).status_code == 201
    twice = client.post(path, auth=auth("clinician"))
    assert twice.status_code == 422
    assert twice.json()["field"] == "finding"


def test_another_clinic_neither_lists_the_reports_nor_rejects_a_reading(
    client: TestClient, world: World
) -> None:
    patient_id = _with_a_ct_report(client)
    lucency = _readings(client, patient_id)["screw_lucency"]["id"]
    south = auth("clinician", "south")
    before = row_counts(world.database)
    listed = client.get(f"/api/v1/patients/{patient_id}/reports", auth=south)
    assert listed.status_code == 404 and "CT" not in listed.text
    path = f"/api/v1/patients/{patient_id}/report-findings/{lucency}/rejection"
    assert client.post(path, auth=south).status_code == 404
    assert client.post(f"{path}?clinic={world.clinic}", auth=south).status_code == 404
    after = row_counts(world.database)
    assert {k: v for k, v in after.items() if k != "audit_entries"} == {
        k: v for k, v in before.items() if k != "audit_entries"
    }
    assert _readings(client, patient_id)["screw_lucency"]["status"] == "accepted"
