"""The patient page shows the record triage reads (issue 18): a stored report and what was read
from it under "Recorded findings" with its source and a reject button, one "Re-assess" button, the
losing-ground signal with its rule, tests already known, care held back behind a red flag, and the
surgery form refuses a future date unless the operation is marked planned."""

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.records import TODAY, answer, failing, new_patient, operated
from tests.support.web_sign_in import sign_in
from tests.support.world import World

from spinetrack.services.access.actor import system_actor
from spinetrack.services.audit.audit_trail import patient_access
from spinetrack.services.records.enrol_patient import register_patient

CT = (
    "CT lumbar spine: No bridging bone across the L4-L5 fusion. Lucency of more than 1 mm "
    "around the left L5 pedicle screw, in keeping with loosening."
)


@pytest.fixture
def clinician(world: World) -> TestClient:
    client = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(client, "clinician@north.example")
    return client


def csrf(page: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    return token.group(1)


def _paste(client: TestClient, patient: int, token: str) -> str:
    sent = client.post(
        f"/patients/{patient}/assessments",
        data={
            "csrf_token": token,
            "report_text": CT,
            "report_kind": "ct",
            "report_date": (TODAY - timedelta(days=2)).isoformat(),
            "report_title": "CT L-spine after fusion",
        },
    )
    assert sent.status_code == 303, sent.text
    return client.get(sent.headers["location"]).text


def _recorded_findings(page: str) -> str:
    return page.split('id="findings-title"')[1]


def test_report_findings_are_recorded_with_their_source_and_survive_a_new_finding(
    world: World, clinician: TestClient
) -> None:
    patient = failing(world, "WR1")
    token = csrf(clinician.get(f"/patients/{patient}").text)
    page = _paste(clinician, patient, token)
    recorded = _recorded_findings(page)
    assert "No bridging bone" in recorded and "CT L-spine after fusion" in recorded
    assert "read from CT" in recorded and "Reject as misread" in recorded
    sent = clinician.post(
        f"/patients/{patient}/findings",
        data={"csrf_token": token, "finding": "smoker", "observed_on": TODAY.isoformat()},
    )
    assert sent.status_code == 303
    after = clinician.get(sent.headers["location"]).text
    assert "Read from the reports" in after
    causes = after.split("Likely causes, ranked")[1].split("Suggested work-up")[0]
    assert "Failed fusion" in causes or "Pseudarthrosis" in causes
    assert "No bridging bone" in _recorded_findings(after)


def test_a_clinician_rejects_a_misread_finding_from_the_page(
    world: World, clinician: TestClient
) -> None:
    patient = failing(world, "WR2")
    token = csrf(clinician.get(f"/patients/{patient}").text)
    page = _paste(clinician, patient, token)
    readings = re.findall(r'name="reading" value="(\d+)"', page)
    assert len(readings) == 2
    sent = clinician.post(
        f"/patients/{patient}/report-findings/reject",
        data={"csrf_token": token, "reading": readings[0]},
    )
    assert sent.status_code == 303 and "done=rejected" in sent.headers["location"]
    after = clinician.get(sent.headers["location"]).text
    assert "Rejected" in _recorded_findings(after)
    assert len(re.findall(r'name="reading" value="(\d+)"', after)) == 1
    refused = clinician.post(
        f"/patients/{patient}/report-findings/reject", data={"csrf_token": token, "reading": ""}
    )
    assert refused.status_code == 422
    assert "Finding read from a report: choose a finding from the list" in refused.text


def test_the_re_assess_button_assesses_from_the_whole_record(
    world: World, clinician: TestClient
) -> None:
    patient = operated(world, "WR3", 120)
    page = clinician.get(f"/patients/{patient}").text
    assert "Not assessed yet" in page and "Assess from the record" in page
    sent = clinician.post(f"/patients/{patient}/reassess", data={"csrf_token": csrf(page)})
    assert sent.status_code == 303 and "done=reassessed" in sent.headers["location"]
    after = clinician.get(sent.headers["location"]).text
    assert "Not assessed yet" not in after
    assert "Assessed again from the whole record." in after and "Re-assess from the record" in after


def test_staff_pressing_re_assess_are_refused_and_the_refusal_is_audited(world: World) -> None:
    """The button has no form to check first, so the service refuses the role, inside its audited
    transaction: the refusal is on the patient's access trail and nothing is assessed."""
    patient = operated(world, "WR5", 120)
    staff = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(staff, "staff@north.example")
    page = staff.get(f"/patients/{patient}").text
    refused = staff.post(f"/patients/{patient}/reassess", data={"csrf_token": csrf(page)})
    assert refused.status_code == 403
    seen = patient_access(
        sessions=world.database.sessions, actor=system_actor("test"), patient_id=patient
    )
    assert ("staff@north.example", "triage.assess", "denied") in {
        (r.actor, r.action, r.outcome) for r in seen
    }
    assert "Not assessed yet" in staff.get(f"/patients/{patient}").text


def test_losing_ground_shows_on_the_page_with_its_rule(world: World, clinician: TestClient) -> None:
    patient = operated(world, "WR4", 740)
    day = TODAY - timedelta(days=740)
    answer(world, patient, 3, day - timedelta(days=5))  # ODI 60
    answer(world, patient, 1, day + timedelta(days=182))  # 20 at 6 months
    answer(world, patient, 2, day + timedelta(days=730))  # 40 at 24 months
    page = clinician.get(f"/patients/{patient}").text
    assert "Losing ground" in page
    note = page.split('id="losing-ground"')[1].split("</div>")[0]
    assert "20 points worse than its best" in note and "the MCID is 10" in note
    assert "Ostelo" in note


def test_an_mri_finding_on_record_shows_mri_as_already_known(
    world: World, clinician: TestClient
) -> None:
    patient = operated(world, "WR5", 200, procedure="laminectomy", instrumented=False, levels=[])
    token = csrf(clinician.get(f"/patients/{patient}").text)
    sent = clinician.post(
        f"/patients/{patient}/findings",
        data={
            "csrf_token": token,
            "finding": ["neurogenic_claudication", "mri_disc_material", "fever"],
            "observed_on": TODAY.isoformat(),
        },
    )
    page = clinician.get(sent.headers["location"]).text
    known = page.split("Already known")[1].split("</ul>")[0]
    assert "not suggested again" in known
    held = page.split("Held back until the red flag is dealt with")[1].split("</ul>")[0]
    assert "Physical therapy" in held or "physical" in held.lower()


def test_the_surgery_form_refuses_a_future_date_unless_planned(
    world: World, clinician: TestClient
) -> None:
    patient = register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient("WR6"),
    ).id
    token = csrf(clinician.get(f"/patients/{patient}/surgeries/new").text)
    future = (date.today() + timedelta(days=150)).isoformat()
    surgery = {
        "csrf_token": token,
        "performed_on": future,
        "region": "lumbar",
        "procedure": "fusion",
        "approach": "posterior",
        "levels": "L4-L5",
    }
    refused = clinician.post(f"/patients/{patient}/surgeries/new", data=surgery)
    assert refused.status_code == 422
    assert "Date of surgery: this date is in the future; mark the operation as planned" in (
        refused.text
    )
    planned = clinician.post(
        f"/patients/{patient}/surgeries/new", data=surgery | {"planned": "yes"}
    )
    assert planned.status_code == 303
    page = clinician.get(f"/patients/{patient}").text
    assert "Planned" in page
    assert "Record as performed" in page


