"""Every route × every role × own clinic / other clinic / anonymous, with the expected allow or deny.

The policy table below must name every route the application serves: a new route without a
policy fails `test_every_route_has_a_policy`, so no page or endpoint can ship unreviewed.
"""

import dataclasses
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.records import fusion, new_patient
from tests.support.snapshot import saved_state
from tests.support.world import PASSWORD, TOKENS, World, build_world

from spinetrack.config import get_settings
from spinetrack.services.access.actor import system_actor
from spinetrack.services.access.patient_links import NewLink, issue_link
from spinetrack.services.operations.database import Database
from spinetrack.services.patient_side.consultations import NewConsultation, submit_consultation
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.record_response import NewResponse, record_response
from spinetrack.services.records.register_surgery import register_surgery
from spinetrack.services.registry_io.bulk_export import ExportRequest, start_export
from spinetrack.services.triage.assess_patient import (
    AssessmentRequest,
    assess_patient,
    list_reports,
)

ROLES = ("admin", "clinician", "staff", "analyst")
FHIR_PATIENT_DATA = (
    "Procedure",
    "QuestionnaireResponse",
    "Observation",
    "Condition",
    "RiskAssessment",
)
CLINICAL = frozenset({"admin", "clinician", "staff"})
TRIAGE_EDITORS = frozenset({"admin", "clinician"})
CASE = {
    "evaluation_date": "2026-03-01",
    "region": "lumbar",
    "surgeries": [{"date": "2024-11-20", "procedure": "fusion", "levels": ["L4-L5"]}],
    "findings": ["mechanical_pain"],
}


@dataclass
class Target:
    """One clinic's patient with a surgery, an assessment and a link, to aim requests at."""

    clinic: int
    patient: int
    surgery: int
    assessment: int
    link: int


@dataclass(frozen=True)
class SignedIn:
    """A browser session of one role, started through the login form: its cookies and the CSRF
    token its pages carry."""

    cookies: dict[str, str]
    csrf: str


@dataclass
class Fixture:
    world: World
    app: FastAPI
    own: Target
    other: Target
    counter: Iterator[int]
    signed_in: dict[str, SignedIn]

    def fresh_link(self) -> str:
        return issue_link(
            sessions=self.world.database.sessions,
            actor=self.world.staff,
            clinic_id=self.world.clinic,
            patient_id=self.own.patient,
            link=NewLink(instruments=["nrs_back"]),
        ).token


Body = Callable[[Fixture, Target], Any]


@dataclass(frozen=True)
class Rule:
    kind: str
    """public | signed_in (any role, no clinic data) | patient (clinical roles) | triage
    (clinicians) | account (any signed-in user, browser pages) | ehr (only an EHR's CDS Hooks JWT:
    no user of ours, signed in or not)"""
    body: Body | None = None


def _mrn(f: Fixture, _: Target) -> dict[str, Any]:
    return {
        "mrn": f"M{next(f.counter)}",
        "given_name": "Ann",
        "family_name": "Lee",
        "birth_date": "1970-01-01",
        "sex": "female",
    }


