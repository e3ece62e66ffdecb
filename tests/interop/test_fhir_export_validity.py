"""CI check of the FHIR export with rules independent of how we build it: every resource parses
strictly as R4(B) JSON, every fullUrl is a valid urn:uuid or an absolute URL, every reference
resolves by the R4 Bundle rules (https://hl7.org/fhir/R4/bundle.html#references: an absolute
reference must equal an entry's fullUrl; a relative one resolves only against a RESTful fullUrl),
every response names a Questionnaire in the Bundle, planned surgeries carry no performed date, and
a de-identified export keeps every status and has no date after the export day.

(The official R4 JSON schema and Medplum's validator check every resource in
test_fhir_schema.py; strict fhir.resources parsing here is a third, Python-side opinion.)"""

import json
import re
import uuid
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from tests.support.records import fusion
from tests.support.seeded import seed
from tests.support.world import World

from spinetrack.interop.fhir.codes import US_NPI
from spinetrack.interop.fhir.practitioner import ACCOUNT
from spinetrack.services.records.register_surgery import register_surgery
from spinetrack.services.registry_io.export_registry import export_registry
from spinetrack.services.registry_io.fhir_settings import set_npi

TODAY = date.today()
RESTFUL = re.compile(r"^(https?://.+/)([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(/_history/.+)?$")
DATE_FIELDS = (
    "birthDate",
    "performedDateTime",
    "authored",
    "effectiveDateTime",
    "onsetDateTime",
    "occurrenceDateTime",
    "valueDate",
)


def _export(world: World, tmp_path: Path, deidentified: bool) -> dict[str, Any]:
    out = tmp_path / f"export-{deidentified}.json"
    export_registry(
        sessions=world.database.sessions,
        actor=world.admin,
        clinic_id=world.clinic,
        fmt="fhir",
        out=out,
        deidentified=deidentified,
        secret_key="a test key" if deidentified else None,
    )
    data: dict[str, Any] = json.loads(out.read_text())
    return data


@pytest.fixture
def registry(world: World) -> World:
    """The seeded patient (surgery, two answers the staff entered, an assessment) and a surgery
    booked for later with the clinician as its surgeon."""
    seeded = seed(world)
    register_surgery(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=seeded.patient,
        surgery=fusion(
            performed_on=TODAY + timedelta(days=20), surgeon_id=world.surgeon_id, planned=True
        ),
    )
    return world


def _references(value: Any) -> list[str]:
    if isinstance(value, dict):
        found = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return found + [r for v in value.values() for r in _references(v)]
    if isinstance(value, list):
        return [r for v in value for r in _references(v)]
    return []


def _resolves(reference: str, full_url: str, full_urls: set[str]) -> bool:
    if reference.startswith("#"):
        return False  # we write no contained resources
    if reference.startswith(("urn:uuid:", "urn:oid:", "http://", "https://")):
        return reference in full_urls
    restful = RESTFUL.match(full_url)
    return restful is not None and f"{restful[1]}{reference}" in full_urls


def _check_bundle(data: dict[str, Any]) -> list[dict[str, Any]]:
    Bundle.model_validate(data)  # strict: unknown elements and bad values are errors
    entries = data["entry"]
    full_urls = [e["fullUrl"] for e in entries]
    assert len(set(full_urls)) == len(full_urls)
    for url in full_urls:
        if url.startswith("urn:uuid:"):
            text = url.removeprefix("urn:uuid:")
            assert str(uuid.UUID(text)) == text, url
        else:
            assert RESTFUL.match(url), url
    unresolved = [
        (e["fullUrl"], r)
        for e in entries
        for r in _references(e["resource"])
        if not _resolves(r, e["fullUrl"], set(full_urls))
    ]
    assert not unresolved
    resources: list[dict[str, Any]] = [e["resource"] for e in entries]
    canonicals = {
        f"{r['url']}|{r['version']}" for r in resources if r["resourceType"] == "Questionnaire"
    }
    for r in resources:
        if r["resourceType"] == "QuestionnaireResponse":
            assert r["questionnaire"] in canonicals
    return resources


def _procedures(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in resources if r["resourceType"] == "Procedure"]


