"""Over HTTP, a whole-clinic read leaves the patients it returned in the trail: `GET
/api/v1/patients?limit=500` shows under each patient in `audit show --patient` (issue 22, point 5).
FHIR reads (`/api/v1/fhir/...`) are left to the FHIR read rework, which calls `work.saw`."""

from fastapi.testclient import TestClient
from tests.api.conftest import auth
from tests.support.world import World

from spinetrack.services.actor import system_actor
from spinetrack.services.audit_trail import patient_access


def test_a_500_patient_page_is_listed_under_every_patient_it_returned(
    client: TestClient, world: World
) -> None:
    ids = []
    for i in range(7):
        made = client.post(
            "/api/v1/patients",
            json={
                "mrn": f"BULK-{i}",
                "given_name": "Ada",
                "family_name": f"Lind{i}",
                "birth_date": "1960-03-04",
                "sex": "female",
            },
            auth=auth("staff"),
        )
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    listed = client.get("/api/v1/patients?limit=500", auth=auth("clinician"))
    assert listed.status_code == 200
    assert {p["id"] for p in listed.json()["items"]} == set(ids)
    for patient_id in ids:
        seen = patient_access(
            sessions=world.database.sessions, actor=system_actor("test"), patient_id=patient_id
        )
        assert ("clinician@north.example", "patient.list") in {(r.actor, r.action) for r in seen}
