"""The consultation request as plain forms: the screening screen first, the emergency instruction
opening the next screen when a warning sign is 'yes', fields kept on a refusal, CSRF required."""

import re

import pytest
from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.world import World

NO = {
    f"flag_{q}": "no"
    for q in ("bladder_bowel", "saddle_numbness", "worsening_weakness", "fever_wound")
}


@pytest.fixture
def client(world: World) -> tuple[TestClient, str]:
    client = TestClient(shared_app(world.database), follow_redirects=False)
    page = client.get("/consult/north")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    return client, token.group(1)


def test_the_screening_comes_first_and_all_its_questions_must_be_answered(
    client: tuple[TestClient, str],
) -> None:
    http, csrf = client
    page = http.post("/consult/north/screening", data={"csrf_token": csrf, "region": "back"})
    assert page.status_code == 422
    assert page.text.count("Please answer yes or no.") == 4


def test_a_yes_opens_the_next_screen_with_the_instruction_before_anything_else(
    client: tuple[TestClient, str],
) -> None:
    http, csrf = client
    answers = {"csrf_token": csrf, "region": "back", **NO, "flag_bladder_bowel": "yes"}
    page = http.post("/consult/north/screening", data=answers).text
    main = page[page.index('<main id="content"') :]
    assert main.index("Get emergency care now") < main.index("About your surgery")
    assert 'type="hidden" name="flag_bladder_bowel" value="yes"' in page


def test_a_fever_alone_asks_for_help_today(client: tuple[TestClient, str]) -> None:
    http, csrf = client
    answers = {"csrf_token": csrf, "region": "back", **NO, "flag_fever_wound": "yes"}
    page = http.post("/consult/north/screening", data=answers).text
    assert "Get medical help today" in page and "Get emergency care now" not in page


def test_a_refused_request_keeps_what_was_typed(client: tuple[TestClient, str]) -> None:
    http, csrf = client
    data = {
        "csrf_token": csrf,
        "region": "back",
        **NO,
        "symptoms": "Pain at night",
        "given_name": "Ama",
    }
    page = http.post(
        "/consult/north", data={**data, "family_name": "", "phone": "", "consent": "yes"}
    )
    assert page.status_code == 422
    assert "Please give your last name." in page.text
    assert "Pain at night</textarea>" in page.text and 'value="Ama"' in page.text


def test_an_unknown_clinic_offers_the_list(client: tuple[TestClient, str]) -> None:
    http, _ = client
    page = http.get("/consult/nowhere")
    assert page.status_code == 404 and "North Spine" in page.text and "South Spine" in page.text
