"""The clinician's day, record side (issue 18), walked in headless Chromium: report text kept in
the record and its findings under "Recorded findings" (1), complications in triage (2), losing
ground on the worklist and the patient page (3), the automatic assessment and the Re-assess button
(4), a questionnaire with too few answers (5), the surgeon's own worklist ordered by urgency (8),
the letter's addressee, signature and time points (13), suggestions that know the record (14) and
a future surgery refused unless planned (15).

Screenshots of the worklist, the patient page, a refused form and the letter are written under the
system's temporary folder (`spinetrack-issue18-record/`) for a person to look at after a run."""

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from tests.e2e.conftest import LiveServer, sign_in
from tests.support.records import TODAY, answer, fusion, new_patient, operated
from tests.support.world import World

from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.register_surgery import (
    NewComplication,
    record_complication,
    register_surgery,
)

CLINICIAN = "clinician@north.example"
SCREENS = Path(tempfile.gettempdir()) / "spinetrack-issue18-record"
CT = (
    "CT lumbar spine: No bridging bone across the L4-L5 fusion. Lucency of more than 1 mm "
    "around the left L5 pedicle screw, in keeping with loosening."
)


def shot(page: Page, name: str) -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _failing_fusion(world: World) -> int:
    """Fusion 400 days ago, ODI 60 % before, at 3 and at 12 months (failing); a nerve root injury
    recorded by the surgeon and by the patient; a referring doctor on file."""
    patient = register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient(
            "E2E-REC",
            referrer_name="Dr Ada Jones",
            referrer_practice="Riverside Surgery",
            referrer_address="1 River Road\nNorthtown",
        ),
    ).id
    day = TODAY - timedelta(days=400)
    surgery = register_surgery(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        surgery=fusion(performed_on=day, surgeon_id=world.surgeon_id),
    )
    for reporter in ("surgeon", "patient"):
        record_complication(
            sessions=world.database.sessions,
            actor=world.clinician,
            clinic_id=world.clinic,
            patient_id=patient,
            complication=NewComplication(
                surgery_id=surgery.id, kind="nerve_root_injury", reported_by=reporter
            ),
        )
    answer(world, patient, 3, day - timedelta(days=5))
    answer(world, patient, 3, day + timedelta(days=91))
    answer(world, patient, 3, day + timedelta(days=365))
    return patient


@pytest.fixture
def clinic(live_server: LiveServer) -> tuple[LiveServer, dict[str, int]]:
    world = live_server.world
    failing = _failing_fusion(world)
    slipping = operated(world, "E2E-LG", 740)
    day = TODAY - timedelta(days=740)
    answer(world, slipping, 3, day - timedelta(days=5))  # ODI 60
    answer(world, slipping, 1, day + timedelta(days=182))  # 20 at 6 months
    answer(world, slipping, 2, day + timedelta(days=730))  # 40 at 24 months
    stenosis = operated(world, "E2E-STEN", 200, procedure="laminectomy", instrumented=False)
    return live_server, {"failing": failing, "slipping": slipping, "stenosis": stenosis}


