"""The worklist page: where clinical users land, what it lists, and its filters."""

import pytest
from fastapi.testclient import TestClient
from tests.support.records import failing, operated
from tests.support.web_sign_in import sign_in
from tests.support.world import World

from spinetrack.app import create_app


@pytest.fixture
def app_client(world: World) -> TestClient:
    return TestClient(create_app(world.database), follow_redirects=False)


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
