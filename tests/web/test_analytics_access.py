"""Who may open the registry dashboard and a patient's letter: every role, own clinic, other
clinic and anonymous, as the authorization matrix's POLICY names them (analytics_page: admin,
clinician, analyst; patient_page: the clinical roles), plus what each page shows."""

import io
import re
import zipfile

import polars as pl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.security.test_authorization_matrix import POLICY, Fixture, _session_client, setup

from spinetrack.services.reporting.analytics_registry import PREPARED
from spinetrack.storage.tables import AuditEntry, Surgery

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
    url = url.replace("report.{fmt}", "report.html").replace("tables.{fmt}", "tables.csv")
    url = url.replace("{name}", "funnel")
    return f"{url}?clinic={target.clinic}"


@pytest.mark.parametrize(
    "path",
    [
        "/analytics",
        "/analytics/report.{fmt}",
        "/analytics/tables.{fmt}.zip",
        "/analytics/deidentified.zip",
        "/analytics/chart/{name}.svg",
        "/patients/{patient_id}/letter",
    ],
)
def test_pages_allow_and_deny_by_role_and_clinic(setup: Fixture, path: str) -> None:
    kind = POLICY[("GET", path)].kind
    anonymous = TestClient(setup.app, follow_redirects=False).get(_url(path, setup, True))
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    for role in ROLES:
        client, _ = _session_client(setup, role)
        own = client.get(_url(path, setup, True)).status_code
        other = client.get(_url(path, setup, False)).status_code
        if path == "/analytics/deidentified.zip" and role in ALLOWED[kind]:
            assert own == 422, (role, own)  # one patient: fewer than the threshold, refused
        else:
            assert own == (200 if role in ALLOWED[kind] else 403), (role, own)
        assert other == 404, (role, other)


def test_dashboard_shows_figures_charts_and_which_comparison(setup: Fixture) -> None:
    client, _ = _session_client(setup, "analyst")
    page = client.get("/analytics").text
    assert "Registry analytics" in page
    assert "Shown: unadjusted surgeon comparison" in page
    charts = re.findall(r'<img class="chart" src="([^"]+)"', page)
    assert len(charts) == 4 and all(c.startswith("/analytics/chart/") for c in charts)
    for chart in charts:
        image = client.get(chart.replace("&amp;", "&"))
        assert image.status_code == 200 and image.headers["content-type"] == "image/svg+xml"
        assert image.content.lstrip().startswith(b"<?xml")
    assert "Ingrid" not in page and "Dahl" not in page  # no patient name reaches an analyst
    adjusted = client.get("/analytics?comparison=adjusted&period=2024").text
    assert "case-mix adjusted" in adjusted and "operated in 2024" in adjusted
    assert client.get("/analytics?period=last").status_code == 422
    assert client.get("/analytics?comparison=maybe").status_code == 422


def test_letter_names_the_patient_and_links_its_stylesheet(setup: Fixture) -> None:
    client, _ = _session_client(setup, "clinician")
    page = client.get(f"/patients/{setup.own.patient}/letter").text
    assert "The referring doctor" in page and "Re: " in page
    assert re.search(r'<link rel="stylesheet" href="[^"]*/static/css/analytics.css">', page)
    assert "<style>" not in page  # the page's Content-Security-Policy allows no inline style


def test_downloads_of_the_selection_are_audited_files(setup: Fixture) -> None:
    client, _ = _session_client(setup, "analyst")
    page = client.get("/analytics?period=2024").text
    assert 'href="/analytics/report.pdf?period=2024"' in page
    pdf = client.get("/analytics/report.pdf?period=2024")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-disposition"].endswith('.pdf"')
    assert pdf.headers["cache-control"] == "no-store"
    html = client.get("/analytics/report.html").text
    assert "Registry report" in html and "<style>" in html and "&#34;" not in html
    for fmt in ("csv", "parquet"):
        answer = client.get(f"/analytics/tables.{fmt}.zip")
        names = zipfile.ZipFile(io.BytesIO(answer.content)).namelist()
        assert f"summary.{fmt}" in names and f"surgeons.{fmt}" in names
    summary = zipfile.ZipFile(io.BytesIO(client.get("/analytics/tables.csv.zip").content))
    table = pl.read_csv(summary.read("summary.csv"))
    # The one-patient clinic: every count is withheld in the download too.
    assert table["patients"].to_list() == [None] and table["incomplete"].to_list() == [True]
    refused = client.get("/analytics/deidentified.zip")
    assert refused.status_code == 422 and "at least 11 patients" in refused.text
    with setup.world.database.sessions() as uow:
        actions = uow.session.scalars(
            select(AuditEntry.action).where(AuditEntry.action.like("analytics.%"))
        ).all()
    assert {"analytics.report", "analytics.tables"} <= set(actions)


def test_an_in_place_edit_is_seen_at_once(setup: Fixture) -> None:
    # The old cache key (row counts and last ids) missed an edit that adds no row.
    client, _ = _session_client(setup, "analyst")
    before = client.get("/analytics").text
    with setup.world.database.sessions() as uow:
        surgery = uow.session.scalars(
            select(Surgery).where(Surgery.clinic_id == setup.own.clinic)
        ).first()
        assert surgery is not None
        old = surgery.region
        surgery.region = "thoracic" if old != "thoracic" else "cervical"
        new = surgery.region
        uow.commit()
    after = client.get("/analytics").text
    assert f'<option value="{old}"' in before and f'<option value="{new}"' not in before
    assert f'<option value="{new}"' in after and f'<option value="{old}"' not in after
