"""A form page checks the visitor's role before it reads the form (a refused visitor is told "not
allowed", not shown form errors). Those early refusals are writes that did not happen, so each must
leave exactly one audit entry, "denied", under the service's action name, and change no data."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.support.apps import shared_app
from tests.support.hostile import data_counts
from tests.support.records import failing
from tests.support.web_sign_in import sign_in
from tests.support.world import World

from spinetrack.storage.tables import AuditEntry


def _signed_in(world: World, email: str) -> tuple[TestClient, str]:
    client = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(client, email)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/patients/new").text)
    if token is None:  # an analyst is refused the blank form; the home page carries the token
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text)
    assert token
    return client, token.group(1)


def _entries_after(world: World, seq: int) -> list[tuple[str, str, str, int | None]]:
    with world.database.sessions.sessionmaker() as session:
        rows = session.execute(
            select(AuditEntry.actor, AuditEntry.action, AuditEntry.outcome, AuditEntry.patient_id)
            .where(AuditEntry.seq > seq)
            .order_by(AuditEntry.seq)
        ).all()
    return [(r.actor, r.action, r.outcome, r.patient_id) for r in rows]


def _last_seq(world: World) -> int:
    with world.database.sessions.sessionmaker() as session:
        return max(session.scalars(select(AuditEntry.seq)).all(), default=0)


FORMS = [
    ("findings", {"finding": "smoker", "observed_on": "2026-01-05"}, "finding.create"),
    ("assessments", {"report_text": "MRI: recurrent disc herniation at L4-L5."}, "triage.assess"),
    ("assessments/1/conclusion", {"plan_note": "Review in clinic."}, "triage.conclude"),
    ("report-findings/reject", {"reading": "1"}, "report_finding.reject"),
]


@pytest.mark.parametrize(("path", "form", "action"), FORMS, ids=[f[2] for f in FORMS])
def test_a_role_refused_before_the_form_is_read_is_audited_once_and_changes_nothing(
    world: World, path: str, form: dict[str, str], action: str
) -> None:
    patient = failing(world, "RF1")
    staff, token = _signed_in(world, "staff@north.example")
    before, seq = data_counts(world.database), _last_seq(world)
    refused = staff.post(f"/patients/{patient}/{path}", data={"csrf_token": token, **form})
    assert refused.status_code == 403, refused.text
    assert "Not allowed" in refused.text
    assert data_counts(world.database) == before
    assert _entries_after(world, seq) == [("staff@north.example", action, "denied", patient)]


def test_an_analyst_refused_a_new_patient_is_audited_and_nothing_is_registered(
    world: World,
) -> None:
    analyst, token = _signed_in(world, "analyst@north.example")
    before, seq = data_counts(world.database), _last_seq(world)
    refused = analyst.post(
        f"/patients/new?clinic={world.clinic}",
        data={"csrf_token": token, "mrn": "RF-NEW", "given_name": "Ana", "family_name": "Lee"},
    )
    assert refused.status_code == 403, refused.text
    assert data_counts(world.database) == before
    assert _entries_after(world, seq) == [
        ("analyst@north.example", "patient.create", "denied", None)
    ]
