"""Over HTTP, a whole-clinic read leaves the patients it returned in the trail: `GET
/api/v1/patients?limit=500` shows under each patient in `audit show --patient` (issue 22, point 5).
FHIR searches name the patients of the page they returned."""

from fastapi.testclient import TestClient
from tests.api.conftest import auth
from tests.support.world import World

from spinetrack.services.access.actor import system_actor
from spinetrack.services.audit.audit_trail import patient_access


def _registered(client: TestClient, prefix: str, count: int) -> list[int]:
    """`count` patients registered by staff through the API; their ids."""
    ids = []
    for i in range(count):
        made = client.post(
            "/api/v1/patients",
            json={
                "mrn": f"{prefix}-{i}",
                "given_name": "Ada",
                "family_name": f"Lind{i}",
                "birth_date": "1960-03-04",
                "sex": "female",
            },
            auth=auth("staff"),
        )
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    return ids


def test_a_500_patient_page_is_listed_under_every_patient_it_returned(
    client: TestClient, world: World
) -> None:
    ids = _registered(client, "BULK", 7)
    listed = client.get("/api/v1/patients?limit=500", auth=auth("clinician"))
    assert listed.status_code == 200
    assert {p["id"] for p in listed.json()["items"]} == set(ids)
    for patient_id in ids:
        seen = patient_access(
            sessions=world.database.sessions, actor=system_actor("test"), patient_id=patient_id
        )
        assert ("clinician@north.example", "patient.list") in {(r.actor, r.action) for r in seen}


def test_a_fhir_search_page_is_listed_under_the_patients_it_returned(
    client: TestClient, world: World
) -> None:
    ids = _registered(client, "FHIR", 3)
    found = client.get("/api/v1/fhir/Patient?_count=2", auth=auth("clinician"))
    assert found.status_code == 200, found.text
    seen_by = {
        patient_id: {
            (r.actor, r.action)
            for r in patient_access(
                sessions=world.database.sessions, actor=system_actor("test"), patient_id=patient_id
            )
        }
        for patient_id in ids
    }
    listed = [
        p for p, seen in seen_by.items() if ("clinician@north.example", "fhir.search") in seen
    ]
    assert len(listed) == 2  # the page's two patients, not the third
