"""Small things a user trips on (issue 18, points 16 and 17), checked in the served pages; the same
points are measured in Chromium by tests/e2e/test_layout_on_phone.py."""

import re
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.links import issued_link
from tests.support.web_sign_in import sign_in
from tests.support.world import World

import spinetrack.web

CSS = Path(spinetrack.web.__file__).parent / "static" / "css"


def _form(page: str) -> str:
    found = re.search(r'<form method="post"[^>]*class="question-form">(.*?)</form>', page, re.S)
    assert found
    return found.group(1)


def test_enter_on_a_question_goes_forward(world: World) -> None:
    """Enter submits with the form's first submit button, so Next must come before Back."""
    _, token = issued_link(world, ["odi"])
    client = TestClient(shared_app(world.database), follow_redirects=False)
    buttons = re.findall(
        r'<button type="submit" name="go" value="(\w+)"',
        _form(client.get(f"/q/{token}/step/2").text),
    )
    assert buttons[0] == "next" and "back" in buttons


def test_a_0_to_10_scale_is_laid_out_as_one_row_of_its_answers(world: World) -> None:
    _, token = issued_link(world, ["nrs_back"])
    client = TestClient(shared_app(world.database), follow_redirects=False)
    page = client.get(f"/q/{token}/step/1").text
    assert page.count('class="option"') == 11 and 'class="question scale"' in page
    rule = re.search(r"\.scale \.options \{([^}]*)\}", (CSS / "patient.css").read_text())
    assert rule and "grid-auto-flow: column" in rule.group(1) and "auto-fill" not in rule.group(1)


def test_the_work_up_is_a_list_not_boxes_that_cannot_be_ticked(world: World) -> None:
    from tests.support.records import failing

    patient = failing(world, "LAY1")
    client = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(client, "clinician@north.example")
    before = client.get(f"/patients/{patient}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', before)
    assert token
    client.post(
        f"/patients/{patient}/findings",
        data={
            "csrf_token": token.group(1),
            "finding": "fever",
            "observed_on": date.today().isoformat(),
        },
    )
    page = client.get(f"/patients/{patient}").text
    assert "☐" not in page and "Work-up checklist" not in page
    assert "Suggested work-up" in page


def test_instrumented_yes_and_no_sit_with_their_labels(world: World) -> None:
    from tests.support.records import operated

    patient = operated(world, "LAY2", 30)
    client = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(client, "clinician@north.example")
    page = client.get(f"/patients/{patient}/surgeries/new").text
    assert re.search(
        r'<div class="choices">\s*<label class="inline-choice"><input type="radio"'
        r' name="instrumented"',
        page,
    )
    clinic = (CSS / "clinic.css").read_text()
    assert ".field .inline-choice input" in clinic and "min-height: 0" in clinic
