"""The worklist page: where clinical users land, what it lists, and its filters."""

import pytest
from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.records import due_patient, failing, operated
from tests.support.web_sign_in import sign_in
from tests.support.world import World


@pytest.fixture
def app_client(world: World) -> TestClient:
    return TestClient(shared_app(world.database), follow_redirects=False)


def test_clinical_users_land_on_the_worklist_and_analysts_on_analytics(
    app_client: TestClient,
) -> None:
    assert sign_in(app_client, "clinician@north.example") == "/"
    assert app_client.get("/").headers["location"] == "/worklist"
    analyst = TestClient(app_client.app, follow_redirects=False)
    sign_in(analyst, "analyst@north.example")
    assert analyst.get("/").headers["location"] == "/analytics"
    refused = analyst.get("/worklist")
    assert refused.status_code == 403 and "analytics" in refused.text
    anonymous = TestClient(app_client.app, follow_redirects=False)
    assert anonymous.get("/").status_code == 200
    assert anonymous.get("/worklist").headers["location"].startswith("/login")


def test_the_worklist_links_each_section_to_the_patient_page(
    world: World, app_client: TestClient
) -> None:
    patient = failing(world, "WL1")
    due = operated(world, "WL2", 40)
    sign_in(app_client, "staff@north.example")
    page = app_client.get("/worklist")
    assert page.status_code == 200
    failing_part = page.text.split('id="failing"')[1].split('id="followups"')[0]
    assert f'href="/patients/{patient}"' in failing_part
    followups = page.text.split('id="followups"')[1]
    assert f'href="/patients/{due}"' in followups and "Due" in followups
    assert 'href="/patients/new"' in page.text


def test_filters_keep_their_values_and_a_bad_one_is_named(
    world: World, app_client: TestClient
) -> None:
    failing(world, "WL3")
    sign_in(app_client, "clinician@north.example")
    narrowed = app_client.get("/worklist?region=cervical")
    assert narrowed.status_code == 200
    assert '<option value="cervical" selected>' in narrowed.text
    assert "<strong>0</strong> Failing and relapsed" in narrowed.text
    bad = app_client.get("/worklist?region=knee&status=failing")
    assert bad.status_code == 422
    assert "unknown region" in bad.text and 'aria-invalid="true"' in bad.text
    assert '<option value="failing" selected>' in bad.text


def test_a_surgeons_worklist_defaults_to_their_own_patients_with_a_way_to_see_all(
    world: World, app_client: TestClient
) -> None:
    """Issue 18, point 8."""
    mine = failing(world, "OWN1")  # operated by the clinician (world.surgeon_id)
    theirs = due_patient(world, "OWN2")  # no surgeon recorded: due in the follow-ups
    sign_in(app_client, "clinician@north.example")
    page = app_client.get("/worklist").text
    assert "Showing your own patients." in page
    assert f"/patients/{mine}" in page and f"/patients/{theirs}" not in page
    assert f'<option value="{world.surgeon_id}" selected' in page
    every = app_client.get("/worklist?surgeon=").text
    assert "Showing your own patients." not in every
    assert f"/patients/{theirs}" in every


def test_the_administrator_is_not_offered_as_a_surgeon(
    world: World, app_client: TestClient
) -> None:
    sign_in(app_client, "admin@north.example")
    page = app_client.get("/worklist").text
    assert "Showing your own patients." not in page
    surgeon_select = page.split('name="surgeon"')[1].split("</select>")[0]
    assert ">Clinician<" in surgeon_select and ">Admin<" not in surgeon_select
    patient = failing(world, "OWN3")
    form = app_client.get(f"/patients/{patient}/surgeries/new").text
    surgeon_field = form.split('name="surgeon_id"')[1].split("</select>")[0]
    assert ">Clinician<" in surgeon_field and ">Admin<" not in surgeon_field