POLICY: dict[tuple[str, str], Rule] = {
    ("GET", "/"): Rule("public"),
    ("GET", "/health"): Rule("public"),
    ("GET", "/api/v1/openapi.json"): Rule("public"),
    ("GET", "/api/v1/docs"): Rule("public"),
    ("GET", "/login"): Rule("public"),
    ("GET", "/library"): Rule("public"),
    ("GET", "/library/{entry_id}"): Rule("public"),
    ("GET", "/library/glossary"): Rule("public"),
    ("POST", "/login"): Rule("public"),
    ("POST", "/api/v1/triage"): Rule("public", lambda f, t: CASE),
    ("GET", "/cds-services"): Rule("public"),
    ("POST", "/cds-services/spinetrack-triage/feedback"): Rule(
        "ehr",
        lambda f, t: {
            "feedback": [{"card": "c", "outcome": "accepted", "outcomeTimestamp": "2026-01-01"}]
        },
    ),
    ("GET", "/api/v1/fhir/metadata"): Rule("public"),
    ("GET", "/api/v1/fhir/.well-known/smart-configuration"): Rule("public"),
    ("GET", "/api/v1/fhir/$export"): Rule("patient"),
    ("GET", "/api/v1/fhir/Patient/$export"): Rule("patient"),
    ("GET", "/api/v1/fhir/$export-status/{job_id}"): Rule("patient"),
    ("DELETE", "/api/v1/fhir/$export-status/{job_id}"): Rule("patient"),
    ("GET", "/api/v1/fhir/$export-file/{job_id}/{name}"): Rule("patient"),
    ("POST", "/api/v1/fhir"): Rule(
        "patient",
        lambda f, t: {
            "resourceType": "Bundle",
            "type": "batch",
            "entry": [
                {
                    "resource": {"resourceType": "Organization", "name": "x"},
                    "request": {"method": "POST", "url": "Organization"},
                }
            ],
        },
    ),
    ("POST", "/cds-services/spinetrack-triage"): Rule(
        "public",
        lambda f, t: {"hook": "patient-view", "hookInstance": "x", "context": {"case": CASE}},
    ),
    ("GET", "/q/{token}"): Rule("public"),
    ("GET", "/q/{token}/step/{number}"): Rule("public"),
    ("POST", "/q/{token}/step/{number}"): Rule("public"),
    ("GET", "/q/{token}/review"): Rule("public"),
    ("POST", "/q/{token}/submit"): Rule("public"),
    ("GET", "/q/{token}/thanks"): Rule("public"),
    ("GET", "/q/{token}/results"): Rule("public"),
    ("GET", "/language/{code}"): Rule("public"),
    ("GET", "/api/v1/links/{token}"): Rule("public"),
    ("POST", "/api/v1/links/{token}/responses"): Rule(
        "public", lambda f, t: {"responses": [{"nrs_back": 4}]}
    ),
    ("GET", "/api/v1/patients"): Rule("patient"),
    ("GET", "/api/v1/patients/search"): Rule("patient"),
    ("POST", "/api/v1/patients"): Rule("patient", _mrn),
    ("GET", "/api/v1/patients/{patient_id}"): Rule("patient"),
    ("POST", "/api/v1/patients/{patient_id}/surgeries"): Rule(
        "patient",
        lambda f, t: {
            "performed_on": "2025-05-01",
            "region": "lumbar",
            "procedure": "discectomy",
            "approach": "posterior",
            "levels": ["L5-S1"],
        },
    ),
    ("POST", "/api/v1/patients/{patient_id}/complications"): Rule(
        "patient",
        lambda f, t: {"surgery_id": t.surgery, "kind": "dural_tear", "reported_by": "surgeon"},
    ),
    ("POST", "/api/v1/patients/{patient_id}/responses"): Rule(
        "patient",
        lambda f, t: {
            "instrument": "nrs_leg",
            "completed_at": "2025-06-01T09:00:00Z",
            "answers": {"nrs_leg": 3},
        },
    ),
    ("POST", "/api/v1/patients/{patient_id}/links"): Rule(
        "patient", lambda f, t: {"instruments": ["odi"]}
    ),
    ("DELETE", "/api/v1/patients/{patient_id}/links/{link_id}"): Rule("patient"),
    ("GET", "/api/v1/patients/{patient_id}/assessments"): Rule("patient"),
    ("POST", "/api/v1/patients/{patient_id}/findings"): Rule(
        "triage", lambda f, t: {"finding": "smoker", "observed_on": "2025-06-01"}
    ),
    ("POST", "/api/v1/patients/{patient_id}/assessments"): Rule(
        "triage", lambda f, t: {"evaluation_date": "2025-06-02"}
    ),
    ("PUT", "/api/v1/patients/{patient_id}/assessments/{assessment_id}/conclusion"): Rule(
        "triage", lambda f, t: {"confirmed_cause": "pseudarthrosis"}
    ),
    ("GET", "/api/v1/patients/{patient_id}/preop"): Rule("patient"),
    ("PUT", "/api/v1/patients/{patient_id}/preop"): Rule("patient", lambda f, t: {"asa": 2}),
    ("GET", "/api/v1/patients/{patient_id}/risk"): Rule("patient"),
    ("POST", "/api/v1/patients/{patient_id}/risk"): Rule("patient"),
    ("POST", "/api/v1/risk"): Rule("patient", lambda f, t: {"rows": [{"patient_id": "p1"}]}),
    ("GET", "/api/v1/patients/{patient_id}/reports"): Rule("patient"),
    ("POST", "/api/v1/patients/{patient_id}/report-findings/{finding_id}/rejection"): Rule(
        "triage"
    ),
    ("POST", "/api/v1/patients/{patient_id}/surgeries/{surgery_id}/performed"): Rule(
        "patient", lambda f, t: {"performed_on": "2025-06-01"}
    ),
    ("GET", "/api/v1/fhir/Questionnaire"): Rule("signed_in"),
    ("GET", "/api/v1/fhir/Questionnaire/{resource_id}"): Rule("signed_in"),
    ("GET", "/api/v1/fhir/Patient"): Rule("patient"),
    ("GET", "/api/v1/fhir/Patient/{resource_id}"): Rule("patient"),
    ("GET", "/api/v1/fhir/Patient/{resource_id}/$everything"): Rule("patient"),
    **{("GET", f"/api/v1/fhir/{kind}"): Rule("patient") for kind in FHIR_PATIENT_DATA},
    **{
        ("GET", f"/api/v1/fhir/{kind}/{{resource_id}}"): Rule("patient")
        for kind in FHIR_PATIENT_DATA
    },
    ("GET", "/account"): Rule("account"),
    ("POST", "/account/password"): Rule("account"),
    ("POST", "/account/name"): Rule("account"),
    ("POST", "/account/tokens"): Rule("account"),
    ("POST", "/account/tokens/{token_id}/revoke"): Rule("account"),
    ("POST", "/logout"): Rule("account"),
    # The patient side (issue 7): public forms with a CSRF cookie, and staff pages of a clinic.
    ("GET", "/consult"): Rule("public"),
    ("GET", "/consult/{slug}"): Rule("public"),
    ("POST", "/consult/{slug}/screening"): Rule("public_form"),
    ("POST", "/consult/{slug}"): Rule("public_form"),
    ("GET", "/consultations"): Rule("staff_page"),
    ("GET", "/consultations/{request_id}"): Rule("staff_page"),
    ("POST", "/consultations/{request_id}/status"): Rule("staff_page"),
    ("POST", "/consultations/{request_id}/convert"): Rule("staff_page"),
    ("GET", "/chase"): Rule("staff_page"),
    ("GET", "/chase/{patient_id}"): Rule("staff_page"),
    ("POST", "/chase/{patient_id}/contacts"): Rule("staff_page"),
    ("POST", "/chase/{patient_id}/links"): Rule("staff_page"),
    ("POST", "/chase/{patient_id}/links/{link_id}/withdraw"): Rule("staff_page"),
    ("GET", "/chase/{patient_id}/paper/{instrument}"): Rule("staff_page"),
    ("POST", "/chase/{patient_id}/paper/{instrument}"): Rule("staff_page"),
    ("GET", "/paper/{instrument}"): Rule("staff_page"),
    # Browser pages checked role by role in tests/web/test_analytics_access.py.
    ("GET", "/analytics"): Rule("analytics_page"),
    ("GET", "/analytics/report.{fmt}"): Rule("analytics_page"),
    ("GET", "/analytics/tables.{fmt}.zip"): Rule("analytics_page"),
    ("GET", "/analytics/deidentified.zip"): Rule("analytics_page"),
    ("GET", "/analytics/chart/{name}.svg"): Rule("analytics_page"),
    ("GET", "/patients/{patient_id}/letter"): Rule("patient_page"),
    ("GET", "/patients/{patient_id}/chances"): Rule("patient_page"),
    ("GET", "/patients/{patient_id}/preop"): Rule("staff_page"),
    ("POST", "/patients/{patient_id}/preop"): Rule("staff_page"),
    ("GET", "/analytics/risk"): Rule("analytics_page"),
    ("GET", "/analytics/risk/card"): Rule("analytics_page"),
    # The clinician's app (worklist, patient page, data entry): clinical roles of the clinic.
    ("GET", "/worklist"): Rule("staff_page"),
    ("GET", "/patients"): Rule("staff_page"),
    ("POST", "/consultations/{request_id}/link"): Rule("staff_page"),
    ("GET", "/patients/new"): Rule("staff_page"),
    ("POST", "/patients/new"): Rule("staff_page"),
    ("GET", "/patients/{patient_id}"): Rule("staff_page"),
    ("GET", "/patients/{patient_id}/surgeries/new"): Rule("staff_page"),
    ("POST", "/patients/{patient_id}/surgeries/new"): Rule("staff_page"),
    ("POST", "/patients/{patient_id}/surgeries/{surgery_id}/performed"): Rule("staff_page"),
    ("GET", "/patients/{patient_id}/responses/new"): Rule("staff_page"),
    ("POST", "/patients/{patient_id}/responses/new"): Rule("staff_page"),
    ("GET", "/patients/{patient_id}/complications/new"): Rule("staff_page"),
    ("POST", "/patients/{patient_id}/complications/new"): Rule("staff_page"),
    # Triage forms on the patient page: clinicians and admins only.
    ("POST", "/patients/{patient_id}/findings"): Rule("triage_page"),
    ("POST", "/patients/{patient_id}/assessments"): Rule("triage_page"),
    ("POST", "/patients/{patient_id}/assessments/{assessment_id}/conclusion"): Rule("triage_page"),
    ("POST", "/patients/{patient_id}/reassess"): Rule("triage_page"),
    ("POST", "/patients/{patient_id}/report-findings/reject"): Rule("triage_page"),
}


