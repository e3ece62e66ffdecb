"""Floods through the doors anyone can use: the consultation form and patient links are limited per
address (counted in the database, so every server process sees the same count), and however many
requests get through, an urgent request stays in sight on the clinic's inbox."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from tests.support.apps import shared_app
from tests.support.consultations import BACK, request
from tests.support.links import issued_link
from tests.support.web_sign_in import sign_in
from tests.support.world import World

from spinetrack.config import get_settings
from spinetrack.services.access.errors import TooManyRequests
from spinetrack.services.operations.database import open_database
from spinetrack.services.patient_side.consultations import inbox_page, submit_consultation
from spinetrack.storage.tables import ConsultationRequest

URGENT = dict.fromkeys(BACK, False) | {"saddle_numbness": True}
NO = {f"flag_{q}": "no" for q in BACK}


def send_consultation(world: World, remote: str, **changes: Any) -> int:
    return submit_consultation(
        sessions=world.database.sessions,
        clinic_slug="north",
        request=request(**changes),
        remote=remote,
    ).id


def _stored(world: World) -> int:
    with world.database.sessions.sessionmaker() as session:
        return int(session.scalar(select(func.count()).select_from(ConsultationRequest)) or 0)


def test_one_address_is_held_to_its_limit_and_the_refusals_store_nothing(world: World) -> None:
    limit = get_settings().consultations_per_hour
    refused = 0
    for i in range(limit + 15):
        try:
            send_consultation(world, "203.0.113.9", screening=URGENT, phone=f"+44 1632 96{i:04d}")
        except TooManyRequests as exc:
            refused += 1
            assert 0 < exc.retry_after <= 3600
    assert (_stored(world), refused) == (limit, 15)
    send_consultation(world, "198.51.100.7")  # another address is not held up
    assert _stored(world) == limit + 1


def test_the_count_is_shared_by_every_server_process(world: World) -> None:
    """A second engine on the same database stands for a second worker process."""
    limit = get_settings().consultations_per_hour
    url = world.database.engine.url.render_as_string(hide_password=False)
    other = open_database(url)
    try:
        for i in range(limit):
            sessions = world.database.sessions if i % 2 else other.sessions
            submit_consultation(
                sessions=sessions, clinic_slug="north", request=request(), remote="203.0.113.9"
            )
        with pytest.raises(TooManyRequests):
            submit_consultation(
                sessions=other.sessions,
                clinic_slug="north",
                request=request(),
                remote="203.0.113.9",
            )
    finally:
        other.close()


def test_the_form_answers_a_flood_with_429_and_a_page(world: World) -> None:
    client = TestClient(shared_app(world.database), follow_redirects=False)
    page = client.get("/consult/north")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    form = {
        "csrf_token": csrf.group(1),
        "region": "back",
        **NO,
        "symptoms": "Pain",
        "given_name": "A",
        "family_name": "B",
        "phone": "+44 1632 960000",
        "contact_preference": "phone",
        "consent": "yes",
    }
    answers = [client.post("/consult/north", data=form) for _ in range(12)]
    assert [a.status_code for a in answers].count(200) == get_settings().consultations_per_hour
    assert answers[-1].status_code == 429
    assert "try again" in answers[-1].text and int(answers[-1].headers["retry-after"]) > 0


def test_an_urgent_request_stays_in_sight_under_a_flood_from_many_addresses(
    world: World,
) -> None:
    genuine_at = datetime.now(UTC) - timedelta(minutes=30)
    genuine = send_consultation(
        world, "198.51.100.7", screening=URGENT, given_name="Genuine", phone="0123456"
    )
    with world.database.sessions.sessionmaker.begin() as session:
        session.execute(
            update(ConsultationRequest)
            .where(ConsultationRequest.id == genuine)
            .values(received_at=genuine_at)
        )
    for i in range(205):  # a botnet: a new address and new contact details every time
        send_consultation(
            world, f"10.0.{i // 250}.{i % 250}", screening=URGENT, phone=f"+1 555 01{i:04d}"
        )
    found = inbox_page(sessions=world.database.sessions, actor=world.staff, clinic_id=world.clinic)
    assert len(found.urgent) == 206
    assert found.urgent[0].request.id == genuine  # waiting longest, so first
    client = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(client, "staff@north.example")
    html = client.get("/consultations").text
    assert html.count("Genuine") >= 1 and html.count("urgent-row") == 206


def test_a_burst_from_one_address_and_repeats_of_one_person_are_folded(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "consultations_per_hour", 1000)
    for i in range(40):
        send_consultation(world, "203.0.113.9", screening=URGENT, phone=f"+44 1632 96{i:04d}")
    for _ in range(3):
        send_consultation(
            world, f"198.51.100.{_}", email="same@example.org", contact_preference="email"
        )
    lonely = send_consultation(world, "192.0.2.1", phone="+44 1632 999999")
    found = inbox_page(sessions=world.database.sessions, actor=world.staff, clinic_id=world.clinic)
    assert [len(row.folded) for row in found.urgent] == [39]
    others = sorted((len(row.folded), row.request.id) for row in found.others)
    assert others[0] == (0, lonely) and others[1][0] == 2 and len(others) == 2


def test_the_rest_of_the_inbox_is_paged(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "consultations_per_hour", 1000)
    for i in range(60):
        send_consultation(world, f"10.1.0.{i}", phone=f"+44 1632 95{i:04d}")
    first = inbox_page(sessions=world.database.sessions, actor=world.staff, clinic_id=world.clinic)
    second = inbox_page(
        sessions=world.database.sessions, actor=world.staff, clinic_id=world.clinic, page=2
    )
    assert (first.pages, first.others_total, len(first.others), len(second.others)) == (
        2,
        60,
        50,
        10,
    )
    seen = {r.request.id for r in first.others} | {r.request.id for r in second.others}
    assert len(seen) == 60
    client = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(client, "staff@north.example")
    assert "Page 2 of 2" in client.get("/consultations?page=2").text


def test_link_pages_are_limited_per_address(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "link_requests_per_minute", 8)
    _, token = issued_link(world, ["nrs_back"])
    client = TestClient(shared_app(world.database), follow_redirects=False)
    answers = [client.get(f"/q/{token}").status_code for _ in range(8)]
    assert answers == [200] * 8
    refused = client.get(f"/q/{token}/step/1")
    assert refused.status_code == 429 and refused.headers["cache-control"] == "no-store"
    api = client.get(f"/api/v1/links/{token}")
    assert api.status_code == 429 and api.json()["detail"].startswith("too many requests")
