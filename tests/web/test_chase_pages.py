"""The chase list and a patient's follow-up page (issue 18, point 9): a list to search, filter,
sort and page; a link issued by post/redirect/get, never twice for one time point; a withdraw
button."""

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.records import operated
from tests.support.web_sign_in import sign_in
from tests.support.world import World

from spinetrack.services.followup.chase_list import ChaseRow
from spinetrack.web.routes.chase import PAGE_SIZE, _chase_view


def _row(number: int, name: str, state: str = "overdue", late: int = 0) -> ChaseRow:
    return ChaseRow(
        patient_id=number,
        mrn=f"M{number:04d}",
        name=name,
        timepoint="3m" if number % 2 else "12m",
        due_on=date(2026, 1, 1) + timedelta(days=number),
        closes_on=None,
        state=state,  # type: ignore[arg-type]
        days_late=late,
        has_email=False,
        phone=None,
        contacts=0,
        last_contact_at=None,
        last_contact=None,
    )


def test_the_list_is_searched_without_accents_or_case_and_filtered() -> None:
    rows = [_row(1, "Núñez, Ana"), _row(2, "Dahl, Ingrid", "due"), _row(3, "Lee, Bo")]
    assert [r.name for r in _chase_view(rows, "nunez", "", "", "late", 1).rows] == ["Núñez, Ana"]
    assert [r.mrn for r in _chase_view(rows, "m0003", "", "", "late", 1).rows] == ["M0003"]
    assert [r.name for r in _chase_view(rows, "", "due", "", "late", 1).rows] == ["Dahl, Ingrid"]
    assert {r.timepoint for r in _chase_view(rows, "", "", "3m", "late", 1).rows} == {"3m"}
    by_name = _chase_view(rows, "", "", "", "name", 1).rows
    assert [r.name for r in by_name] == ["Dahl, Ingrid", "Lee, Bo", "Núñez, Ana"]


def test_the_list_is_paged() -> None:
    rows = [_row(n, f"Patient {n:03d}") for n in range(1, PAGE_SIZE * 2 + 6)]
    first = _chase_view(rows, "", "", "", "late", 1)
    last = _chase_view(rows, "", "", "", "late", 99)
    assert (first.pages, len(first.rows), first.total) == (3, PAGE_SIZE, PAGE_SIZE * 2 + 5)
    assert (last.page, len(last.rows)) == (3, 5)


def _staff(world: World) -> TestClient:
    client = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(client, "staff@north.example")
    return client


def _csrf(page: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    return token.group(1)


def test_the_chase_page_offers_search_and_sort(world: World) -> None:
    operated(world, "CP-1", 100)
    page = _staff(world).get("/chase?q=dahl&sort=name").text
    assert 'name="q" type="search" value="dahl"' in page
    assert '<option value="name" selected>' in page


def test_issuing_a_link_is_post_redirect_get_and_not_repeated(world: World) -> None:
    patient = operated(world, "CP-2", 100)
    client = _staff(world)
    page = client.get(f"/chase/{patient}").text
    form = {"csrf_token": _csrf(page), "instruments": "odi", "valid_days": "14"}
    form["timepoint"] = "3m"
    made = client.post(f"/chase/{patient}/links", data=form)
    assert made.status_code == 303 and "done=link" in made.headers["location"]
    assert "/q/" not in made.headers["location"]  # the secret is never in an address
    shown = client.get(made.headers["location"]).text
    assert "/q/" in shown and "QR code" in shown
    again = client.get(made.headers["location"]).text
    assert 'id="issued-url"' not in again  # shown once
    repeated = client.post(f"/chase/{patient}/links", data=form)
    assert "done=link_open" in repeated.headers["location"]
    listing = client.get(f"/chase/{patient}").text
    assert listing.count(">open<") + listing.count(">Open<") == 1


def test_a_link_is_withdrawn_with_a_button(world: World) -> None:
    patient = operated(world, "CP-3", 100)
    client = _staff(world)
    page = client.get(f"/chase/{patient}").text
    client.post(
        f"/chase/{patient}/links",
        data={"csrf_token": _csrf(page), "instruments": "odi", "valid_days": "14"},
    )
    detail = client.get(f"/chase/{patient}").text
    button = re.search(rf'action="(/chase/{patient}/links/\d+/withdraw)"', detail)
    assert button
    done = client.post(button.group(1), data={"csrf_token": _csrf(detail)})
    assert done.status_code == 303 and "done=withdrawn" in done.headers["location"]
    after = client.get(done.headers["location"]).text
    assert "no longer opens" in after and "/withdraw" not in after
