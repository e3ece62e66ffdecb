"""The clinician's day in Chromium (issue 18): each numbered point of the issue walked as a user
would, one test per point, asserting what the issue says should be true. Screenshots of the
search results, a refused form and the worklist land in test-artifacts/screenshots/.

Points 6 (finding a patient), 7 (navigation by role), 9 (the chase list), 10 (forms in the page's
words), 11 (one name per id), 12 (dates, time points, names), 16 (Enter goes forward), 17 (the
phone layout), 18 (the inbox's words) and 19 (the printed paper form).
"""

import re
from datetime import date
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect
from tests.e2e.conftest import LiveServer, screenshot, sign_in
from tests.support.consultations import send_consultation
from tests.support.links import issued_link
from tests.support.records import failing, new_patient, operated
from tests.support.world import World
from weasyprint import HTML

from spinetrack.services.records.enrol_patient import register_patient

CLINICIAN = "clinician@north.example"
STAFF = "staff@north.example"


def _enrol(world: World, mrn: str, given: str, family: str, born: date) -> int:
    patient = new_patient(mrn, given_name=given, family_name=family, birth_date=born)
    return register_patient(
        sessions=world.database.sessions, actor=world.staff, clinic_id=world.clinic, patient=patient
    ).id


def _header_links(page: Page) -> list[str]:
    hrefs = page.locator("header.site-header nav a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return [str(h) for h in hrefs]


def test_6_a_patient_off_the_worklist_is_found_from_the_header(
    live_server: LiveServer, page: Page
) -> None:
    world = live_server.world
    jose = _enrol(world, "MRN0000009", "José", "Núñez", date(1961, 5, 17))
    _enrol(world, "MRN0000010", "Josefina", "Ibáñez", date(1970, 1, 2))
    sign_in(page, live_server, CLINICIAN)
    box = page.get_by_role("searchbox", name="Find a patient")
    box.fill("jose")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/patients\?q=jose$"))
    rows = page.locator("table.search-results tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Núñez, José")
    expect(rows.nth(1)).to_contain_text("MRN0000009")
    expect(rows.nth(1)).to_contain_text("17 May 1961")
    screenshot(page, "issue18-search-results")
    for typed in ("NUNEZ", "mrn0000009", "17 May 1961", "1961-05-17"):
        page.get_by_role("searchbox", name="Find a patient").first.fill(typed)
        page.get_by_role("searchbox", name="Find a patient").first.press("Enter")
        expect(page.locator("table.search-results")).to_contain_text("Núñez, José")
    page.get_by_role("link", name="Núñez, José").click()
    expect(page).to_have_url(f"{live_server.url}/patients/{jose}")


def test_6_converting_a_request_offers_the_registered_patient(
    live_server: LiveServer, page: Page
) -> None:
    world = live_server.world
    jose = _enrol(world, "MRN0000009", "José", "Núñez", date(1961, 5, 17))
    request_id = send_consultation(
        world, given_name="Jose", family_name="Nunez", birth_date=date(1961, 5, 17)
    )
    sign_in(page, live_server, STAFF)
    page.goto(f"{live_server.url}/consultations/{request_id}")
    offered = page.locator("section.matches")
    expect(offered).to_contain_text("Núñez, José")
    page.get_by_label("Medical record number").fill("MRN0000999")
    page.get_by_label("Sex").select_option("male")
    page.get_by_role("button", name="Register the patient").click()
    expect(page.locator("#new_patient_confirmed-error")).to_contain_text("MRN0000009")
    page.get_by_role("button", name="This is the requester: link the request").click()
    expect(page).to_have_url(f"{live_server.url}/patients/{jose}")


def test_6_the_analyst_gets_no_search_box(live_server: LiveServer, page: Page) -> None:
    sign_in(page, live_server, "analyst@north.example")
    expect(page.get_by_role("searchbox", name="Find a patient")).to_have_count(0)
    page.goto(f"{live_server.url}/patients?q=dahl")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()


def test_7_each_role_is_offered_only_the_pages_it_may_open(
    live_server: LiveServer, page: Page
) -> None:
    page.goto(live_server.url)
    assert "/consult" in _header_links(page)  # the public form is linked from public pages
    sign_in(page, live_server, "analyst@north.example")
    links = _header_links(page)
    assert not {"/worklist", "/chase", "/consultations"} & set(links)
    for href in links:
        if href.startswith("/") and href != "/api/v1/docs":
            assert page.request.get(f"{live_server.url}{href}").status < 400, href
    page.context.clear_cookies()
    sign_in(page, live_server, STAFF)
    assert {"/worklist", "/consultations", "/chase"} <= set(_header_links(page))


def test_9_the_chase_list_is_searched_and_a_link_issued_once(
    live_server: LiveServer, page: Page
) -> None:
    world = live_server.world
    late = operated(world, "CH-1", 62)
    operated(world, "CH-2", 40)
    sign_in(page, live_server, STAFF)
    page.goto(f"{live_server.url}/chase")
    expect(page.get_by_role("searchbox").last).to_be_visible()
    for row in page.locator("table.chase tbody tr").all():
        text = row.inner_text()
        assert not ("late" in text and "Due" in text.split("late")[0][-12:]), text
    page.goto(f"{live_server.url}/chase/{late}")
    page.get_by_role("button", name="Create a link and QR code").click()
    expect(page.get_by_role("heading", name="New questionnaire link")).to_be_visible()
    assert "/links" not in page.url  # post/redirect/get: the page shown is a GET
    page.reload()
    expect(page.get_by_role("heading", name="New questionnaire link")).to_have_count(0)
    page.get_by_role("button", name="Create a link and QR code").click()
    expect(page.get_by_text("A link for this time point is already open")).to_be_visible()
    page.get_by_role("button", name="Withdraw").first.click()
    expect(page.get_by_text("The link is withdrawn")).to_be_visible()


def test_10_a_refused_form_names_the_field_as_its_label_does(
    live_server: LiveServer, page: Page
) -> None:
    patient = failing(live_server.world, "RF-1")
    sign_in(page, live_server, CLINICIAN)
    page.goto(f"{live_server.url}/patients/{patient}/surgeries/new")
    page.locator("#performed_on").fill("2025-02-01")
    page.locator("#region").select_option("lumbar")
    page.locator("#procedure").select_option("fusion")
    page.locator("#approach").select_option("posterior")
    page.get_by_role("textbox", name="Levels").fill("L4-L6")
    page.get_by_role("button", name="Record surgery").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Levels")
    text = summary.inner_text()
    assert "0:" not in text and "pattern" not in text and "String should" not in text, text
    levels = page.get_by_role("textbox", name="Levels")
    expect(levels).to_have_attribute("aria-invalid", "true")
    expect(levels).to_have_value("L4-L6")
    assert "(see " not in page.content()
    screenshot(page, "issue18-refused-form")

    page.goto(f"{live_server.url}/patients/new")
    page.locator("#email").fill("not-an-address")
    page.get_by_role("button", name="Register").click()
    errors = page.locator("#error-summary").inner_text()
    assert "String should match" not in errors and "Mrn" not in errors, errors


def test_11_a_finding_has_one_name_and_several_go_in_one_submit(
    live_server: LiveServer, page: Page
) -> None:
    patient = failing(live_server.world, "ON-1")
    sign_in(page, live_server, CLINICIAN)
    page.goto(f"{live_server.url}/patients/{patient}")
    expect(page.locator("select#finding")).to_have_count(0)
    name = "Radicular pain, same distribution as before"
    page.get_by_role("checkbox", name=name).check()
    page.get_by_role("checkbox", name="Fever above 38 °C").check()
    page.get_by_role("button", name="Record ticked findings and re-assess").click()
    findings = page.locator("ul.findings")
    expect(findings).to_contain_text(name)
    expect(findings).to_contain_text("Fever above 38 °C")
    assert "Same distribution radicular" not in page.content()


def test_12_dates_time_points_and_people_are_written_one_way(
    live_server: LiveServer, page: Page
) -> None:
    patient = failing(live_server.world, "MRN0000077")
    sign_in(page, live_server, CLINICIAN)
    page.goto(f"{live_server.url}/worklist")
    screenshot(page, "issue18-worklist")
    page.goto(f"{live_server.url}/patients/{patient}")
    html = page.content()
    assert "MRN MRN" not in html
    assert re.search(r"rules [0-9a-f]{8,}", html) is None
    assert re.search(r"-\d+(\.\d+)? points from baseline", html) is None
    body = page.locator("main").inner_text()
    assert re.search(r"\b(6w|3m|6m|12m|24m|24 mo?nths?)\b", body) is None  # one label each
    assert "3 mo" in body  # the time point's one label
    assert re.search(r"\b\d{4}-\d{2}-\d{2}\b", body) is None, "an ISO date beside clinic dates"
    header = page.locator("header.site-header").inner_text()
    assert "Clinician" in header and "clinician@north.example" not in header


def test_16_enter_on_a_question_goes_forward(live_server: LiveServer, phone: Page) -> None:
    _, token = issued_link(live_server.world, ["odi"])
    phone.goto(f"{live_server.url}/q/{token}/step/2")
    phone.locator("input[name='answer']").first.check()
    phone.locator("input[name='answer']").first.press("Enter")
    phone.wait_for_url(f"{live_server.url}/q/{token}/step/3")


def test_17_the_pain_scale_and_yes_no_choices_sit_together_on_a_phone(
    live_server: LiveServer, phone: Page
) -> None:
    _, token = issued_link(live_server.world, ["nrs_back"])
    phone.goto(f"{live_server.url}/q/{token}/step/1")
    tops = phone.locator(".scale .option").evaluate_all(
        "options => options.map(o => Math.round(o.getBoundingClientRect().top))"
    )
    assert len(tops) == 11 and len(set(tops)) == 1, tops
    sign_in(phone, live_server, CLINICIAN)
    patient = failing(live_server.world, "PH-1")
    phone.goto(f"{live_server.url}/patients/{patient}/surgeries/new")
    yes = phone.get_by_role("radio", name="Yes")
    box = yes.bounding_box()
    label = phone.locator("label.inline-choice").first.bounding_box()
    assert box and label and label["x"] <= box["x"] <= label["x"] + label["width"]


def test_18_the_inbox_repeats_what_the_patient_was_told(
    live_server: LiveServer, phone: Page, page: Page
) -> None:
    phone.goto(f"{live_server.url}/consult/north")
    phone.get_by_role("button", name="Continue").click()  # nothing answered: refused
    summary = phone.locator("#error-summary")
    expect(summary).to_contain_text("Please answer every question below.")
    phone.locator("label[for='region-back']").click()
    for flag in ("bladder_bowel", "saddle_numbness", "worsening_weakness"):
        phone.locator(f"label[for='{flag}-no']").click()
    phone.locator("label[for='fever_wound-yes']").click()
    expect(summary).to_have_count(0)  # every question answered: no stale message stays
    expect(phone.get_by_role("heading", name="Get medical help today")).to_be_visible()
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_label("When was it?").fill("March 2025")
    phone.get_by_label("What is troubling you now, and since when?").fill(
        "The wound is hot and red since Monday."
    )
    phone.get_by_label("First name").fill("Ama")
    phone.get_by_label("Last name").fill("Osei")
    phone.get_by_label("Phone number").fill("01632 960123")
    phone.locator("label[for='consent']").click()
    phone.get_by_role("button", name="Send my request").click()
    sign_in(page, live_server, STAFF)
    page.goto(f"{live_server.url}/consultations")
    inbox = page.locator("main").inner_text()
    assert "Get medical help today" in inbox and "emergency care" not in inbox


def _pdf_pages(pdf: Path) -> int:
    """Pages of a PDF Chromium printed (its page objects; the page tree node is /Pages)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf.read_bytes()))


def _words(box: Any) -> str:
    own = str(getattr(box, "text", "") or "")
    return own + " " + " ".join(_words(child) for child in getattr(box, "children", []))


def _printed_pages(page: Page) -> list[str]:
    """The text of each page when the page's HTML is laid out on A4 by a second engine
    (WeasyPrint), to read what each printed sheet says."""
    document = HTML(string=page.content(), base_url=page.url).render()
    return [" ".join(_words(p._page_box).split()) for p in document.pages]


def test_19_the_printed_odi_names_the_patient_on_every_page_within_two(
    live_server: LiveServer, page: Page
) -> None:
    world = live_server.world
    patient = operated(world, "PF-1", 62)
    sign_in(page, live_server, STAFF)
    page.goto(f"{live_server.url}/chase/{patient}")
    page.get_by_role("link", name="Print odi").click()
    running = page.locator("table.paper-frame thead .paper-running")
    for words in ("Dahl, Ingrid", "PF-1", "17 May 1961", "6 wk"):
        expect(running).to_contain_text(words)
    pdf = screenshot(page, "issue18-paper-form").with_suffix(".pdf")
    page.pdf(path=str(pdf), format="A4")
    assert 1 <= _pdf_pages(pdf) <= 2, _pdf_pages(pdf)
    sheets = _printed_pages(page)
    assert 1 <= len(sheets) <= 2 and all("Dahl, Ingrid" in s and "6 wk" in s for s in sheets)
    assert all("PF-1" in s for s in sheets)
    page.goto(f"{live_server.url}/paper/odi")
    blank = pdf.with_name("issue18-paper-form-blank.pdf")
    page.pdf(path=str(blank), format="A4")
    assert 1 <= _pdf_pages(blank) <= 2
    assert all("MRN" in s and "Time point" in s for s in _printed_pages(page))
