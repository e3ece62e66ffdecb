"""A patient opens their own results on a phone after answering: their scores over time against
their starting point, in English and in Spanish (screenshots for people to look at)."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, expect
from tests.e2e.conftest import PHONE, LiveServer, screenshot
from tests.support.links import operated_link

from spinetrack.services.records.record_response import NewResponse, record_response


def _history(server: LiveServer) -> str:
    world = server.world
    patient_id, token, surgery_day = operated_link(world, 380)
    for day, per_item, back in ((-7, 3, 8), (45, 2, 5), (92, 1, 3), (180, 1, 2)):
        on = surgery_day + timedelta(days=day)
        moment = datetime(on.year, on.month, on.day, 10, tzinfo=UTC)
        for instrument, answers in (
            ("odi", {f"odi_{i}": per_item for i in range(1, 11)}),
            ("nrs_back", {"nrs_back": back}),
        ):
            record_response(
                sessions=world.database.sessions,
                actor=world.staff,
                clinic_id=world.clinic,
                patient_id=patient_id,
                response=NewResponse(instrument=instrument, completed_at=moment, answers=answers),
            )
    return token


@pytest.mark.parametrize("locale", ["en-GB", "es-ES"])
def test_a_patient_reads_their_results_on_a_phone(
    live_server: LiveServer, browser: Browser, locale: str
) -> None:
    token = _history(live_server)
    context = browser.new_context(viewport=PHONE, is_mobile=True, locale=locale)
    phone = context.new_page()
    phone.goto(f"{live_server.url}/q/{token}/step/1")
    phone.locator("label.option:has(input[value='2'])").click()
    phone.locator("button[value='next']").click()
    phone.locator("form[action$='/submit'] button").click()
    phone.locator(f"a[href$='/q/{token}/results']").click()
    heading = "Your results" if locale.startswith("en") else "Sus resultados"
    expect(phone.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(phone.locator("section.result")).to_have_count(2)
    screenshot(phone, f"patient-results-history-{locale[:2]}")
    context.close()