def served_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route, static file mounts aside."""
    found = set()
    for route in app.routes:
        contexts = (
            route.effective_route_contexts()
            if hasattr(route, "effective_route_contexts")
            else [route]
        )
        for context in contexts:
            for method in getattr(context, "methods", None) or ():
                if method != "HEAD":
                    found.add((method, context.path))
    return found


def _target(world: World, clinic: int, actor_name: str) -> Target:
    sessions = world.database.sessions
    staff = world.staff if clinic == world.clinic else world.outsider
    clinician = world.clinician if clinic == world.clinic else world.outsider
    patient = register_patient(
        sessions=sessions, actor=staff, clinic_id=clinic, patient=new_patient(f"T-{actor_name}")
    ).id
    surgery = register_surgery(
        sessions=sessions,
        actor=clinician,
        clinic_id=clinic,
        patient_id=patient,
        surgery=fusion(performed_on=date(2024, 11, 20)),
    ).id
    assessment = assess_patient(
        sessions=sessions,
        actor=clinician,
        clinic_id=clinic,
        patient_id=patient,
        request=AssessmentRequest(evaluation_date=date(2025, 6, 1)),
    ).id
    link = issue_link(
        sessions=sessions,
        actor=staff,
        clinic_id=clinic,
        patient_id=patient,
        link=NewLink(instruments=["odi"]),
    ).id
    for day in (date(2024, 11, 15), date(2025, 2, 20)):  # unchanged ODI at baseline and 3 months
        record_response(
            sessions=sessions,
            actor=staff,
            clinic_id=clinic,
            patient_id=patient,
            response=NewResponse(
                instrument="odi",
                completed_at=datetime.combine(day, time(9), UTC),
                answers={f"odi_{i}": 3 for i in range(1, 11)},
            ),
        )
    return Target(clinic, patient, surgery, assessment, link)


def _sign_in(app: FastAPI, email: str) -> SignedIn:
    """Sign in through the login form, as a browser does, and read the CSRF token of the pages."""
    client = TestClient(app, follow_redirects=False)
    form = client.get("/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf.group(1)})
    page = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text)
    assert page
    return SignedIn(dict(client.cookies.items()), page.group(1))


def _clinics(database: Database) -> tuple[World, Target, Target, dict[str, SignedIn]]:
    """Both clinics with their targets, and a session of each role of the own clinic (signed in
    once here, not four times in every test: sessions last hours and each test gets the rows of
    this build back, so a session one test ends is live again in the next)."""
    world = build_world(database)
    own = _target(world, world.clinic, "own")
    other = _target(world, world.other_clinic, "other")
    app = shared_app(database)
    return world, own, other, {role: _sign_in(app, f"{role}@north.example") for role in ROLES}


@pytest.fixture
def setup(database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Fixture:
    """Both clinics with their targets and sessions, built once per database and worker and put
    back before each test (`saved_state`), so no test sees what another one wrote."""
    monkeypatch.setenv("SPINETRACK_VAR_DIR", str(tmp_path))  # where export jobs are written
    get_settings.cache_clear()
    world, own, other, signed_in = saved_state(
        database, "authorization matrix", lambda: _clinics(database)
    )
    return Fixture(
        world=dataclasses.replace(world),
        app=shared_app(database),
        own=own,
        other=other,
        counter=itertools.count(1),
        signed_in=signed_in,
    )


def _fhir_id(f: Fixture, template: str, target: Target) -> str:
    """A real id of the template's resource type in the target's clinic (ids are derived strings)."""
    kind = template.split("/")[4]
    if kind == "Questionnaire":
        return "odi"
    email = "clinician@north.example" if target is f.own else "clinician@south.example"
    bundle = (
        TestClient(f.app)
        .get(f"/api/v1/fhir/{kind}", headers={"Authorization": f"Bearer {TOKENS[email]}"})
        .json()
    )
    ids = [entry["resource"]["id"] for entry in bundle.get("entry", [])]
    assert ids, f"the target clinic has no {kind} to aim at"
    return str(ids[0])


def _export_job(f: Fixture, target: Target) -> str:
    """A fresh Bulk Data export job of the target's clinic (a DELETE removes the last one)."""
    return start_export(
        sessions=f.world.database.sessions,
        actor=system_actor("test"),
        clinic_id=target.clinic,
        request=ExportRequest("system", "/api/v1/fhir/$export"),
        folder=get_settings().var_dir / "bulk_export",
    )


