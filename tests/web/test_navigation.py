"""The header offers each role only the pages it may open, the consultation inbox to those who
work it, and the public consultation request to everyone not signed in."""

import re

import pytest
from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.web_sign_in import sign_in
from tests.support.world import World

from spinetrack.services.reporting.analytics_registry import DASHBOARD_ROLES
from spinetrack.web.navigation import ANALYTICS_ROLES


def _header_links(page: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', page, re.S)
    assert nav
    return re.findall(r'<a href="([^"]+)"', nav.group(1))


def test_the_analytics_link_follows_the_dashboard_s_roles() -> None:
    assert ANALYTICS_ROLES == DASHBOARD_ROLES


@pytest.mark.parametrize("role", ["admin", "clinician", "staff", "analyst"])
def test_every_header_link_opens_for_the_role(world: World, role: str) -> None:
    client = TestClient(shared_app(world.database), follow_redirects=False)
    landing = sign_in(client, f"{role}@north.example")
    links = _header_links(client.get(landing, follow_redirects=True).text)
    assert links
    for href in links:
        assert client.get(href).status_code == 200, (role, href)


def test_the_roles_see_the_links_of_their_work(world: World) -> None:
    seen = {}
    for role in ("clinician", "staff", "analyst"):
        client = TestClient(shared_app(world.database), follow_redirects=False)
        page = client.get(sign_in(client, f"{role}@north.example"), follow_redirects=True)
        seen[role] = set(_header_links(page.text))
    assert {"/worklist", "/consultations", "/chase"} <= seen["clinician"]
    assert {"/worklist", "/consultations", "/chase"} <= seen["staff"]
    assert "/analytics" in seen["clinician"] and "/analytics" not in seen["staff"]
    assert seen["analyst"] & {"/worklist", "/consultations", "/chase"} == set()


def test_the_public_pages_link_the_consultation_request(world: World) -> None:
    client = TestClient(shared_app(world.database), follow_redirects=False)
    for path in ("/", "/library", "/login"):
        assert "/consult" in _header_links(client.get(path).text), path
    assert client.get("/consult").status_code == 200
