"""The patient's own results page: reached only through the link they answered, in plain words,
against their own starting point, with the worsening box and the urgent-care advice; audited."""

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.links import operated_link
from tests.support.world import World

from spinetrack.services.access.accounts import set_clinic_phone
from spinetrack.services.audit.audit_trail import patient_access
from spinetrack.services.records.record_response import NewResponse, record_response

ODI_ITEMS = [f"odi_{i}" for i in range(1, 11)]


def _odi(world: World, patient_id: int, on: date, per_item: int) -> None:
    record_response(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient_id,
        response=NewResponse(
            instrument="odi",
            completed_at=datetime(on.year, on.month, on.day, 9, tzinfo=UTC),
            answers=dict.fromkeys(ODI_ITEMS, per_item),
        ),
    )


def _answer(client: TestClient, token: str) -> None:
    assert client.post(f"/q/{token}/step/1", data={"answer": "4"}).status_code == 303
    assert client.post(f"/q/{token}/submit").headers["location"] == f"/q/{token}/thanks"


@pytest.fixture
def client(world: World) -> TestClient:
    return TestClient(shared_app(world.database), follow_redirects=False)


def test_results_open_only_after_the_link_is_answered(world: World, client: TestClient) -> None:
    _, token, _ = operated_link(world, 120)
    before = client.get(f"/q/{token}/results")
    assert before.status_code == 303 and before.headers["location"] == f"/q/{token}"
    _answer(client, token)
    thanks = client.get(f"/q/{token}/thanks").text
    assert f"/q/{token}/results" in thanks
    page = client.get(f"/q/{token}/results")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert "Your results" in page.text


def test_a_forged_or_withdrawn_token_shows_the_same_kind_page(
    world: World, client: TestClient
) -> None:
    _, token, _ = operated_link(world, 120)
    _answer(client, token)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    page = client.get(f"/q/{forged}/results", follow_redirects=True)
    assert page.status_code == 404 and "no longer works" in page.text


def test_scores_are_told_against_the_starting_point_and_worsening_is_flagged(
    world: World, client: TestClient
) -> None:
    patient_id, token, surgery_day = operated_link(world, 400)
    _odi(world, patient_id, surgery_day - timedelta(days=10), 3)  # 60 %
    _odi(world, patient_id, surgery_day + timedelta(days=91), 1)  # 20 %
    _odi(world, patient_id, surgery_day + timedelta(days=365), 3)  # 60 % again
    _answer(client, token)
    page = client.get(f"/q/{token}/results").text
    assert "Before your operation" in page
    assert "3 months after your operation" in page
    assert "40 points better" in page  # 60 -> 20
    assert "Your latest answers show you are worse" in page  # 20 -> 60 at one year
    assert "Call an ambulance or go to an emergency department now" in page
    assert "By one year, most people" in page  # the usual course at the latest time point
    assert "22" in page  # the acceptable line of the ODI


def test_a_patient_who_is_improving_sees_no_worsening_box(world: World, client: TestClient) -> None:
    patient_id, token, surgery_day = operated_link(world, 200)
    _odi(world, patient_id, surgery_day - timedelta(days=3), 3)
    _odi(world, patient_id, surgery_day + timedelta(days=90), 1)
    _answer(client, token)
    page = client.get(f"/q/{token}/results").text
    assert "40 points better" in page
    assert "show you are worse" not in page


def test_every_opening_is_audited_against_the_patient(world: World, client: TestClient) -> None:
    patient_id, token, _ = operated_link(world, 120)
    _answer(client, token)
    client.get(f"/q/{token}/results")
    trail = patient_access(
        sessions=world.database.sessions, actor=world.admin, patient_id=patient_id
    )
    assert any(r.action == "results.open" and r.outcome == "ok" for r in trail)


def test_the_worsening_box_gives_the_clinic_phone_when_it_is_set(
    world: World, client: TestClient
) -> None:
    set_clinic_phone(
        sessions=world.database.sessions,
        actor=world.admin,
        clinic_id=world.clinic,
        phone="+44 1632 960000",
    )
    patient_id, token, surgery_day = operated_link(world, 200)
    _odi(world, patient_id, surgery_day - timedelta(days=3), 1)  # 20 %
    _odi(world, patient_id, surgery_day + timedelta(days=90), 3)  # 60 %: worse
    _answer(client, token)
    page = client.get(f"/q/{token}/results").text
    assert "Call North Spine on +44 1632 960000." in page