READING_TEXT = "CT lumbar spine: lucency of more than 1 mm around the left L5 pedicle screw."


def _clinician_of(f: Fixture, target: Target) -> Any:
    return f.world.clinician if target.clinic == f.world.clinic else f.world.outsider


def _fresh_reading(f: Fixture, target: Target) -> int:
    """A reading nobody has rejected yet: each request rejects one, and a second rejection of the
    same reading is refused by design (422), which this matrix would read as an error."""
    sessions, actor = f.world.database.sessions, _clinician_of(f, target)
    assess_patient(
        sessions=sessions,
        actor=actor,
        clinic_id=target.clinic,
        patient_id=target.patient,
        request=AssessmentRequest(evaluation_date=date(2025, 6, 2), reports=[READING_TEXT]),
    )
    _, readings = list_reports(
        sessions=sessions, actor=actor, clinic_id=target.clinic, patient_id=target.patient
    )
    return max(r.id for r in readings)


def _planned_surgery(f: Fixture, target: Target) -> int:
    """A booked operation to record as performed (once only, like a reading's rejection)."""
    return register_surgery(
        sessions=f.world.database.sessions,
        actor=_clinician_of(f, target),
        clinic_id=target.clinic,
        patient_id=target.patient,
        surgery=fusion(performed_on=date(2027, 1, 15), planned=True),
    ).id


