"""A surgeon's morning in the browser: sign in, find the failing patient on the worklist, read the
triage panel, record a finding and see the assessment change, enter a questionnaire and see the
chart change, and meet the forms' errors. Screenshots land in test-artifacts/screenshots/."""

from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from tests.e2e.conftest import LiveServer, screenshot, sign_in
from tests.support.records import failing, operated

CLINICIAN = "clinician@north.example"


@pytest.fixture
def clinic(live_server: LiveServer) -> tuple[LiveServer, int]:
    """The test world with a failing patient and one whose 6-week questionnaire is due."""
    patient = failing(live_server.world, "E2E-FAIL")
    operated(live_server.world, "E2E-DUE", 40)
    return live_server, patient


def _open_failing_patient(page: Page, server: LiveServer) -> None:
    sign_in(page, server, CLINICIAN)
    expect(page).to_have_url(f"{server.url}/worklist")
    page.locator("#failing").get_by_role("link", name="Dahl, Ingrid").click()
    expect(page.get_by_role("heading", name="Triage")).to_be_visible()


def test_from_sign_in_to_a_failing_patients_work_up(
    clinic: tuple[LiveServer, int], page: Page
) -> None:
    server, patient = clinic
    sign_in(page, server, CLINICIAN)
    expect(page).to_have_url(f"{server.url}/worklist")
    expect(page.locator("#failing")).to_contain_text("Dahl, Ingrid")
    expect(page.locator("#followups")).to_contain_text("Due")
    screenshot(page, "clinician-worklist")
    page.locator("#failing").get_by_role("link", name="Dahl, Ingrid").click()
    expect(page).to_have_url(f"{server.url}/patients/{patient}")
    expect(page.locator(".status-box")).to_contain_text("no follow-up reached the MCID")
    # Becoming failing assessed the patient at once (issue 18, point 4).
    expect(page.locator("#triage")).to_contain_text("spinetrack (automatic, on becoming failing)")

    page.get_by_role("checkbox", name="Fever above 38 °C").check()
    page.get_by_role("checkbox", name="Current smoker").check()
    page.get_by_role("button", name="Record ticked findings and re-assess").click()
    expect(page.locator("#done")).to_contain_text("Finding recorded")
    banner = page.locator(".red-flag-banner")
    expect(banner).to_contain_text("Infection")
    expect(banner).to_contain_text("Urgent")
    expect(page.locator("ol.causes > li").first).to_be_visible()
    sources = page.locator(".red-flag-banner details.sources").first
    sources.locator("summary").click()
    expect(sources.locator("li").first).to_be_visible()
    screenshot(page, "clinician-patient-triage")

    page.get_by_role("link", name="Worklist").first.click()
    expect(page.locator("#red_flags")).to_contain_text("Dahl, Ingrid")


def test_a_questionnaire_entered_on_the_patients_behalf_updates_the_chart(
    clinic: tuple[LiveServer, int], page: Page
) -> None:
    server, _ = clinic
    _open_failing_patient(page, server)
    dots = page.locator("#chart-odi circle.dot")
    expect(dots).to_have_count(2)
    page.get_by_role("link", name="Enter a questionnaire").click()
    page.get_by_role("combobox", name="Questionnaire").select_option("odi")
    page.get_by_role("button", name="Continue").click()
    six_weeks = date.today() - timedelta(days=100 - 42)  # the failing patient's 6-week point
    page.locator("#completed_on").fill(six_weeks.isoformat())
    items = page.locator("ol.items select")
    for index in range(items.count()):
        items.nth(index).select_option("1")
    expect(page.locator("#answered-count")).to_have_text("10 / 10 answered")
    page.get_by_role("button", name="Save and score").click()
    expect(page.locator("#done")).to_contain_text("20.0 %")
    expect(page.locator("#chart-odi circle.dot")).to_have_count(3)
    expect(page.locator(".status-box")).to_contain_text("Current status")


def test_the_main_forms_show_field_errors_and_keep_what_was_typed(
    clinic: tuple[LiveServer, int], page: Page
) -> None:
    server, _ = clinic
    sign_in(page, server, CLINICIAN)
    page.get_by_role("link", name="Register a patient").click()
    page.get_by_role("textbox", name="Medical record number (MRN)").fill("E2E-NEW")
    page.get_by_role("textbox", name="Given name").fill("Nora")
    future = (date.today() + timedelta(days=5)).isoformat()
    page.locator("#birth_date").fill(future)
    page.get_by_role("button", name="Register").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.get_by_role("textbox", name="Medical record number (MRN)")).to_have_value("E2E-NEW")
    expect(page.locator("#birth_date-error")).to_contain_text("future")
    screenshot(page, "clinician-form-errors")

    page.goto(f"{server.url}/worklist")
    page.locator("#failing").get_by_role("link", name="Dahl, Ingrid").click()
    page.get_by_role("checkbox", name="Fever above 38 °C").check()
    page.locator("#observed_on").fill(future)
    page.get_by_role("textbox", name="Note (optional)").fill("from the GP letter")
    page.get_by_role("button", name="Record ticked findings and re-assess").click()
    expect(page.locator("#finding-form")).to_contain_text("cannot be observed in the future")
    expect(page.get_by_role("checkbox", name="Fever above 38 °C")).to_be_checked()
    expect(page.get_by_role("textbox", name="Note (optional)")).to_have_value("from the GP letter")

    page.get_by_role("link", name="Record a surgery").click()
    page.locator("#performed_on").fill("2025-02-01")
    page.get_by_role("textbox", name="Levels").fill("L4-L9")
    page.get_by_role("button", name="Record surgery").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_role("textbox", name="Levels")).to_have_value("L4-L9")


def test_keyboard_zoom_and_tablet(clinic: tuple[LiveServer, int], browser: Browser) -> None:
    server, patient = clinic
    zoomed = browser.new_context(viewport={"width": 640, "height": 450}, device_scale_factor=2)
    page = zoomed.new_page()
    sign_in(page, server, CLINICIAN)
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    width = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert width <= 0, "the worklist scrolls sideways at 200 % zoom"
    screenshot(page, "clinician-worklist-200-percent")
    page.goto(f"{server.url}/patients/{patient}")
    width = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert width <= 0, "the patient page scrolls sideways at 200 % zoom"
    screenshot(page, "clinician-patient-200-percent")
    zoomed.close()

    tablet = browser.new_context(
        viewport={"width": 820, "height": 1180}, is_mobile=True, has_touch=True
    )
    page = tablet.new_page()
    sign_in(page, server, CLINICIAN)
    page.locator("#failing").get_by_role("link", name="Dahl, Ingrid").tap()
    expect(page.get_by_role("heading", name="Triage")).to_be_visible()
    screenshot(page, "clinician-patient-tablet")
    tablet.close()