def test_the_clinicians_day_keeps_the_record_and_reads_it(
    clinic: tuple[LiveServer, dict[str, int]], page: Page
) -> None:
    server, ids = clinic
    sign_in(page, server, CLINICIAN)

    # 8: the surgeon's own patients, failing by urgency; 3: losing ground listed.
    expect(page).to_have_url(f"{server.url}/worklist")
    expect(page.locator(".own-patients")).to_contain_text("Showing your own patients.")
    expect(page.locator("#failing")).to_contain_text("E2E-REC")
    expect(page.locator("#losing_ground")).to_contain_text("E2E-LG")
    expect(page.locator("#losing_ground")).to_contain_text("Losing ground")
    surgeon_options = page.locator("select[name=surgeon] option").all_inner_texts()
    assert "Clinician" in surgeon_options and "Admin" not in surgeon_options
    shot(page, "worklist")

    # 4: the failing patient was assessed when they became failing.
    page.goto(f"{server.url}/patients/{ids['failing']}")
    triage = page.locator("#triage")
    expect(triage).to_contain_text("spinetrack (automatic, on becoming failing)")
    # 2: the recorded nerve root injury reaches the ranked causes.
    expect(page.locator("ol.causes")).to_contain_text("Nerve root injury")
    expect(page.locator("ol.causes")).to_contain_text("Complication: nerve root injury")

    # 1: the report is stored, read, and listed under Recorded findings with its source.
    page.get_by_label("Kind of report").select_option("ct")
    page.get_by_label("Report title (optional)").fill("CT L-spine after fusion")
    page.get_by_label("Paste a radiology or lab report").fill(CT)
    # The first report read loads the report reader in the server: it may take a while.
    page.get_by_role("button", name="Store the report and assess").click(timeout=90_000)
    expect(page.locator("#done")).to_contain_text("Report stored in the record")
    expect(triage).to_contain_text("Read from the reports")
    recorded = page.locator("#findings")
    expect(recorded).to_contain_text("No bridging bone")
    expect(recorded).to_contain_text("CT L-spine after fusion")
    page.get_by_role("checkbox", name="Current smoker").check()
    page.get_by_role("button", name="Record ticked findings and re-assess").click()
    expect(page.locator("#done")).to_contain_text("Finding recorded")
    expect(triage).to_contain_text("Read from the reports")
    expect(page.locator("ol.causes")).to_contain_text("Pseudarthrosis (failed fusion)")
    # A misread finding is rejected and stays listed, marked.
    page.locator("#findings li.report-finding", has_text="Lucency").get_by_role(
        "button", name="Reject as misread"
    ).click()
    expect(page.locator("#done")).to_contain_text("Finding rejected")
    expect(page.locator("#findings li.report-finding.rejected")).to_contain_text("Rejected")
    # 4: one button re-assesses from the whole record.
    page.get_by_role("button", name="Re-assess from the record").click()
    expect(page.locator("#done")).to_contain_text("Assessed again from the whole record.")
    expect(triage).to_contain_text("Read from the reports")
    shot(page, "patient-page")

    # 13: the letter is addressed, signed, and lists scores by time point.
    page.goto(f"{server.url}/patients/{ids['failing']}/letter")
    expect(page.locator("address.addressee")).to_contain_text("Dr Ada Jones")
    expect(page.locator("address.addressee")).to_contain_text("Riverside Surgery")
    expect(page.locator(".signature")).to_contain_text("Clinician, North Spine")
    expect(page.locator("table.compact")).to_contain_text("12 months")
    expect(page.locator("table.compact")).not_to_contain_text("Day after operation")
    expect(page.locator(".status")).to_contain_text("ODI unchanged from before surgery")
    shot(page, "letter")

    # 3: the patient page of the patient losing ground says so, with its rule.
    page.goto(f"{server.url}/patients/{ids['slipping']}")
    expect(page.locator("#losing-ground")).to_contain_text("20 points worse than its best")

    # 14: MRI already known; physical therapy held back behind the infection red flag.
    page.goto(f"{server.url}/patients/{ids['stenosis']}")
    for summary in page.locator("details.finding-group summary").all():  # open every group
        if summary.evaluate("s => !s.parentElement.open"):
            summary.click()
    for name in ("Neurogenic claudication", "MRI disc material at an operated level"):
        page.get_by_role("checkbox", name=name).check()
    page.get_by_role("checkbox", name="Fever above 38 °C").check()
    page.get_by_role("button", name="Record ticked findings and re-assess").click()
    expect(page.locator(".red-flag-banner")).to_contain_text("Infection")
    expect(page.locator(".known-workup")).to_contain_text("MRI")
    expect(page.locator(".known-workup")).to_contain_text("not suggested again")
    expect(page.locator(".held-back")).to_contain_text("Physical therapy")

    # 5: three of ten ODI answers warn, and save unscored only when confirmed.
    page.goto(f"{server.url}/patients/{ids['stenosis']}/responses/new?instrument=odi")
    items = page.locator("ol.items select")
    for index in range(3):
        items.nth(index).select_option("2")
    page.get_by_role("button", name="Save and score").click()
    expect(page.locator(".unscored-confirm")).to_contain_text(
        "3 of 10 questions are answered and it needs at least 8 to be scored"
    )
    page.get_by_label("Save it unscored").check()
    page.get_by_role("button", name="Save and score").click()
    expect(page.locator("#done")).to_contain_text("not scored")

    # 15: a surgery next year is refused unless marked planned.
    page.goto(f"{server.url}/patients/{ids['stenosis']}/surgeries/new")
    page.locator("#performed_on").fill((TODAY + timedelta(days=150)).isoformat())
    page.get_by_label("Region").select_option("lumbar")
    page.get_by_label("Procedure").select_option("fusion")
    page.get_by_label("Approach").select_option("posterior")
    page.get_by_label("Levels").fill("L4-L5")
    page.get_by_role("button", name="Record surgery").click()
    expect(page.locator("#error-summary")).to_contain_text("mark the operation as planned")
    shot(page, "refused-surgery-form")
    page.get_by_label("Planned, not yet performed").check()
    page.get_by_role("button", name="Record surgery").click()
    expect(page.locator("#timeline")).to_contain_text("Planned")
