"""Staff work the chase list: an overdue patient at the top, a phone call recorded in the contact
history, a link issued with its QR code, the paper form printed, and paper answers entered."""

from datetime import date, timedelta

from playwright.sync_api import Page, expect
from tests.e2e.conftest import PHONE, LiveServer, screenshot, sign_in
from tests.support.records import fusion, new_patient

from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.patient_record import open_record
from spinetrack.services.records.register_surgery import register_surgery


def _patient(server: LiveServer, mrn: str, family: str, days_after_surgery: int) -> int:
    world = server.world
    patient = register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient(mrn, family_name=family, phone="01632 960555"),
    ).id
    register_surgery(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        surgery=fusion(performed_on=date.today() - timedelta(days=days_after_surgery)),
    )
    return patient


def test_staff_chase_an_overdue_follow_up(live_server: LiveServer, page: Page) -> None:
    late = _patient(live_server, "L-1", "Lindqvist", 62)
    _patient(live_server, "D-1", "Duarte", 40)
    sign_in(page, live_server, "staff@north.example")
    page.goto(f"{live_server.url}/chase")
    rows = page.locator("table.chase tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Lindqvist")
    expect(rows.nth(0)).to_contain_text("overdue")
    page.set_viewport_size(PHONE)
    screenshot(page, "staff-chase-list")
    page.set_viewport_size({"width": 1280, "height": 900})

    rows.nth(0).get_by_role("link").click()
    page.locator("#channel").select_option("phone")
    page.locator("#outcome").select_option("left_message")
    page.locator("#note").fill("Voicemail; will post the paper form")
    page.get_by_role("button", name="Record").click()
    history = page.locator("#history")
    expect(history).to_contain_text("Left message")
    expect(history).to_contain_text("Voicemail; will post the paper form")

    page.get_by_role("button", name="Create a link and QR code").click()
    expect(page.get_by_role("heading", name="New questionnaire link")).to_be_visible()
    expect(page.locator(".qr svg")).to_be_visible()
    link = page.locator("#issued-url").input_value()
    assert "/q/" in link
    screenshot(page, "staff-chase-patient-link")

    page.goto(f"{live_server.url}/paper/odi")
    expect(page.get_by_role("heading", name="Oswestry Disability Index")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    screenshot(page, "staff-paper-form-print")
    page.pdf(path=str(screenshot(page, "staff-paper-form-print").with_suffix(".pdf")))
    page.emulate_media(media="screen")

    page.goto(f"{live_server.url}/chase/{late}/paper/odi")
    for item in range(1, 11):
        page.locator(f"input[name='item_odi_{item}'][value='3']").check()
    page.locator("input[name='item_odi_8'][value='']").check()
    page.get_by_role("button", name="Save the answers").click()
    expect(page.get_by_text("The paper answers are recorded.")).to_be_visible()
    record = open_record(
        sessions=live_server.database.sessions,
        actor=live_server.world.clinician,
        clinic_id=live_server.world.clinic,
        patient_id=late,
    )
    [odi] = [r for r in record.responses if r.instrument == "odi"]
    assert odi.source == "paper" and "odi_8" not in odi.answers and odi.score_percent == 60.0


def test_a_refused_paper_entry_keeps_what_was_typed(live_server: LiveServer, page: Page) -> None:
    patient = _patient(live_server, "R-1", "Reyes", 45)
    sign_in(page, live_server, "staff@north.example")
    page.goto(f"{live_server.url}/chase/{patient}/paper/odi")
    for item in (1, 2, 3):
        page.locator(f"input[name='item_odi_{item}'][value='4']").check()
    page.locator("#completed_on").fill("2999-01-01")  # a date in the future is refused
    page.get_by_role("button", name="Save the answers").click()
    expect(page.get_by_text("Nothing was saved.")).to_be_visible()
    expect(page.locator("#completed_on-error")).to_contain_text("cannot be completed in the future")
    expect(page.locator("#completed_on")).to_have_value("2999-01-01")
    expect(page.locator("input[name='item_odi_2'][value='4']")).to_be_checked()


def test_a_refused_link_says_why_in_plain_words_and_takes_the_focus(
    live_server: LiveServer, page: Page
) -> None:
    late = _patient(live_server, "L-2", "Lindqvist", 62)
    sign_in(page, live_server, "staff@north.example")
    page.goto(f"{live_server.url}/chase/{late}")
    for box in page.locator("input[name=instruments]").all():
        box.uncheck()
    page.get_by_role("button", name="Create a link and QR code").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("choose at least one questionnaire")
    assert "List should have" not in page.content()  # no validator wording


def test_a_refused_password_change_is_announced_and_focused(
    live_server: LiveServer, page: Page
) -> None:
    sign_in(page, live_server, "staff@north.example")
    page.goto(f"{live_server.url}/account")
    page.get_by_label("Current password").fill("not my password at all")
    page.get_by_label("New password (at least").fill("another-long-pass-42")
    page.get_by_label("New password again").fill("another-long-pass-42")
    page.get_by_role("button", name="Change password").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
