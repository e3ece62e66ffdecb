"""One name per id on the patient page (issue 18, point 11): the checklist, the chips, the ranking
and the confirm-cause list say the same thing; several findings are recorded in one submit."""

import re
from datetime import date

from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.records import failing
from tests.support.web_sign_in import sign_in
from tests.support.world import World

from spinetrack.services.records.patient_record import open_record


def _clinician(world: World) -> TestClient:
    client = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(client, "clinician@north.example")
    return client


def _csrf(page: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    return token.group(1)


def test_ticked_findings_are_recorded_together_and_named_alike(world: World) -> None:
    client = _clinician(world)
    patient = failing(world, "ONE1")
    page = client.get(f"/patients/{patient}").text
    assert '<select id="finding"' not in page  # a grouped checklist, not a 63-entry dropdown
    assert (
        "<summary>History and symptoms</summary>" in page
        and "<summary>Laboratory</summary>" in page
    )
    assert "Radicular pain, same distribution as before" in page
    sent = client.post(
        f"/patients/{patient}/findings",
        data={
            "csrf_token": _csrf(page),
            "finding": ["same_distribution_radicular", "ct_no_bridging_bone"],
            "observed_on": date.today().isoformat(),
        },
    )
    assert sent.status_code == 303
    record = open_record(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
    )
    assert record is not None
    after = client.get(f"/patients/{patient}").text
    findings = after[after.index('<ul class="findings">') :]
    assert "Radicular pain, same distribution as before" in findings
    assert "CT no bridging bone" in findings
    assert "Same distribution radicular" not in after
    assert re.search(r"rules [0-9a-f]{8,}", after) is None  # no raw rules hash for clinicians


def test_a_cause_has_the_same_name_in_the_ranking_and_the_confirm_list(world: World) -> None:
    client = _clinician(world)
    patient = failing(world, "ONE2")
    page = client.get(f"/patients/{patient}").text
    client.post(
        f"/patients/{patient}/findings",
        data={
            "csrf_token": _csrf(page),
            "finding": ["ct_no_bridging_bone", "screw_lucency"],
            "observed_on": date.today().isoformat(),
        },
    )
    after = client.get(f"/patients/{patient}").text
    ranking = after[
        after.index('<ol class="causes"') : after.index("</ol>", after.index('<ol class="causes"'))
    ]
    assert "Pseudarthrosis (failed fusion)" in ranking
    assert '<option value="pseudarthrosis">Pseudarthrosis (failed fusion)</option>' in after
    assert "failed fusion</option>" not in after.replace("(failed fusion)</option>", "")


def test_no_finding_ticked_is_refused_in_the_form_s_words(world: World) -> None:
    client = _clinician(world)
    patient = failing(world, "ONE3")
    page = client.get(f"/patients/{patient}").text
    refused = client.post(
        f"/patients/{patient}/findings",
        data={"csrf_token": _csrf(page), "observed_on": date.today().isoformat()},
    )
    assert refused.status_code == 422
    assert "Findings: tick at least one finding." in refused.text
    assert 'aria-describedby="finding-error"' in refused.text
