"""Who may open the registry dashboard and a patient's letter: every role, own clinic, other
clinic and anonymous, as the authorization matrix's POLICY names them (analytics_page: admin,
clinician, analyst; patient_page: the clinical roles), plus what each page shows."""

import re

import pytest
from fastapi.testclient import TestClient
from tests.security.test_authorization_matrix import POLICY, Fixture, _session_client, setup

from spinetrack.services.analytics_registry import PREPARED

__all__ = ["setup"]  # the matrix's fixture: a patient with a surgery and scores in each clinic

ROLES = ("admin", "clinician", "staff", "analyst")
ALLOWED = {
    "analytics_page": {"admin", "clinician", "analyst"},
    "patient_page": {"admin", "clinician", "staff"},
}


@pytest.fixture(autouse=True)
def forget_prepared() -> None:
    PREPARED.clear()


def _url(path: str, f: Fixture, own: bool) -> str:
    target = f.own if own else f.other
    url = path.replace("{patient_id}", str(target.patient))
    return f"{url}?clinic={target.clinic}"


@pytest.mark.parametrize("path", ["/analytics", "/patients/{patient_id}/letter"])
def test_pages_allow_and_deny_by_role_and_clinic(setup: Fixture, path: str) -> None:
    kind = POLICY[("GET", path)].kind
    anonymous = TestClient(setup.app, follow_redirects=False).get(_url(path, setup, True))
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    for role in ROLES:
        client, _ = _session_client(setup.app, f"{role}@north.example")
        own = client.get(_url(path, setup, True)).status_code
        other = client.get(_url(path, setup, False)).status_code
        assert own == (200 if role in ALLOWED[kind] else 403), (role, own)
        assert other == 404, (role, other)


def test_dashboard_shows_figures_charts_and_which_comparison(setup: Fixture) -> None:
    client, _ = _session_client(setup.app, "analyst@north.example")
    page = client.get("/analytics").text
    assert "Registry analytics" in page
    assert "Shown: unadjusted surgeon comparison" in page
    assert page.count('src="data:image/svg+xml;base64,') == 4
    assert "Ingrid" not in page and "Dahl" not in page  # no patient name reaches an analyst
    adjusted = client.get("/analytics?comparison=adjusted&period=2024").text
    assert "case-mix adjusted" in adjusted and "operated in 2024" in adjusted
    assert client.get("/analytics?period=last").status_code == 422
    assert client.get("/analytics?comparison=maybe").status_code == 422


def test_letter_names_the_patient_and_links_its_stylesheet(setup: Fixture) -> None:
    client, _ = _session_client(setup.app, "clinician@north.example")
    page = client.get(f"/patients/{setup.own.patient}/letter").text
    assert "To the referring doctor" in page and "Re: " in page
    assert re.search(r'<link rel="stylesheet" href="[^"]*/static/css/analytics.css">', page)
    assert "<style>" not in page  # the page's Content-Security-Policy allows no inline style
