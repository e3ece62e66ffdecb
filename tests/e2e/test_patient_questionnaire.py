"""A patient answers their questionnaires on a phone from the clinic's link: one question per
screen, leaving half-way and coming back, changing an answer on the review screen, sending, and
finding the link closed afterwards. Expired and forged links get the same kind page."""

from datetime import UTC, datetime, timedelta

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import update
from tests.e2e.conftest import PHONE, LiveServer, screenshot
from tests.support.links import issued_link

from spinetrack.services.records.patient_record import open_record
from spinetrack.storage.tables import PatientLink


def _choose(phone: Page, value: int) -> None:
    phone.locator(f"label.option:has(input[value='{value}'])").click()


def _next(phone: Page) -> None:
    phone.get_by_role("button", name="Next").click()


def test_a_patient_answers_on_a_phone_leaves_and_comes_back(
    live_server: LiveServer, phone: Page, browser: Browser
) -> None:
    patient, token = issued_link(live_server.world, ["nrs_back", "nrs_leg", "odi"])
    url = f"{live_server.url}/q/{token}"
    phone.goto(url)
    expect(phone.get_by_role("heading", name="Questions about how you are")).to_be_visible()
    expect(phone.get_by_text("North Spine").first).to_be_visible()
    screenshot(phone, "patient-q-intro")
    phone.get_by_role("link", name="Start").click()

    expect(phone.get_by_text("Question 1 of 12")).to_be_visible()
    # Touch targets: the 0-10 scale keeps its eleven answers on one row on a phone (issue 18), so
    # each is narrower than 44 px but taller, and above WCAG 2.2's 24 x 24 px minimum (SC 2.5.8).
    scale = phone.locator("label.option").first.bounding_box()
    assert scale is not None and scale["height"] >= 44 and scale["width"] >= 24
    button = phone.get_by_role("button", name="Next").bounding_box()
    assert button is not None and button["height"] >= 44 and button["width"] >= 44
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _choose(phone, 6)
    screenshot(phone, "patient-q-scale")
    _next(phone)
    _choose(phone, 7)
    _next(phone)
    expect(phone.get_by_text("Question 3 of 12")).to_be_visible()
    _choose(phone, 2)
    screenshot(phone, "patient-q-section")
    _next(phone)
    phone.get_by_role("button", name="Back").click()  # back keeps the answer given
    expect(phone.locator("input[value='2']")).to_be_checked()
    phone.context.close()  # the patient puts the phone away

    later = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    later.goto(url)
    expect(later.get_by_text("You have already answered 3 questions.")).to_be_visible()
    screenshot(later, "patient-q-resume")
    later.get_by_role("link", name="Carry on where you stopped").click()
    expect(later.get_by_text("Question 4 of 12")).to_be_visible()
    for _ in range(4, 13):
        _choose(later, 1)
        later.get_by_role("button", name="Next").or_(
            later.get_by_role("button", name="Check my answers")
        ).click()
    expect(later.get_by_role("heading", name="Check your answers")).to_be_visible()
    assert later.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(later, "patient-q-review")
    later.get_by_role("link", name="Change Pain intensity, back").click()
    expect(later.locator("input[value='6']")).to_be_checked()
    _choose(later, 4)
    _next(later)
    later.goto(f"{url}/review")
    first = later.locator(".review-row").first
    expect(first).to_contain_text("Pain intensity, back")
    expect(first.locator("dd")).to_contain_text("4")
    later.get_by_role("button", name="Send my answers").click()
    expect(later.get_by_role("heading", name="Thank you")).to_be_visible()
    screenshot(later, "patient-q-thanks")

    record = open_record(
        sessions=live_server.database.sessions,
        actor=live_server.world.clinician,
        clinic_id=live_server.world.clinic,
        patient_id=patient,
    )
    stored = {r.instrument: r for r in record.responses}
    assert set(stored) == {"nrs_back", "nrs_leg", "odi"}
    assert stored["nrs_back"].answers == {"nrs_back": 4}
    assert stored["nrs_leg"].answers == {"nrs_leg": 7}
    assert stored["odi"].answers["odi_1"] == 2

    later.goto(url)  # the used link cannot be opened again
    expect(later.get_by_role("heading", name="This link no longer works")).to_be_visible()
    later.context.close()


def test_an_expired_or_forged_link_shows_a_kind_page_without_detail(
    live_server: LiveServer, phone: Page
) -> None:
    _, token = issued_link(live_server.world, ["nrs_neck"])
    with live_server.database.sessions.sessionmaker() as session:
        session.execute(
            update(PatientLink).values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
        )
        session.commit()
    response = phone.goto(f"{live_server.url}/q/{token}")
    assert response is not None and response.status == 404
    assert response.headers["cache-control"] == "no-store"
    expect(phone.get_by_role("heading", name="This link no longer works")).to_be_visible()
    assert "North Spine" not in phone.content()
    screenshot(phone, "patient-q-expired")
    forged = token[:-1] + ("0" if token[-1] != "0" else "1")
    phone.goto(f"{live_server.url}/q/{forged}/step/1")
    expect(phone.get_by_role("heading", name="This link no longer works")).to_be_visible()