def test_a_planned_operation_is_recorded_as_performed_from_the_timeline(
    world: World, clinician: TestClient
) -> None:
    patient = register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient("WR8"),
    ).id
    token = csrf(clinician.get(f"/patients/{patient}/surgeries/new").text)
    booked = clinician.post(
        f"/patients/{patient}/surgeries/new",
        data={
            "csrf_token": token,
            "performed_on": (date.today() + timedelta(days=3)).isoformat(),
            "region": "lumbar",
            "procedure": "fusion",
            "approach": "posterior",
            "levels": "L4-L5",
            "planned": "yes",
        },
    )
    assert booked.status_code == 303
    page = clinician.get(f"/patients/{patient}").text
    action = re.search(r'action="(/patients/\d+/surgeries/\d+/performed)"', page)
    assert action
    late = clinician.post(
        action.group(1),
        data={"csrf_token": token, "performed_on": (date.today() + timedelta(days=1)).isoformat()},
    )
    assert late.status_code == 422
    assert "Date of surgery: an operation cannot be performed after today" in late.text
    assert 'aria-invalid="true"' in late.text.split('class="inline-form performed-form"')[1]
    for typed, said in (("2026-02-30", "enter a date such as 2026-03-31"), ("", "please fill")):
        bad = clinician.post(action.group(1), data={"csrf_token": token, "performed_on": typed})
        assert bad.status_code == 422
        assert f"Date of surgery: {said}" in bad.text
        assert 'aria-invalid="true"' in bad.text.split('class="inline-form performed-form"')[1]
    assert "Record as performed" in clinician.get(f"/patients/{patient}").text  # still planned
    done = clinician.post(
        action.group(1), data={"csrf_token": token, "performed_on": date.today().isoformat()}
    )
    assert done.status_code == 303
    after = clinician.get(done.headers["location"]).text
    assert "Operation recorded as performed" in after
    assert "Record as performed" not in after


