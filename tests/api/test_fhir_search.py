"""FHIR REST contract: the CapabilityStatement, each search parameter filtering, paging with next
links, the self link, and unsupported parameters refused with an OperationOutcome."""

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from tests.api.conftest import auth
from tests.support.bundles import bundle, odi, patient, surgery
from tests.support.world import World

from spinetrack.interop.fhir.codes import mrn_system
from spinetrack.interop.fhir.ids import patient_id
from spinetrack.interop.fhir.patient import to_patient
from spinetrack.interop.fhir.procedure import to_procedure
from spinetrack.interop.fhir.questionnaire_response import to_response
from spinetrack.services.registry_io.import_fhir import import_fhir

MRNS = ("N-1", "N-2", "N-3")


@pytest.fixture
def three(world: World) -> list[str]:
    """Three patients: a discectomy each (N-3 a fusion), ODI in 2025-02 and 2025-06."""
    resources: list[Any] = []
    for mrn in MRNS:
        resources += [
            to_patient(patient(mrn=mrn), clinic="north"),
            to_procedure(
                surgery(mrn, "fusion" if mrn == "N-3" else "discectomy"), today=date(2026, 1, 1)
            ),
            to_response(odi(mrn)),
            to_response(odi(mrn, day=date(2025, 6, 5), answer=1)),
        ]
    import_fhir(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        bundle=bundle(*resources),
    )
    return [patient_id(m) for m in MRNS]


def _search(client: TestClient, path: str, **params: Any) -> dict[str, Any]:
    answer = client.get(f"/api/v1/fhir/{path}", params=params, auth=auth("clinician"))
    assert answer.status_code == 200, answer.text
    Bundle.model_validate_json(answer.text)
    body: dict[str, Any] = answer.json()
    return body


def _ids(body: dict[str, Any]) -> list[str]:
    return [e["resource"]["id"] for e in body.get("entry", [])]


def test_the_capability_statement_lists_exactly_what_is_served(client: TestClient) -> None:
    answer = client.get("/api/v1/fhir/metadata")
    assert answer.status_code == 200
    statement = CapabilityStatement.model_validate_json(answer.text)
    [rest] = statement.rest or []
    kinds = {r.type: r for r in rest.resource or []}
    assert set(kinds) == {
        "Patient",
        "Procedure",
        "QuestionnaireResponse",
        "Observation",
        "Condition",
        "RiskAssessment",
        "Questionnaire",
    }
    procedure = [p.name for p in kinds["Procedure"].searchParam or []]
    assert procedure == ["_id", "patient", "subject", "code", "date", "status"]
    assert {i.code for i in rest.interaction or []} == {"batch", "transaction"}


def test_patient_and_subject_restrict_to_one_patient(client: TestClient, three: list[str]) -> None:
    everyone = _search(client, "Observation")
    assert everyone["total"] == 6
    mine = _search(client, "Observation", subject=f"Patient/{three[0]}")
    assert mine["total"] == 2
    assert all(e["resource"]["subject"]["reference"].endswith(three[0]) for e in mine["entry"])
    assert _search(client, "Procedure", patient=three[1])["total"] == 1
    assert _search(client, "Procedure", patient="no-such-patient")["total"] == 0


def test_id_identifier_code_status_and_date_filter(client: TestClient, three: list[str]) -> None:
    found = _search(client, "Patient", _id=f"{three[0]},{three[2]}")
    assert sorted(_ids(found)) == sorted([three[0], three[2]])
    by_mrn = _search(client, "Patient", identifier=f"{mrn_system('north')}|N-2")
    assert _ids(by_mrn) == [three[1]]
    assert _search(client, "Patient", identifier="urn:other|N-2")["total"] == 0
    fusions = _search(client, "Procedure", code="fusion")
    assert fusions["total"] == 1 and fusions["entry"][0]["resource"]["subject"][
        "reference"
    ].endswith(three[2])
    assert _search(client, "Procedure", status="completed")["total"] == 3
    assert _search(client, "Procedure", status="preparation")["total"] == 0
    assert _search(client, "Observation", code="http://loinc.org|97909-6")["total"] == 6
    assert _search(client, "Observation", code="http://loinc.org|82237-9")["total"] == 0
    assert _search(client, "Observation", date="2025-02")["total"] == 3
    assert _search(client, "Observation", date="ge2025-03-01")["total"] == 3
    assert _search(client, "Observation", date=["gt2025-02-20", "lt2025-06-05"])["total"] == 0
    assert _search(client, "QuestionnaireResponse", authored="le2025-02-20")["total"] == 3
    assert _search(client, "Procedure", date="eq2025-03-03")["total"] == 3
    assert _search(client, "Procedure", date="lt2025-03-03")["total"] == 0


