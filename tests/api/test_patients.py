"""The patient API: sign-in required, clinic scope enforced, clear 4xx errors that change nothing."""

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.api.conftest import auth
from tests.conftest import row_counts
from tests.support.api_bodies import PATIENT, SURGERY
from tests.support.world import World

from spinetrack.services.access.actor import system_actor
from spinetrack.services.audit.audit_trail import patient_access


def _create(client: TestClient) -> int:
    response = client.post("/api/v1/patients", json=PATIENT, auth=auth("staff"))
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_every_patient_route_requires_sign_in(client: TestClient) -> None:
    assert client.get("/api/v1/patients").status_code == 401
    assert client.post("/api/v1/patients", json=PATIENT).status_code == 401
    wrong = client.get("/api/v1/patients", headers={"Authorization": "Bearer st_made-up"})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"].startswith("Bearer")
    basic = client.get("/api/v1/patients", auth=("staff@north.example", "correct-horse-42"))
    assert basic.status_code == 401


def test_a_registered_patient_can_be_operated_and_followed(client: TestClient) -> None:
    patient_id = _create(client)
    surgery = client.post(
        f"/api/v1/patients/{patient_id}/surgeries", json=SURGERY, auth=auth("clinician")
    )
    assert surgery.status_code == 201, surgery.text
    answers = {f"ndi_{i}": 2 for i in range(1, 11)}
    response = client.post(
        f"/api/v1/patients/{patient_id}/responses",
        json={"instrument": "ndi", "completed_at": "2025-01-10T10:00:00Z", "answers": answers},
        auth=auth("staff"),
    )
    assert response.status_code == 201, response.text
    assert response.json()["score_percent"] == 40.0
    record = client.get(f"/api/v1/patients/{patient_id}", auth=auth("clinician")).json()
    assert record["patient"]["mrn"] == "Z-1"
    assert record["surgeries"][0]["levels"] == ["C5-C6"]
    assert record["outcome"]["status"] == "too_early"
    listing = client.get("/api/v1/patients", auth=auth("clinician")).json()
    assert listing["total"] == 1


def test_another_clinics_patient_answers_404_and_never_its_data(client: TestClient) -> None:
    patient_id = _create(client)
    response = client.get(f"/api/v1/patients/{patient_id}", auth=auth("clinician", "south"))
    assert response.status_code == 404
    assert "Holm" not in response.text
    forced = client.get(f"/api/v1/patients/{patient_id}?clinic=1", auth=auth("clinician", "south"))
    assert forced.status_code == 404


def test_an_analyst_is_refused_identified_data(client: TestClient) -> None:
    assert client.get("/api/v1/patients", auth=auth("analyst")).status_code == 403


BAD_REQUESTS: list[tuple[str, str, Any, str | None]] = [
    ("post", "/api/v1/patients", {**PATIENT, "sex": "x"}, "sex"),
    ("post", "/api/v1/patients", {**PATIENT, "birth_date": "2999-01-01"}, "birth_date"),
    ("post", "/api/v1/patients", {**PATIENT, "birth_date": "1990-02-30"}, "birth_date"),
    ("post", "/api/v1/patients", {k: v for k, v in PATIENT.items() if k != "mrn"}, "mrn"),
    ("post", "/api/v1/patients", [1, 2, 3], None),
    ("post", "/api/v1/patients/{pid}/surgeries", {**SURGERY, "procedure": "magic"}, "procedure"),
    ("post", "/api/v1/patients/{pid}/surgeries", {**SURGERY, "levels": ["L4-L5"]}, "levels.0"),
    (
        "post",
        "/api/v1/patients/{pid}/surgeries",
        {**SURGERY, "instrumented": "perhaps"},
        "instrumented",
    ),
    (
        "post",
        "/api/v1/patients/{pid}/complications",
        {"surgery_id": 999, "kind": "dural_tear", "reported_by": "surgeon"},
        "surgery_id",
    ),
    (
        "post",
        "/api/v1/patients/{pid}/responses",
        {"instrument": "odi", "completed_at": "2025-01-01T00:00:00Z", "answers": {"odi_1": 9}},
        "answers",
    ),
    (
        "post",
        "/api/v1/patients/{pid}/responses",
        {"instrument": "xyz", "completed_at": "2025-01-01T00:00:00Z", "answers": {"a": 1}},
        "instrument",
    ),
    (
        "post",
        "/api/v1/patients/{pid}/responses",
        {"instrument": "odi", "completed_at": "yesterday", "answers": {"odi_1": 1}},
        "completed_at",
    ),
    ("get", "/api/v1/patients?limit=0", None, "limit"),
    ("get", "/api/v1/patients?offset=-1", None, "offset"),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), BAD_REQUESTS)
def test_bad_input_gets_a_clear_422_naming_the_field_and_changes_nothing(
    client: TestClient, world: World, method: str, path: str, body: Any, field: str | None
) -> None:
    patient_id = _create(client)
    before = row_counts(world.database)
    response = client.request(
        method, path.format(pid=patient_id), json=body, auth=auth("clinician")
    )
    assert response.status_code == 422, response.text
    payload = response.json()
    assert payload["field"] == field
    assert payload["detail"]
    after = row_counts(world.database)
    assert {k: v for k, v in after.items() if k != "audit_entries"} == {
        k: v for k, v in before.items() if k != "audit_entries"
    }