def test_the_referring_doctor_given_at_registration_heads_the_letter(
    world: World, clinician: TestClient
) -> None:
    token = csrf(clinician.get("/patients/new").text)
    created = clinician.post(
        "/patients/new",
        data={
            "csrf_token": token,
            "mrn": "WR7",
            "given_name": "Ann",
            "family_name": "Lee",
            "birth_date": "1960-02-03",
            "sex": "female",
            "referrer_name": "Dr Ada Jones",
            "referrer_practice": "Riverside Surgery",
            "referrer_address": "1 River Road",
        },
    )
    assert created.status_code == 303
    patient = int(created.headers["location"].split("/")[2].split("?")[0])
    letter = clinician.get(f"/patients/{patient}/letter").text
    assert "Dr Ada Jones<br>Riverside Surgery<br>1 River Road" in letter
    assert "Yours sincerely" in letter and "Clinician, North Spine" in letter


def test_a_questionnaire_with_too_few_answers_warns_and_saves_only_when_confirmed(
    world: World, clinician: TestClient
) -> None:
    """Issue 18, point 5: 3 of 10 ODI answers; the ODI needs 8 (at most 2 missing)."""
    patient = operated(world, "WR8", 50)
    token = csrf(clinician.get(f"/patients/{patient}/responses/new?instrument=odi").text)
    form = {"csrf_token": token, "instrument": "odi", "completed_on": TODAY.isoformat()}
    form |= {f"answers.odi_{i}": "2" for i in range(1, 4)}
    warned = clinician.post(f"/patients/{patient}/responses/new", data=form)
    assert warned.status_code == 422
    assert "3 of 10 questions are answered and it needs at least 8 to be scored" in warned.text
    assert 'name="save_unscored"' in warned.text and 'aria-invalid="true"' in warned.text
    assert '<option value="2" selected>' in warned.text  # what was typed is kept
    page = clinician.get(f"/patients/{patient}").text
    assert "not scored" not in page  # nothing was stored
    saved = clinician.post(
        f"/patients/{patient}/responses/new", data=form | {"save_unscored": "yes"}
    )
    assert saved.status_code == 303
    after = clinician.get(saved.headers["location"]).text
    assert "not scored" in after
