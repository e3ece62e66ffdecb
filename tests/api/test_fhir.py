"""The FHIR read endpoints: signed in, clinic-scoped (another clinic's patient is not found), and
answering valid FHIR resources and Bundles."""

from fastapi.testclient import TestClient
from fhir.resources.R4B.bundle import Bundle
from tests.api.conftest import auth
from tests.support.bundles import MRN, record_bundle
from tests.support.world import World

from spinetrack.interop.fhir.codes import mrn_system
from spinetrack.interop.fhir.ids import patient_id
from spinetrack.services.registry_io.import_fhir import import_fhir


def _load(world: World) -> str:
    import_fhir(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        bundle=record_bundle("north"),
    )
    return patient_id(MRN)


def test_everything_about_a_patient_is_one_valid_bundle(client: TestClient, world: World) -> None:
    resource_id = _load(world)
    response = client.get(f"/api/v1/fhir/Patient/{resource_id}/$everything", auth=auth("clinician"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    bundle = Bundle.model_validate_json(response.text)
    kinds = [e.resource.get_resource_type() for e in bundle.entry or []]
    assert kinds[0] == "Patient"
    assert {"Procedure", "QuestionnaireResponse", "Observation", "Questionnaire"} <= set(kinds)


def test_reads_and_searches_by_patient_and_identifier(client: TestClient, world: World) -> None:
    resource_id = _load(world)
    patient = client.get(f"/api/v1/fhir/Patient/{resource_id}", auth=auth("staff")).json()
    assert patient["identifier"][0]["value"] == MRN
    found = client.get(
        "/api/v1/fhir/Patient",
        params={"identifier": f"{mrn_system('north')}|{MRN}"},
        auth=auth("staff"),
    ).json()
    assert found["total"] == 1
    procedures = client.get(
        "/api/v1/fhir/Procedure", params={"patient": f"Patient/{resource_id}"}, auth=auth("staff")
    )
    [entry] = procedures.json()["entry"]
    one = client.get(f"/api/v1/fhir/Procedure/{entry['resource']['id']}", auth=auth("staff"))
    assert one.json()["code"]["coding"][0]["code"] == "discectomy"
    odi = client.get("/api/v1/fhir/Questionnaire/odi", auth=auth("staff")).json()
    assert odi["code"][0]["code"] == "97908-8"


def test_another_clinic_and_anonymous_callers_see_nothing(client: TestClient, world: World) -> None:
    resource_id = _load(world)
    assert (
        client.get(
            f"/api/v1/fhir/Patient/{resource_id}", auth=auth("clinician", "south")
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/fhir/Patient/{resource_id}").status_code == 401
    assert client.get("/api/v1/fhir/Observation/unknown", auth=auth("staff")).status_code == 404
