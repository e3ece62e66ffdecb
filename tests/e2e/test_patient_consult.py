"""A patient asks for a consultation on a phone, with and without a warning sign, and staff find
both in the clinic's inbox, the urgent one first; the library is browsed and searched on a phone."""

from playwright.sync_api import Browser, Page, expect
from tests.e2e.conftest import PHONE, LiveServer, screenshot, sign_in

CALM = ("bladder_bowel", "saddle_numbness", "worsening_weakness", "fever_wound")


def _screening(phone: Page, region: str, yes: set[str]) -> None:
    phone.locator(f"label[for='region-{region}']").click()
    for question in CALM + (("breathing_swallowing",) if region == "neck" else ()):
        answer = "yes" if question in yes else "no"
        phone.locator(f"label[for='{question}-{answer}']").click()


def _details(phone: Page, given: str, symptoms: str) -> None:
    phone.get_by_label("When was it?").fill("March 2025")
    phone.get_by_label("What is troubling you now, and since when?").fill(symptoms)
    phone.get_by_label("First name").fill(given)
    phone.get_by_label("Last name").fill("Okafor")
    phone.get_by_label("Phone number").fill("01632 960123")
    phone.locator("label[for='consent']").click()
    phone.get_by_role("button", name="Send my request").click()


def test_a_red_flag_shows_the_emergency_instruction_at_once_and_the_request_is_urgent(
    live_server: LiveServer, phone: Page, page: Page
) -> None:
    phone.goto(f"{live_server.url}/consult/north")
    emergency = phone.get_by_role("heading", name="Get emergency care now")
    expect(emergency).to_be_hidden()
    _screening(phone, "neck", {"breathing_swallowing"})
    expect(emergency).to_be_visible()  # at once, before the form goes on
    screenshot(phone, "patient-consult-red-flag")
    phone.get_by_role("button", name="Continue").click()
    first = phone.locator("main > *").first
    expect(first).to_contain_text("Get emergency care now")  # before anything else
    _details(phone, "Amaka", "Since yesterday my neck is swollen and swallowing is hard.")
    expect(phone.get_by_role("heading", name="Your request was sent")).to_be_visible()
    expect(phone.locator("main > *").first).to_contain_text("Get emergency care now")
    expect(phone.get_by_text("Your request is marked urgent.")).to_be_visible()
    screenshot(phone, "patient-consult-sent-urgent")

    phone.goto(f"{live_server.url}/consult/north")
    _screening(phone, "back", set())
    expect(emergency).to_be_hidden()
    phone.get_by_role("button", name="Continue").click()
    expect(phone.get_by_role("heading", name="Get emergency care now")).to_have_count(0)
    _details(phone, "Bola", "Leg pain came back after three good months.")
    expect(phone.get_by_role("heading", name="Your request was sent")).to_be_visible()

    sign_in(page, live_server, "staff@north.example")
    page.goto(f"{live_server.url}/consultations")
    rows = page.locator("table.inbox tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Okafor, Amaka")
    expect(rows.nth(0)).to_contain_text("Urgent")
    expect(rows.nth(1)).to_contain_text("Okafor, Bola")
    page.set_viewport_size(PHONE)
    screenshot(page, "staff-consultations-inbox")
    page.set_viewport_size({"width": 1280, "height": 900})
    rows.nth(0).get_by_role("link").click()
    expect(page.get_by_role("heading", name="Urgent: warning signs answered “yes”")).to_be_visible()
    page.get_by_label("Medical record number").fill("N-7001")
    page.get_by_label("Date of birth").fill("1970-04-02")
    page.get_by_label("Sex").select_option("female")
    page.get_by_role("button", name="Register the patient").click()
    assert "/patients/" in page.url


def test_the_consultation_form_works_without_javascript(
    live_server: LiveServer, browser: Browser
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, java_script_enabled=False)
    phone = context.new_page()
    phone.goto(f"{live_server.url}/consult")  # the test world has two clinics: choose one
    phone.get_by_role("link", name="North Spine").click()
    _screening(phone, "back", {"bladder_bowel"})
    expect(phone.get_by_role("heading", name="Get emergency care now")).to_be_hidden()
    phone.get_by_role("button", name="Continue").click()
    expect(phone.locator("main > *").first).to_contain_text("Get emergency care now")
    screenshot(phone, "patient-consult-no-js-instruction")
    context.close()


def test_a_patient_browses_and_searches_the_library_on_a_phone(
    live_server: LiveServer, phone: Page
) -> None:
    phone.goto(f"{live_server.url}/library")
    expect(phone.get_by_role("heading", name="Education library")).to_be_visible()
    phone.get_by_label("Search the library").fill("screw loosening")
    phone.get_by_role("button", name="Search").click()
    results = phone.locator(".library-results")
    expect(results).to_contain_text("found for")
    screenshot(phone, "patient-library-search")
    results.get_by_role("link").first.click()
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    expect(phone.get_by_role("heading", name="When to get help straight away")).to_be_visible()
    phone.get_by_role("link", name="Back to the index").first.click()
    expect(phone.get_by_role("heading", name="Education library")).to_be_visible()


def test_answering_the_missing_questions_clears_the_stale_summary(
    live_server: LiveServer, phone: Page
) -> None:
    phone.goto(f"{live_server.url}/consult/north")
    phone.get_by_role("button", name="Continue").click()  # nothing answered: refused
    summary = phone.locator("#error-summary")
    expect(summary).to_contain_text("Please answer every question below.")
    _screening(phone, "back", set())
    expect(summary).to_have_count(0)  # every question answered: no stale message stays
    expect(phone.get_by_text("Please answer yes or no.")).to_have_count(0)
