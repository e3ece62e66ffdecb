"""Measured in Chromium at phone size: the 0-10 scale stays one row, and Enter on a question goes
forward (issue 18, points 16 and 17)."""

from playwright.sync_api import Page
from tests.e2e.conftest import LiveServer
from tests.support.links import issued_link


def test_the_pain_scale_is_one_row_on_a_phone(live_server: LiveServer, phone: Page) -> None:
    _, token = issued_link(live_server.world, ["nrs_back"])
    phone.goto(f"{live_server.url}/q/{token}/step/1")
    tops = phone.locator(".scale .option").evaluate_all(
        "options => options.map(o => Math.round(o.getBoundingClientRect().top))"
    )
    assert len(tops) == 11 and len(set(tops)) == 1, tops
    widths = phone.locator(".scale .option").evaluate_all(
        "options => options.map(o => o.getBoundingClientRect().width)"
    )
    assert min(widths) >= 24  # WCAG 2.2 target size, minimum


def test_enter_on_a_question_goes_to_the_next_one(live_server: LiveServer, phone: Page) -> None:
    _, token = issued_link(live_server.world, ["odi"])
    phone.goto(f"{live_server.url}/q/{token}/step/2")
    phone.locator("input[name='answer']").first.check()
    phone.locator("input[name='answer']").first.press("Enter")
    phone.wait_for_url(f"{live_server.url}/q/{token}/step/3")
