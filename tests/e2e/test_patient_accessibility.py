"""Every page a patient sees, checked with axe-core (WCAG 2.2 AA rules) in Chromium, at desktop
and phone size, in English and Spanish, including the error states; and the questionnaire
finished with the keyboard alone."""

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from tests.e2e.conftest import PHONE, LiveServer, screenshot
from tests.support.links import issued_link

from spinetrack.services.records.register_surgery import NewSurgery, register_surgery

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": PHONE}
LANGUAGES = {"en": "en-GB", "es": "es-ES"}
AXE = Axe()


AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
"""The WCAG 2.2 AA rules, reporting every node of every violation. `resultTypes` only stops axe
from building a selector for every node that passed or was inapplicable (the first node of each
is kept), which the test never reads; each violation still lists all its nodes."""


def _violations(page: Page) -> list[str]:
    results = AXE.run(page, options=AXE_OPTIONS)
    found = results.response["violations"]
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in found]


@pytest.fixture(params=[(s, lang) for s in SIZES for lang in LANGUAGES], ids=lambda p: "-".join(p))
def visitor(request: pytest.FixtureRequest, browser: Browser) -> Iterator[tuple[Page, str]]:
    size, language = request.param
    context = browser.new_context(
        viewport=SIZES[size], locale=LANGUAGES[language], is_mobile=size == "phone"
    )
    context.set_default_timeout(10_000)
    yield context.new_page(), f"{size}-{language}"
    context.close()


def _operated_link(server: LiveServer) -> str:
    world = server.world
    patient_id, token = issued_link(world, ["nrs_back"])
    register_surgery(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient_id,
        surgery=NewSurgery.model_validate(
            {
                "performed_on": date.today() - timedelta(days=100),
                "region": "lumbar",
                "procedure": "discectomy",
                "approach": "posterior",
                "levels": ["L5-S1"],
            }
        ),
    )
    return token


def test_patient_pages_have_no_axe_violations(
    live_server: LiveServer, visitor: tuple[Page, str]
) -> None:
    page, label = visitor
    base = live_server.url
    token = _operated_link(live_server)
    states: list[tuple[str, Callable[[], None]]] = [
        ("consult-choose", lambda: page.goto(f"{base}/consult")),
        ("consult-screening", lambda: page.goto(f"{base}/consult/north")),
        (
            "consult-screening-error",
            lambda: page.locator("form.consult-form button[type=submit]").click(),
        ),
        ("q-intro", lambda: page.goto(f"{base}/q/{token}")),
        ("q-step", lambda: page.goto(f"{base}/q/{token}/step/1")),
        (
            "q-review-short",
            lambda: (
                page.goto(f"{base}/q/{token}/review"),
                page.locator("form[action$='/submit'] button").click(),
            ),
        ),
    ]
    found: dict[str, list[str]] = {}
    for name, arrive in states:
        arrive()
        page.wait_for_load_state()
        found[name] = _violations(page)
    # answer and send, then the thank-you page, the results, and a used link
    page.goto(f"{base}/q/{token}/step/1")
    page.locator("label.option:has(input[value='3'])").click()
    page.locator("button[value='next']").click()
    page.locator("form[action$='/submit'] button").click()
    page.wait_for_url(f"{base}/q/{token}/thanks")
    found["q-thanks"] = _violations(page)
    page.goto(f"{base}/q/{token}/results")
    found["results"] = _violations(page)
    screenshot(page, f"patient-results-{label}")
    page.goto(f"{base}/q/{token}/step/1")
    found["link-gone"] = _violations(page)
    page.goto(f"{base}/consult/north")
    for question in ("bladder_bowel", "saddle_numbness", "worsening_weakness", "fever_wound"):
        page.locator(f"label[for='{question}-no']").click()
    page.locator("label[for='region-back']").click()
    page.locator("form.consult-form button[type=submit]").click()
    page.wait_for_load_state()
    found["consult-details"] = _violations(page)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    found["consult-details-error"] = _violations(page)
    screenshot(page, f"patient-consult-error-{label}")
    # The library follows the visitor's language too (the context's locale sends Accept-Language):
    # the index, a search, the glossary, condition and guide pages, and the 404 page, in each.
    page.goto(f"{base}/library")
    found["library"] = _violations(page)
    page.goto(f"{base}/library?q=fusion")
    found["library-search"] = _violations(page)
    page.goto(f"{base}/library/glossary")
    found["library-glossary"] = _violations(page)
    for page_id in ("failed-back-syndrome", "spinal-stenosis", "bone-health-and-osteoporosis"):
        page.goto(f"{base}/library/{page_id}")
        found[f"library-{page_id}"] = _violations(page)
    screenshot(page, f"library-page-{label}")
    page.goto(f"{base}/library/no-such-entry")
    found["library-not-found"] = _violations(page)
    failures = {name: v for name, v in found.items() if v}
    assert failures == {}, failures


