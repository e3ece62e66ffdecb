"""The patient's questionnaire pages as plain HTML forms (no JavaScript): private headers, one
question per screen, back and forward keeping answers, the review, and a closed link afterwards."""

import re

import pytest
from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.links import issued_link
from tests.support.world import World


@pytest.fixture
def link(world: World) -> tuple[TestClient, str]:
    _, token = issued_link(world, ["nrs_back", "nrs_leg"])
    return TestClient(shared_app(world.database), follow_redirects=False), f"/q/{token}"


def test_pages_are_private_and_carry_no_inline_script_or_style(
    link: tuple[TestClient, str],
) -> None:
    client, base = link
    for path in (base, f"{base}/step/1", f"{base}/review"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert page.headers["cache-control"] == "no-store"
        assert page.headers["referrer-policy"] == "no-referrer"
        assert "<script>" not in page.text and "style=" not in page.text
        assert "Ingrid" not in page.text and "Dahl" not in page.text  # nothing about the patient


def test_back_and_forward_keep_the_answers_and_the_review_lists_them(
    link: tuple[TestClient, str],
) -> None:
    client, base = link
    assert (
        client.post(f"{base}/step/1", data={"answer": "7", "go": "next"}).headers["location"]
        == f"{base}/step/2"
    )
    assert (
        client.post(f"{base}/step/2", data={"answer": "2", "go": "back"}).headers["location"]
        == f"{base}/step/1"
    )
    assert re.search(r'value="7" checked', client.get(f"{base}/step/1").text)
    assert re.search(r'value="2" checked', client.get(f"{base}/step/2").text)
    assert (
        client.post(f"{base}/step/2", data={"answer": "2"}).headers["location"] == f"{base}/review"
    )
    review = client.get(f"{base}/review").text
    assert "Not answered" not in review
    sent = client.post(f"{base}/submit")
    assert sent.headers["location"] == f"{base}/thanks"
    assert "Thank you" in client.get(f"{base}/thanks").text
    gone = client.post(f"{base}/step/1", data={"answer": "1"})
    assert gone.status_code == 404 and "no longer works" in gone.text


def test_an_answer_off_the_scale_is_shown_again_with_a_message(
    link: tuple[TestClient, str],
) -> None:
    client, base = link
    page = client.post(f"{base}/step/1", data={"answer": "12"})
    assert page.status_code == 422
    assert "Please choose one of the answers shown." in page.text


def test_sending_with_a_questionnaire_unanswered_asks_for_more(
    link: tuple[TestClient, str],
) -> None:
    client, base = link
    client.post(f"{base}/step/1", data={"answer": "3"})
    page = client.post(f"{base}/submit")
    assert page.status_code == 200
    assert "Please answer at least 1 more question in this part." in page.text
    assert client.get(base).status_code == 200  # the link is still open


def test_a_step_outside_the_questionnaire_goes_back_to_the_start(
    link: tuple[TestClient, str],
) -> None:
    client, base = link
    assert client.get(f"{base}/step/99").headers["location"] == base