def test_count_pages_with_next_links_and_sort_orders_by_date(
    client: TestClient, three: list[str]
) -> None:
    first = _search(client, "QuestionnaireResponse", _count=4, _sort="-authored")
    links = {link["relation"]: link["url"] for link in first["link"]}
    assert "_count=4" in links["self"] and "_sort=-authored" in links["self"]
    assert len(first["entry"]) == 4 and first["total"] == 6
    dates = [e["resource"]["authored"] for e in first["entry"]]
    assert dates == sorted(dates, reverse=True) and dates[0].startswith("2025-06-05")
    second = client.get(links["next"], auth=auth("clinician")).json()
    assert len(second["entry"]) == 2
    assert "next" not in {link["relation"] for link in second["link"]}
    assert not set(_ids(first)) & set(_ids(second))


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("Observation", {"name": "x"}),
        ("Patient", {"birthdate": "1961-05-02"}),
        ("Patient", {"_sort": "date"}),
        ("Procedure", {"authored": "2025"}),
        ("Procedure", {"date": "ne2025-01-01"}),
        ("Procedure", {"date": "2025-13-01"}),
        ("Procedure", {"_count": "0"}),
        ("Procedure", {"_sort": "code"}),
        ("Condition", {"status": "active"}),
        ("Observation", {"patient": "Practitioner/1"}),
    ],
)
def test_unsupported_parameters_and_values_are_refused(
    client: TestClient, world: World, path: str, params: dict[str, str]
) -> None:
    answer = client.get(f"/api/v1/fhir/{path}", params=params, auth=auth("clinician"))
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/fhir+json")
    outcome = answer.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert next(iter(params)) in outcome["issue"][0]["diagnostics"]


def test_reads_by_id_find_the_resource_or_answer_404(client: TestClient, three: list[str]) -> None:
    [entry] = _search(client, "Procedure", code="fusion")["entry"]
    procedure = client.get(f"/api/v1/fhir/Procedure/{entry['resource']['id']}", auth=auth("staff"))
    assert procedure.json() == entry["resource"]
    observation = _search(client, "Observation", _count=1)["entry"][0]["resource"]
    again = client.get(f"/api/v1/fhir/Observation/{observation['id']}", auth=auth("staff"))
    assert again.json() == observation
    missing = client.get("/api/v1/fhir/Observation/nope", auth=auth("staff"))
    assert missing.status_code == 404
    other = client.get(f"/api/v1/fhir/Patient/{three[0]}", auth=auth("clinician", "south"))
    assert other.status_code == 404


def test_conditions_are_found_by_code_and_read_by_id(client: TestClient, world: World) -> None:
    from tests.support.outside_bundles import HOSPITAL_MRN_SYSTEM, hospital_bundle

    from spinetrack.services.registry_io.fhir_settings import add_mrn_system

    add_mrn_system(
        sessions=world.database.sessions,
        actor=world.admin,
        clinic_id=world.clinic,
        system=HOSPITAL_MRN_SYSTEM,
    )
    import_fhir(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        bundle=hospital_bundle(),
    )
    [entry] = _search(client, "Condition", code="dural_tear")["entry"]
    assert _search(client, "Condition", code="wrong_site")["total"] == 0
    assert _search(client, "Condition", **{"onset-date": "2025-01-14"})["total"] == 1
    read = client.get(f"/api/v1/fhir/Condition/{entry['resource']['id']}", auth=auth("clinician"))
    assert read.json() == entry["resource"]
    [procedure] = _search(client, "Procedure")["entry"]
    details = [d["reference"] for d in procedure["resource"]["complicationDetail"]]
    assert details == [f"Condition/{entry['resource']['id']}"]