def test_malformed_json_is_a_422_not_a_crash(client: TestClient) -> None:
    response = client.post(
        "/api/v1/patients",
        content=b"{not json",
        headers={"content-type": "application/json"},
        auth=auth("staff"),
    )
    assert response.status_code == 422


def test_an_unknown_patient_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/patients/424242", auth=auth("clinician")).status_code == 404
    response = client.post(
        "/api/v1/patients/424242/surgeries", json=SURGERY, auth=auth("clinician")
    )
    assert response.status_code == 404


def _planned(client: TestClient) -> tuple[int, int]:
    """A patient with a lumbar fusion booked for a month ahead: (patient id, surgery id)."""
    patient_id = _create(client)
    booked = client.post(
        f"/api/v1/patients/{patient_id}/surgeries",
        json={
            **SURGERY,
            "performed_on": (date.today() + timedelta(days=30)).isoformat(),
            "planned": True,
        },
        auth=auth("clinician"),
    )
    assert booked.status_code == 201, booked.text
    assert booked.json()["planned"] is True
    return patient_id, int(booked.json()["id"])


def test_a_planned_operation_is_recorded_as_performed_once(client: TestClient) -> None:
    patient_id, surgery_id = _planned(client)
    day = (date.today() - timedelta(days=2)).isoformat()
    path = f"/api/v1/patients/{patient_id}/surgeries/{surgery_id}/performed"
    done = client.post(path, json={"performed_on": day}, auth=auth("staff"))
    assert done.status_code == 200, done.text
    assert (done.json()["id"], done.json()["planned"], done.json()["performed_on"]) == (
        surgery_id,
        False,
        day,
    )
    [stored] = client.get(f"/api/v1/patients/{patient_id}", auth=auth("clinician")).json()[
        "surgeries"
    ]
    assert (stored["planned"], stored["performed_on"]) == (False, day)
    again = client.post(path, json={"performed_on": day}, auth=auth("staff"))
    assert again.status_code == 422
    assert again.json()["field"] == "surgery_id"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"performed_on": "2025-02-30"}, "performed_on"),
        ({"performed_on": None}, "performed_on"),
        ({}, "performed_on"),
        ({"performed_on": "2025-02-01", "surgeon": 3}, "surgeon"),
    ],
)
def test_a_malformed_performed_date_is_a_422_naming_the_field(
    client: TestClient, world: World, body: dict[str, Any], field: str
) -> None:
    patient_id, surgery_id = _planned(client)
    before = row_counts(world.database)
    refused = client.post(
        f"/api/v1/patients/{patient_id}/surgeries/{surgery_id}/performed",
        json=body,
        auth=auth("staff"),
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == field
    assert row_counts(world.database) == before


def test_a_date_after_today_is_refused_and_changes_nothing_but_its_audit_entry(
    client: TestClient, world: World
) -> None:
    patient_id, surgery_id = _planned(client)
    before = row_counts(world.database)
    refused = client.post(
        f"/api/v1/patients/{patient_id}/surgeries/{surgery_id}/performed",
        json={"performed_on": (date.today() + timedelta(days=20)).isoformat()},
        auth=auth("staff"),
    )
    assert refused.status_code == 422, refused.text
    assert refused.json() == {
        "detail": "performed_on: an operation cannot be performed after today",
        "field": "performed_on",
    }
    after = row_counts(world.database)
    assert after["audit_entries"] == before["audit_entries"] + 1
    assert {k: v for k, v in after.items() if k != "audit_entries"} == {
        k: v for k, v in before.items() if k != "audit_entries"
    }
    [stored] = client.get(f"/api/v1/patients/{patient_id}", auth=auth("clinician")).json()[
        "surgeries"
    ]
    assert stored["planned"] is True
    seen = patient_access(
        sessions=world.database.sessions, actor=system_actor("test"), patient_id=patient_id
    )
    assert ("staff@north.example", "surgery.performed", "rejected") in {
        (r.actor, r.action, r.outcome) for r in seen
    }


def test_another_clinic_cannot_record_the_operation_as_performed(
    client: TestClient, world: World
) -> None:
    patient_id, surgery_id = _planned(client)
    path = f"/api/v1/patients/{patient_id}/surgeries/{surgery_id}/performed"
    body = {"performed_on": date.today().isoformat()}
    before = row_counts(world.database)
    assert client.post(path, json=body, auth=auth("clinician", "south")).status_code == 404
    forced = client.post(
        f"{path}?clinic={world.clinic}", json=body, auth=auth("clinician", "south")
    )
    assert forced.status_code == 404
    after = row_counts(world.database)
    assert {k: v for k, v in after.items() if k != "audit_entries"} == {
        k: v for k, v in before.items() if k != "audit_entries"
    }
