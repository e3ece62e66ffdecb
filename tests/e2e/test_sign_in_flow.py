"""The browser harness itself: a person signs in and lands somewhere signed in."""

from playwright.sync_api import Page, expect
from tests.e2e.conftest import LiveServer, screenshot, sign_in


def test_a_clinician_signs_in_through_the_form(live_server: LiveServer, page: Page) -> None:
    sign_in(page, live_server, "clinician@north.example")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert screenshot(page, "signed-in").stat().st_size > 0


def test_a_wrong_password_keeps_the_visitor_on_the_login_page(
    live_server: LiveServer, page: Page
) -> None:
    sign_in(page, live_server, "clinician@north.example", password="not-the-password")
    assert "/login" in page.url
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