def _path(template: str, f: Fixture, target: Target, token_id: int) -> str:
    if "{resource_id}" in template:
        template = template.replace("{resource_id}", _fhir_id(f, template, target))
    if "{job_id}" in template:
        template = template.replace("{job_id}", _export_job(f, target))
        template = template.replace("{name}", "Patient.ndjson")
    values = {
        "patient_id": target.patient,
        "assessment_id": target.assessment,
        "link_id": target.link,
        "surgery_id": _planned_surgery(f, target)
        if template.endswith("/performed") and template.startswith("/api/")
        else target.surgery,
        "token_id": token_id,
        "entry_id": "failed-fusion",
        "number": 1,
        "slug": "north",
        "instrument": "odi",
        "code": "es",
    }
    # A link is issued (audited writes) only for the paths that carry one: issuing one for every
    # path filled in was about a fifth of the matrix's CPU on SQLite (profiled, issue 21).
    if "{token}" in template:
        values["token"] = f.fresh_link()
    if "{finding_id}" in template:
        values["finding_id"] = _fresh_reading(f, target)
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), template)


def _session_client(f: Fixture, role: str) -> tuple[TestClient, str]:
    """A browser signed in as the own clinic's user of that role: its session and CSRF token."""
    signed_in = f.signed_in[role]
    client = TestClient(f.app, follow_redirects=False, cookies=signed_in.cookies)
    return client, signed_in.csrf


