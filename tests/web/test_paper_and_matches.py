"""The printed form for one patient says whose it is on every sheet (point 19), and a request's
page offers the registered patient before a second record is made (point 6)."""

import re
from datetime import date

from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.consultations import send_consultation
from tests.support.records import new_patient, operated
from tests.support.web_sign_in import sign_in
from tests.support.world import World

from spinetrack.services.records.enrol_patient import register_patient


def _staff(world: World) -> TestClient:
    client = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(client, "staff@north.example")
    return client


def test_the_printed_form_heads_every_page_with_the_patient_and_time_point(world: World) -> None:
    patient = operated(world, "PP-1", 62)
    client = _staff(world)
    chase = client.get(f"/chase/{patient}").text
    link = re.search(r'href="(/paper/odi\?patient=[^"]+)"', chase)
    assert link
    page = client.get(link.group(1).replace("&amp;", "&")).text
    running = page.split("<thead>")[1].split("</thead>")[0]
    for words in ("Dahl, Ingrid", "PP-1", "17 May 1961", "6 wk"):
        assert words in running
    blank = client.get("/paper/odi").text.split("<thead>")[1].split("</thead>")[0]
    assert "MRN" in blank and "Time point" in blank and "Dahl" not in blank
    assert client.get(f"/paper/odi?patient={patient}&timepoint=7y").status_code == 404


def test_a_request_page_offers_the_registered_patient(world: World) -> None:
    registered = register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient("RG-1", given_name="Ama", family_name="Osei"),
    ).id
    request_id = send_consultation(
        world, given_name="AMA", family_name="Osei", birth_date=date(1961, 5, 17)
    )
    client = _staff(world)
    page = client.get(f"/consultations/{request_id}").text
    assert "Already registered?" in page and f'href="/patients/{registered}"' in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf
    linked = client.post(
        f"/consultations/{request_id}/link",
        data={"csrf_token": csrf.group(1), "patient_id": str(registered)},
    )
    assert linked.status_code == 303 and linked.headers["location"] == f"/patients/{registered}"