def _tab_to(page: Page, selector: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_the_questionnaire_is_finished_with_the_keyboard_alone(
    live_server: LiveServer, page: Page
) -> None:
    _, token = issued_link(live_server.world, ["nrs_back", "nrs_leg"])
    page.goto(f"{live_server.url}/q/{token}")
    _tab_to(page, "a[href$='/step/1']")
    page.keyboard.press("Enter")
    for question in (1, 2):
        expect(page.get_by_text(f"Question {question} of 2")).to_be_visible()
        _tab_to(page, "input[type=radio]")
        page.keyboard.press("Space")
        page.keyboard.press("ArrowRight")  # moves to, and chooses, the next answer
        page.keyboard.press("Enter")  # the form's default button goes forward, never back
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    _tab_to(page, "form[action$='/submit'] button")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()


def test_form_errors_take_the_focus_and_every_invalid_field_names_its_message(
    live_server: LiveServer, page: Page
) -> None:
    page.goto(f"{live_server.url}/consult/north")
    page.locator("form.consult-form button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_focused()
    for question in ("bladder_bowel", "saddle_numbness", "worsening_weakness", "fever_wound"):
        page.locator(f"label[for='{question}-no']").click()
    page.locator("label[for='region-back']").click()
    page.locator("form.consult-form button[type=submit]").click()
    page.get_by_label("E-mail address").fill("not an address")
    page.get_by_label("Phone number").fill("call me")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator("#error-summary")).to_be_focused()
    invalid = page.locator("[aria-invalid='true']")
    assert invalid.count() >= 4
    for i in range(invalid.count()):
        field = invalid.nth(i)
        described = (field.get_attribute("aria-describedby") or "").split()
        messages = [page.locator(f"#{ref}").inner_text() for ref in described]
        assert any(m.startswith(("Please", "We can only")) for m in messages), field
        field_id = field.get_attribute("id")
        expect(page.locator(f"#error-summary a[href='#{field_id}']")).to_have_count(1)


def test_rating_scale_answers_are_named_with_their_end_meanings(
    live_server: LiveServer, page: Page
) -> None:
    _, token = issued_link(live_server.world, ["nrs_back"])
    page.goto(f"{live_server.url}/q/{token}/step/1")
    expect(page.get_by_role("radio", name="0, no pain")).to_have_count(1)
    expect(page.get_by_role("radio", name="10, the worst pain imaginable")).to_have_count(1)
    expect(page.get_by_role("radio", name="5", exact=True)).to_have_count(1)


def test_an_expired_form_gets_a_real_page(live_server: LiveServer, page: Page) -> None:
    page.goto(f"{live_server.url}/consult/north")
    page.context.clear_cookies()
    page.locator("form.consult-form button[type=submit]").click()
    expect(page.get_by_role("heading", name="This form has expired")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.get_by_role("main")).to_have_count(1)
    assert _violations(page) == []