def test_every_route_has_a_policy(setup: Fixture) -> None:
    assert served_routes(setup.app) == set(POLICY)


def _expected(kind: str, role: str | None, own: bool) -> str:
    if kind == "public":
        return "allow"
    if kind == "ehr":
        return "unauthenticated"
    if role is None:
        return "unauthenticated"
    if kind == "signed_in":
        return "allow"
    if not own:
        return "not_found"
    allowed = CLINICAL if kind == "patient" else TRIAGE_EDITORS
    return "allow" if role in allowed else "forbidden"


def _verdict(status: int) -> str:
    return {401: "unauthenticated", 403: "forbidden", 404: "not_found"}.get(
        status, "allow" if status < 400 else f"error {status}"
    )


QUERIES = {"/api/v1/patients/search": "&q=dahl"}
"""Query parameters a route requires besides the clinic."""

API_RULES = [
    (key, rule)
    for key, rule in POLICY.items()
    if rule.kind in {"public", "patient", "triage", "ehr"}
]


@pytest.mark.parametrize(("key", "rule"), API_RULES, ids=[f"{m} {p}" for (m, p), _ in API_RULES])
def test_api_routes_allow_and_deny_exactly_as_the_policy_says(
    setup: Fixture, key: tuple[str, str], rule: Rule
) -> None:
    method, template = key
    client = TestClient(setup.app, follow_redirects=False)
    results = []
    for role, own in [(None, True), *[(r, o) for r in ROLES for o in (True, False)]]:
        target = setup.own if own else setup.other
        headers = {"Authorization": f"Bearer {TOKENS[f'{role}@north.example']}"} if role else {}
        body = rule.body(setup, target) if rule.body else None
        path = _path(template, setup, target, 0)
        if rule.kind != "public":  # name the clinic, so a foreign one is really asked for
            path += f"?clinic={target.clinic}{QUERIES.get(template, '')}"
        response = client.request(method, path, json=body, headers=headers)
        if template == "/login" and method == "POST":
            continue  # a form post, checked in the account part below
        results.append((role, own, _verdict(response.status_code), _expected(rule.kind, role, own)))
    wrong = [r for r in results if r[2] != r[3]]
    assert wrong == [], f"(role, own clinic, got, expected): {wrong}"


ACCOUNT_RULES = [key for key, rule in POLICY.items() if rule.kind == "account"]


@pytest.mark.parametrize("key", ACCOUNT_RULES, ids=[f"{m} {p}" for m, p in ACCOUNT_RULES])
def test_account_pages_need_a_session_and_serve_any_signed_in_role(
    setup: Fixture, key: tuple[str, str]
) -> None:
    method, template = key
    anonymous = TestClient(setup.app, follow_redirects=False)
    response = anonymous.request(
        method, _path(template, setup, setup.own, 1), data={"csrf_token": "x"}
    )
    assert response.status_code in {303, 400}
    if response.status_code == 303:
        assert response.headers["location"].startswith("/login")
    for role in ROLES:
        client, csrf = _session_client(setup, role)
        data = {
            "csrf_token": csrf,
            "name": "matrix",
            "current_password": "x",
            "new_password": "y",
            "repeat_password": "y",
        }
        response = client.request(method, _path(template, setup, setup.own, 1), data=data)
        assert response.status_code in {200, 303, 404, 422}, (role, response.status_code)
        assert not (
            response.status_code == 303 and response.headers["location"].startswith("/login?next")
        )


STAFF_PAGES = [key for key, rule in POLICY.items() if rule.kind == "staff_page"]
STAFF_FORM = {
    "status": "contacted",
    "channel": "phone",
    "outcome": "no_answer",
    "instruments": "nrs_back",
    "valid_days": "7",
    "completed_on": "2025-06-01",
    "item_odi_1": "2",
}


