"""The consultation inbox tells staff what the form told the patient, in the form's own words."""

import re

from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.web_sign_in import sign_in
from tests.support.world import World

NO = {
    f"flag_{q}": "no"
    for q in ("bladder_bowel", "saddle_numbness", "worsening_weakness", "fever_wound")
}


def _send(world: World, flag: str) -> None:
    public = TestClient(shared_app(world.database), follow_redirects=False)
    token = re.search(r'name="csrf_token" value="([^"]+)"', public.get("/consult/north").text)
    assert token
    sent = public.post(
        "/consult/north",
        data={
            "csrf_token": token.group(1),
            "region": "back",
            **NO,
            flag: "yes",
            "symptoms": "Wound hot and red",
            "given_name": "Ama",
            "family_name": "Osei",
            "phone": "+44 20 7946 0000",
            "consent": "yes",
        },
    )
    assert sent.status_code == 200


def test_a_same_day_request_does_not_claim_the_patient_was_sent_to_emergency(
    world: World,
) -> None:
    _send(world, "flag_fever_wound")
    staff = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(staff, "staff@north.example")
    inbox = staff.get("/consultations").text
    assert "Told: Get medical help today" in inbox
    assert "emergency care" not in inbox
    link = re.search(r'href="(/consultations/\d+)"', inbox)
    assert link
    detail = staff.get(link.group(1)).text
    assert "“Get medical help today”" in detail and "emergency care" not in detail


def test_an_emergency_request_says_so(world: World) -> None:
    _send(world, "flag_bladder_bowel")
    staff = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(staff, "staff@north.example")
    inbox = staff.get("/consultations").text
    assert "Told: Get emergency care now" in inbox