def test_the_export_is_valid_and_every_reference_resolves(registry: World, tmp_path: Path) -> None:
    resources = _check_bundle(_export(registry, tmp_path, deidentified=False))
    kinds = Counter(r["resourceType"] for r in resources)
    assert kinds["Procedure"] == 2 and kinds["QuestionnaireResponse"] == 2
    planned = [p for p in _procedures(resources) if p["status"] == "preparation"]
    [booked] = planned
    assert "performedDateTime" not in booked and "performedPeriod" not in booked
    done = [p for p in _procedures(resources) if p["status"] == "completed"]
    assert all(date.fromisoformat(p["performedDateTime"][:10]) <= TODAY for p in done)


def test_a_deidentified_export_keeps_statuses_and_stays_before_the_export_day(
    registry: World, tmp_path: Path
) -> None:
    plain = _check_bundle(_export(registry, tmp_path, deidentified=False))
    hidden = _check_bundle(_export(registry, tmp_path, deidentified=True))
    assert Counter(p["status"] for p in _procedures(hidden)) == Counter(
        p["status"] for p in _procedures(plain)
    )
    for resource in hidden:
        for name in DATE_FIELDS:
            if isinstance(resource.get(name), str):
                assert date.fromisoformat(resource[name][:10]) <= TODAY, (resource, name)


def test_an_unresolvable_reference_is_caught(registry: World, tmp_path: Path) -> None:
    data = _export(registry, tmp_path, deidentified=False)
    procedure = next(e for e in data["entry"] if e["resource"]["resourceType"] == "Procedure")
    procedure["resource"]["subject"]["reference"] = "Patient/" + str(uuid.uuid4())
    with pytest.raises(AssertionError):
        _check_bundle(data)


def _entries(data: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {
        e["fullUrl"]: e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind
    }


def test_surgeons_and_who_entered_answers_are_practitioners_with_identifiers(
    registry: World, tmp_path: Path
) -> None:
    set_npi(
        sessions=registry.database.sessions,
        actor=registry.admin,
        clinic_id=registry.clinic,
        email="clinician@north.example",
        npi="1234567893",
    )
    data = _export(registry, tmp_path, deidentified=False)
    _check_bundle(data)
    practitioners = _entries(data, "Practitioner")
    by_account = {
        i["value"]: url
        for url, p in practitioners.items()
        for i in p["identifier"]
        if i["system"] == ACCOUNT
    }
    assert set(by_account) == {"clinician@north.example", "staff@north.example"}
    surgeon = practitioners[by_account["clinician@north.example"]]
    assert {"system": US_NPI, "value": "1234567893"} in surgeon["identifier"]
    assert surgeon["name"] == [{"text": "Clinician"}]
    [booked] = [p for p in _entries(data, "Procedure").values() if p["status"] == "preparation"]
    assert booked["performer"][0]["actor"]["reference"] == by_account["clinician@north.example"]
    for response in _entries(data, "QuestionnaireResponse").values():
        assert response["author"]["reference"] == by_account["staff@north.example"]
        assert response["source"]["reference"] == response["subject"]["reference"]


def test_a_deidentified_export_names_practitioners_by_pseudonym_only(
    registry: World, tmp_path: Path
) -> None:
    set_npi(
        sessions=registry.database.sessions,
        actor=registry.admin,
        clinic_id=registry.clinic,
        email="clinician@north.example",
        npi="1234567893",
    )
    data = _export(registry, tmp_path, deidentified=True)
    _check_bundle(data)
    practitioners = list(_entries(data, "Practitioner").values())
    assert len(practitioners) == 2
    for practitioner in practitioners:
        assert "name" not in practitioner
        [identifier] = practitioner["identifier"]
        assert identifier["system"] == ACCOUNT and "@" not in identifier["value"]
    assert "1234567893" not in json.dumps(data) and "north.example" not in json.dumps(data)


def test_the_region_carries_its_snomed_ct_code_beside_ours(registry: World, tmp_path: Path) -> None:
    data = _export(registry, tmp_path, deidentified=False)
    for procedure in _entries(data, "Procedure").values():
        region = procedure["bodySite"][0]["coding"]
        assert {"system": "http://snomed.info/sct", "code": "122496007"} in [
            {"system": c["system"], "code": c["code"]} for c in region
        ]