def _consultation(f: Fixture, slug: str) -> int:
    return submit_consultation(
        sessions=f.world.database.sessions,
        clinic_slug=slug,
        remote=None,
        request=NewConsultation(
            region="back",
            symptoms="leg pain again",
            screening=dict.fromkeys(
                ("bladder_bowel", "saddle_numbness", "worsening_weakness", "fever_wound"), False
            ),
            given_name="Ann",
            family_name="Lee",
            phone="0123 456",
            consent=True,
        ),
    ).id


@pytest.mark.parametrize("key", STAFF_PAGES, ids=[f"{m} {p}" for m, p in STAFF_PAGES])
def test_staff_pages_serve_clinical_roles_of_their_own_clinic_only(
    setup: Fixture, key: tuple[str, str]
) -> None:
    method, template = key
    requests = {setup.own.clinic: _consultation(setup, "north")}
    requests[setup.other.clinic] = _consultation(setup, "south")

    def path(target: Target) -> str:
        filled = _path(
            template.replace("{request_id}", str(requests[target.clinic])), setup, target, 0
        )
        return f"{filled}?clinic={target.clinic}"

    anonymous = TestClient(setup.app, follow_redirects=False)
    response = anonymous.request(method, path(setup.own), data={"csrf_token": "x"})
    assert response.status_code in {303, 400}
    if response.status_code == 303:
        assert response.headers["location"].startswith("/login")
    for role in ROLES:
        client, csrf = _session_client(setup, role)
        data = {**STAFF_FORM, "csrf_token": csrf}
        own = client.request(method, path(setup.own), data=data)
        if role in CLINICAL:
            assert own.status_code in {200, 303, 422}, (role, own.status_code)
        else:
            assert own.status_code == 403, (role, own.status_code)
        other = client.request(method, path(setup.other), data=data)
        assert other.status_code == 404, (role, "other clinic", other.status_code)


TRIAGE_PAGES = [key for key, rule in POLICY.items() if rule.kind == "triage_page"]


@pytest.mark.parametrize("key", TRIAGE_PAGES, ids=[f"{m} {p}" for m, p in TRIAGE_PAGES])
def test_triage_forms_serve_clinicians_of_their_own_clinic_only(
    setup: Fixture, key: tuple[str, str]
) -> None:
    method, template = key

    def path(target: Target) -> str:
        return f"{_path(template, setup, target, 0)}?clinic={target.clinic}"

    anonymous = TestClient(setup.app, follow_redirects=False)
    response = anonymous.request(method, path(setup.own), data={"csrf_token": "x"})
    assert response.status_code in {303, 400}
    for role in ROLES:
        client, csrf = _session_client(setup, role)
        data = {"csrf_token": csrf, "finding": "", "report_text": ""}
        own = client.request(method, path(setup.own), data=data)
        if role in TRIAGE_EDITORS:
            assert own.status_code in {303, 422}, (role, own.status_code)
        else:
            assert own.status_code == 403, (role, own.status_code)
        other = client.request(method, path(setup.other), data=data)
        assert other.status_code == 404, (role, "other clinic", other.status_code)


def test_public_forms_need_their_csrf_cookie_and_serve_anyone(setup: Fixture) -> None:
    client = TestClient(setup.app, follow_redirects=False)
    assert client.post("/consult/north/screening", data={"region": "back"}).status_code == 400
    page = client.get("/consult/north")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    answers = {"region": "back", "csrf_token": csrf.group(1)}
    answers |= {f"flag_{q}": "no" for q in ("bladder_bowel", "saddle_numbness")}
    answers |= {f"flag_{q}": "no" for q in ("worsening_weakness", "fever_wound")}
    assert client.post("/consult/north/screening", data=answers).status_code == 200
    details = {"symptoms": "pain", "given_name": "A", "family_name": "B", "phone": "01234 5678"}
    sent = client.post("/consult/north", data={**answers, **details, "consent": "yes"})
    assert sent.status_code == 200
    assert "Your request was sent" in sent.text
