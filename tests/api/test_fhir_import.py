"""POST of a batch or transaction Bundle to the FHIR base: clinic-scoped, audited, answered with a
response Bundle entry by entry (imported, or skipped/rejected with an OperationOutcome)."""

import json

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.api.conftest import auth
from tests.support.outside_bundles import HOSPITAL_MRN, HOSPITAL_MRN_SYSTEM, hospital_bundle
from tests.support.world import World

from spinetrack.services.registry_io.fhir_settings import add_mrn_system, set_npi
from spinetrack.storage.tables import AuditEntry

FHIR = {"content-type": "application/fhir+json"}


def _configure(world: World) -> None:
    add_mrn_system(
        sessions=world.database.sessions,
        actor=world.admin,
        clinic_id=world.clinic,
        system=HOSPITAL_MRN_SYSTEM,
    )


def _as(kind: str, raw: bytes) -> bytes:
    data = json.loads(raw)
    data["type"] = kind
    return json.dumps(data).encode()


def _stored(world: World, clinic: int | None = None) -> bool:
    with world.database.sessions() as uow:
        return uow.patients(clinic or world.clinic).by_mrn(HOSPITAL_MRN) is not None


def test_a_transaction_is_imported_and_answered_entry_by_entry(
    client: TestClient, world: World
) -> None:
    _configure(world)
    answer = client.post(
        "/api/v1/fhir", content=hospital_bundle(), headers=FHIR, auth=auth("staff")
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/fhir+json")
    body = answer.json()
    assert body["type"] == "transaction-response"
    statuses = [e["response"]["status"] for e in body["entry"]]
    assert statuses[0] == "200 OK" and statuses.count("200 OK") == 5
    skipped = body["entry"][1]["response"]["outcome"]["issue"][0]
    assert skipped["code"] == "not-supported" and "Practitioner" in skipped["diagnostics"]
    assert _stored(world)
    with world.database.sessions() as uow:
        audited = uow.session.scalars(
            select(AuditEntry.outcome).where(AuditEntry.action == "fhir.import")
        ).all()
    assert audited == ["ok"]


def test_a_transaction_with_a_rejected_resource_stores_nothing_and_a_batch_stores_the_rest(
    client: TestClient, world: World
) -> None:
    _configure(world)
    data = json.loads(hospital_bundle())
    data["entry"][3]["resource"]["performedPeriod"] = {"end": "2025-01-14"}
    broken = json.dumps(data).encode()
    refused = client.post("/api/v1/fhir", content=broken, headers=FHIR, auth=auth("staff"))
    assert refused.status_code == 422
    outcome = refused.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["severity"] == "error"
    assert "performed" in outcome["issue"][0]["diagnostics"]
    assert not _stored(world)
    batch = client.post(
        "/api/v1/fhir", content=_as("batch", broken), headers=FHIR, auth=auth("staff")
    )
    assert batch.status_code == 200 and batch.json()["type"] == "batch-response"
    assert batch.json()["entry"][3]["response"]["status"].startswith("422")
    assert _stored(world)


def test_only_batches_and_transactions_from_writers_of_the_clinic(
    client: TestClient, world: World
) -> None:
    _configure(world)
    collection = client.post(
        "/api/v1/fhir", content=_as("collection", hospital_bundle()), auth=auth("staff")
    )
    assert collection.status_code == 422 and collection.json()["field"] == "type"
    garbage = client.post("/api/v1/fhir", content=b"{not json", auth=auth("staff"))
    assert garbage.status_code == 422
    analyst = client.post("/api/v1/fhir", content=hospital_bundle(), auth=auth("analyst"))
    assert analyst.status_code == 403
    assert client.post("/api/v1/fhir", content=hospital_bundle()).status_code == 401
    other = client.post("/api/v1/fhir", content=hospital_bundle(), auth=auth("clinician", "south"))
    assert other.status_code == 422  # the other clinic has not configured the hospital's MRNs
    assert not _stored(world, world.other_clinic)


def test_a_matched_practitioner_and_a_pre_operative_value_are_answered_200(
    client: TestClient, world: World
) -> None:
    _configure(world)
    set_npi(
        sessions=world.database.sessions,
        actor=world.admin,
        clinic_id=world.clinic,
        email="clinician@north.example",
        npi="1234567893",
    )
    bmi = {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "39156-5"}]},
        "subject": {"reference": "Patient/pt-77120"},
        "effectiveDateTime": "2024-12-01",
        "valueQuantity": {"value": 28.4, "unit": "kg/m2"},
    }
    answer = client.post(
        "/api/v1/fhir", content=hospital_bundle(extra=[bmi]), headers=FHIR, auth=auth("staff")
    )
    assert answer.status_code == 200, answer.text
    entries = answer.json()["entry"]
    assert entries[1]["response"]["status"] == "200 OK"  # the Practitioner, matched by NPI
    assert entries[-1]["response"]["status"] == "200 OK"  # the BMI, read into the record
    out_of_range = {**bmi, "valueQuantity": {"value": 95}}
    refused = client.post(
        "/api/v1/fhir",
        content=hospital_bundle(extra=[out_of_range]),
        headers=FHIR,
        auth=auth("staff"),
    )
    assert refused.status_code == 422
    assert "bmi" in refused.text
