"""The search box in every clinical page's header and the results page it leads to."""

import re

import pytest
from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.records import failing, new_patient
from tests.support.web_sign_in import sign_in
from tests.support.world import World

from spinetrack.services.records.enrol_patient import register_patient


@pytest.fixture
def app_client(world: World) -> TestClient:
    return TestClient(shared_app(world.database), follow_redirects=False)


def _header(page: str) -> str:
    found = re.search(r'<header class="site-header">(.*?)</header>', page, re.S)
    assert found
    return found.group(1)


def test_every_clinical_page_has_the_search_box_and_no_one_else_sees_it(
    world: World, app_client: TestClient
) -> None:
    patient = failing(world, "H1")
    sign_in(app_client, "staff@north.example")
    for path in ("/worklist", f"/patients/{patient}", "/chase", "/consultations", "/account"):
        header = _header(app_client.get(path).text)
        assert 'action="/patients"' in header and 'name="q"' in header, path
        assert '<label for="header-q">Find a patient</label>' in header
    analyst = TestClient(app_client.app, follow_redirects=False)
    sign_in(analyst, "analyst@north.example")
    assert 'name="q"' not in _header(analyst.get("/analytics").text)
    anonymous = TestClient(app_client.app)
    assert 'action="/patients"' not in _header(anonymous.get("/").text)


def test_results_list_name_mrn_birth_date_status_and_link(
    world: World, app_client: TestClient
) -> None:
    patient = failing(world, "H2")
    other = register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient("H3", given_name="José", family_name="Núñez"),
    ).id
    sign_in(app_client, "clinician@north.example")
    page = app_client.get("/patients", params={"q": "dahl"})
    assert page.status_code == 200
    assert f'href="/patients/{patient}">Dahl, Ingrid</a>' in page.text
    assert "H2" in page.text and "17 May 1961" in page.text and "Failing" in page.text
    accents = app_client.get("/patients", params={"q": "JOSE nunez"})
    assert f'href="/patients/{other}">Núñez, José</a>' in accents.text
    assert "no surgery recorded" in accents.text
    by_date = app_client.get("/patients", params={"q": "1961-05-17"})
    assert "2 patients found" in by_date.text
    assert app_client.get("/patients/" + str(patient)).status_code == 200


def test_a_search_that_finds_nobody_says_so_and_keeps_the_words(
    world: World, app_client: TestClient
) -> None:
    sign_in(app_client, "staff@north.example")
    page = app_client.get("/patients", params={"q": "Zyx"})
    assert page.status_code == 200
    assert "No patient found for “Zyx”" in page.text and 'value="Zyx"' in page.text


def test_unusable_text_is_refused_beside_the_box(world: World, app_client: TestClient) -> None:
    sign_in(app_client, "staff@north.example")
    page = app_client.get("/patients", params={"q": "j"})
    assert page.status_code == 422
    assert "Find a patient: type at least 2 characters" in page.text
    assert 'aria-invalid="true"' in page.text and 'id="q-error"' in page.text


def test_analysts_are_sent_to_their_analytics(world: World, app_client: TestClient) -> None:
    sign_in(app_client, "analyst@north.example")
    refused = app_client.get("/patients", params={"q": "dahl"})
    assert refused.status_code == 403 and "analytics" in refused.text


def test_the_header_names_the_user_not_their_e_mail(world: World, app_client: TestClient) -> None:
    sign_in(app_client, "clinician@north.example")
    header = _header(app_client.get("/worklist").text)
    assert '<a href="/account">Clinician</a>' in header
    assert "clinician@north.example" not in header


def test_a_user_sets_the_name_the_header_shows(world: World, app_client: TestClient) -> None:
    sign_in(app_client, "staff@north.example")
    page = app_client.get("/account").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf and 'value="Staff"' in page
    refused = app_client.post("/account/name", data={"csrf_token": csrf.group(1), "full_name": ""})
    assert refused.status_code == 422 and "Your name: give a name of 1 to 200" in refused.text
    saved = app_client.post(
        "/account/name", data={"csrf_token": csrf.group(1), "full_name": "Sam  Okafor"}
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/account?renamed=1"
    header = _header(app_client.get("/worklist").text)
    assert '<a href="/account">Sam Okafor</a>' in header
