"""Errors answered once per edge: refused forms speak the form's words and mark the field, records
not found or not allowed get the problem page, and no page handler catches them itself."""

import ast
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.web_sign_in import sign_in
from tests.support.world import World

import spinetrack.web
from spinetrack.web.routes.data_entry import PATIENT_WORDS

ROUTES = Path(spinetrack.web.__file__).parent / "routes"
PAGE_ERRORS = {"NotFound", "AccessDenied", "InvalidInput", "ValidationError", "UnknownInstrument"}
INTERNALS = ("String should match pattern", "Value error", ">Mrn", "0: ", "Input should")


@pytest.fixture
def clinician(world: World) -> TestClient:
    client = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(client, "clinician@north.example")
    return client


def _csrf(page: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    return token.group(1)


def _field(page: str, name: str) -> str:
    found = re.search(rf'<(?:input|select|textarea) id="{re.escape(name)}"[^>]*>', page)
    assert found, name
    return found.group(0)


def _patient(clinician: TestClient) -> int:
    form = clinician.get("/patients/new")
    typed = {
        "mrn": "PE-1",
        "given_name": "Ann",
        "family_name": "Lee",
        "birth_date": "1960-02-03",
        "sex": "female",
    }
    created = clinician.post("/patients/new", data={"csrf_token": _csrf(form.text), **typed})
    assert created.status_code == 303
    return int(created.headers["location"].split("/")[2].split("?")[0])


def test_a_refused_patient_names_each_field_by_its_label(clinician: TestClient) -> None:
    form = clinician.get("/patients/new")
    for label in PATIENT_WORDS.labels.values():
        assert label.text in form.text  # the messages use the labels the form shows
    typed = {"mrn": "", "given_name": "Ann", "family_name": "Lee", "birth_date": "1960-02-03"}
    refused = clinician.post(
        "/patients/new",
        data={"csrf_token": _csrf(form.text), **typed, "sex": "female", "email": "ann@"},
    )
    assert refused.status_code == 422
    assert "Medical record number (MRN): please fill this in." in refused.text
    assert "E-mail: write an address such as name@example.org." in refused.text
    assert not [bit for bit in INTERNALS if bit in refused.text]
    assert 'aria-invalid="true"' in _field(refused.text, "email")
    assert 'aria-describedby="email-hint email-error"' in _field(refused.text, "email")
    assert 'id="email-error"' in refused.text


def test_a_bad_level_marks_the_levels_box(clinician: TestClient) -> None:
    patient = _patient(clinician)
    form = clinician.get(f"/patients/{patient}/surgeries/new")
    refused = clinician.post(
        f"/patients/{patient}/surgeries/new",
        data={
            "csrf_token": _csrf(form.text),
            "performed_on": "2025-01-10",
            "region": "lumbar",
            "procedure": "fusion",
            "approach": "posterior",
            "levels": "L4-L5, L4-L6",
        },
    )
    assert refused.status_code == 422
    levels = _field(refused.text, "levels")
    assert 'aria-invalid="true"' in levels and "levels-error" in levels
    assert "Levels: &#39;L4-L6&#39; is not a spinal level" in refused.text
    assert not [bit for bit in INTERNALS if bit in refused.text]


def test_records_not_found_get_the_problem_page_in_the_site_layout(
    clinician: TestClient,
) -> None:
    for path in ("/patients/999999/surgeries/new", "/patients/999999", "/chase/999999"):
        page = clinician.get(path)
        assert page.status_code == 404, path
        assert "Not found" in page.text and "Sign out" in page.text, path
    form = clinician.get("/patients/new")
    posted = clinician.post(
        "/patients/999999/complications/new",
        data={"csrf_token": _csrf(form.text), "surgery_id": "1"},
    )
    assert posted.status_code == 404 and "No such patient" in posted.text


def test_a_role_that_may_not_gets_the_problem_page(world: World) -> None:
    analyst = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(analyst, "analyst@north.example")
    page = analyst.get(f"/patients/1?clinic={world.clinic}")
    assert page.status_code == 403 and "Not allowed" in page.text


def _handlers_catching_page_errors() -> list[str]:
    found = []
    for path in ROUTES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                names = {n.id for n in ast.walk(node.type) if isinstance(n, ast.Name)}
                names |= {n.attr for n in ast.walk(node.type) if isinstance(n, ast.Attribute)}
                if names & PAGE_ERRORS:
                    found.append(f"{path.name}:{node.lineno}")
    return found


def test_no_page_handler_catches_what_the_page_route_answers() -> None:
    assert _handlers_catching_page_errors() == []


def test_no_handler_checks_for_a_missing_actor() -> None:
    for path in ROUTES.glob("*.py"):
        text = path.read_text()
        assert "assert visitor.actor is not None" not in text, path.name
        assert "assert actor is not None" not in text and "_actor(visitor)" not in text, path.name
