"""The patient page and the data-entry forms: what they show, and what a refused form keeps."""

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.records import failing, operated
from tests.support.web_sign_in import sign_in
from tests.support.world import World

from spinetrack.services.records.patient_record import open_record


@pytest.fixture
def clinician(world: World) -> TestClient:
    client = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(client, "clinician@north.example")
    return client


def csrf(page: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    return token.group(1)


def test_the_page_explains_the_status_and_draws_the_chart_with_its_bands(
    world: World, clinician: TestClient
) -> None:
    patient = failing(world, "PP1")
    page = clinician.get(f"/patients/{patient}")
    assert page.status_code == 200
    assert "Current status: Failing" in page.text
    assert "no follow-up reached the MCID" in page.text and "PASS (22)" in page.text
    assert 'class="trajectory"' in page.text
    assert 'class="band-pass"' in page.text and 'class="mcid"' in page.text
    assert "Scores as a table" in page.text and "Baseline" in page.text
    assert f'href="/patients/{patient}/letter"' in page.text
    assert "Follow-up schedule" in page.text and "Answered" in page.text


def test_recording_a_finding_reassesses_and_shows_the_red_flag(
    world: World, clinician: TestClient
) -> None:
    patient = failing(world, "PP2")
    page = clinician.get(f"/patients/{patient}")
    # Becoming failing assessed the patient at once; no red flag yet.
    assert "Not assessed yet" not in page.text and "spinetrack (automatic" in page.text
    assert 'class="red-flag-banner"' not in page.text
    sent = clinician.post(
        f"/patients/{patient}/findings",
        data={
            "csrf_token": csrf(page.text),
            "finding": "fever",
            "observed_on": date.today().isoformat(),
        },
    )
    assert sent.status_code == 303 and "done=finding" in sent.headers["location"]
    after = clinician.get(sent.headers["location"])
    assert 'class="red-flag-banner"' in after.text and "Infection" in after.text
    assert "Likely causes, ranked" in after.text and "Suggested work-up" in after.text


def test_a_refused_finding_keeps_what_was_typed(world: World, clinician: TestClient) -> None:
    patient = failing(world, "PP3")
    token = csrf(clinician.get(f"/patients/{patient}").text)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    refused = clinician.post(
        f"/patients/{patient}/findings",
        data={
            "csrf_token": token,
            "finding": "fever",
            "observed_on": tomorrow,
            "note": "seen at the GP",
        },
    )
    assert refused.status_code == 422
    assert "cannot be observed in the future" in refused.text
    assert f'value="{tomorrow}"' in refused.text and "seen at the GP" in refused.text
    assert 'name="finding" value="fever" checked>' in refused.text


def test_a_confirmed_cause_and_plan_show_on_the_page(world: World, clinician: TestClient) -> None:
    patient = failing(world, "PP4")
    token = csrf(clinician.get(f"/patients/{patient}").text)
    clinician.post(f"/patients/{patient}/assessments", data={"csrf_token": token})
    page = clinician.get(f"/patients/{patient}")
    action = re.search(r'action="(/patients/\d+/assessments/\d+/conclusion)"', page.text)
    assert action
    empty = clinician.post(action.group(1), data={"csrf_token": token})
    assert empty.status_code == 422 and "give the confirmed cause" in empty.text
    done = clinician.post(
        action.group(1),
        data={"csrf_token": token, "confirmed_cause": "instability", "plan_note": "brace"},
    )
    assert done.status_code == 303
    assert "Confirmed by" in clinician.get(done.headers["location"]).text


def test_pasted_report_text_is_read_into_the_assessment(
    world: World, clinician: TestClient
) -> None:
    patient = failing(world, "PP5")
    token = csrf(clinician.get(f"/patients/{patient}").text)
    report = "CT lumbar spine: broken rod at L5 with loosening around the S1 screws."
    sent = clinician.post(
        f"/patients/{patient}/assessments", data={"csrf_token": token, "report_text": report}
    )
    assert sent.status_code == 303
    page = clinician.get(sent.headers["location"])
    assert "Read from the reports" in page.text


def test_a_hedged_finding_from_report_text_is_shown_as_uncertain(
    world: World, clinician: TestClient
) -> None:
    patient = failing(world, "PP5U")
    token = csrf(clinician.get(f"/patients/{patient}").text)
    report = "CT lumbar spine: solid fusion. Possible lucency around the S1 screws."
    sent = clinician.post(
        f"/patients/{patient}/assessments", data={"csrf_token": token, "report_text": report}
    )
    assert sent.status_code == 303
    page = clinician.get(sent.headers["location"]).text
    assert "uncertain: the report only suggests it" in page
    assert "lucency around the S1 screws" in page


def test_a_questionnaire_is_scored_on_save_and_bad_answers_are_refused(
    world: World, clinician: TestClient
) -> None:
    patient = operated(world, "PP6", 50)
    form = clinician.get(f"/patients/{patient}/responses/new?instrument=odi")
    assert form.status_code == 200 and 'name="answers.odi_1"' in form.text
    token = csrf(form.text)
    today = date.today().isoformat()
    answers = {f"answers.odi_{i}": "2" for i in range(1, 11)}
    bad = clinician.post(
        f"/patients/{patient}/responses/new",
        data={"csrf_token": token, "instrument": "odi", "completed_on": today}
        | answers
        | {"answers.odi_3": "9"},
    )
    assert bad.status_code == 422 and "answers.odi_3" in bad.text
    assert '<option value="2" selected>' in bad.text
    none = clinician.post(
        f"/patients/{patient}/responses/new",
        data={"csrf_token": token, "instrument": "odi", "completed_on": today},
    )
    assert none.status_code == 422 and "answer at least one item" in none.text
    saved = clinician.post(
        f"/patients/{patient}/responses/new",
        data={"csrf_token": token, "instrument": "odi", "completed_on": today} | answers,
    )
    assert saved.status_code == 303 and "done=response" in saved.headers["location"]
    page = clinician.get(saved.headers["location"])
    assert "Questionnaire saved:" in page.text and "<strong>40.0 %</strong>" in page.text


def test_registering_a_patient_and_a_surgery_keep_input_on_errors(
    world: World, clinician: TestClient
) -> None:
    form = clinician.get("/patients/new")
    token = csrf(form.text)
    future = (date.today() + timedelta(days=3)).isoformat()
    typed = {"mrn": "NEW-1", "given_name": "Ann", "family_name": "", "birth_date": future}
    refused = clinician.post("/patients/new", data={"csrf_token": token, **typed})
    assert refused.status_code == 422
    assert 'value="NEW-1"' in refused.text and 'id="error-summary"' in refused.text
    assert "birth_date" in refused.text and "cannot be in the future" in refused.text
    typed |= {"family_name": "Lee", "birth_date": "1960-02-03", "sex": "female"}
    created = clinician.post("/patients/new", data={"csrf_token": token, **typed})
    assert created.status_code == 303
    patient = int(created.headers["location"].split("/")[2].split("?")[0])
    surgery = {"csrf_token": token, "performed_on": "2025-01-10", "region": "lumbar"}
    bad = clinician.post(
        f"/patients/{patient}/surgeries/new",
        data=surgery | {"procedure": "fusion", "approach": "posterior", "levels": "L4-L9"},
    )
    assert bad.status_code == 422 and 'value="L4-L9"' in bad.text
    good = clinician.post(
        f"/patients/{patient}/surgeries/new",
        data=surgery | {"procedure": "fusion", "approach": "posterior", "levels": "L4-L5"},
    )
    assert good.status_code == 303
    record = open_record(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
    )
    assert [s.levels for s in record.surgeries] == [["L4-L5"]]
    missing = clinician.post(
        f"/patients/{patient}/complications/new",
        data={"csrf_token": token, "surgery_id": str(record.surgeries[0].id)},
    )
    assert missing.status_code == 422 and "choose one" in missing.text
    recorded = clinician.post(
        f"/patients/{patient}/complications/new",
        data={
            "csrf_token": token,
            "surgery_id": str(record.surgeries[0].id),
            "kind": "dural_tear",
            "reported_by": "surgeon",
            "occurred_on": "2025-01-10",
        },
    )
    assert recorded.status_code == 303
    assert "Dural tear" in clinician.get(f"/patients/{patient}").text


def test_another_clinics_patient_is_not_found(world: World, clinician: TestClient) -> None:
    patient = failing(world, "PP7")
    outsider = TestClient(clinician.app, follow_redirects=False)
    sign_in(outsider, "clinician@south.example")
    assert outsider.get(f"/patients/{patient}").status_code == 404
