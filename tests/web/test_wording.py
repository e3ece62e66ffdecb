"""Numbers, changes, record numbers, dates and time points read one way (issue 18, point 12)."""

from datetime import date, datetime, timedelta

from fastapi.testclient import TestClient
from tests.support.apps import shared_app
from tests.support.records import TODAY, answer, operated
from tests.support.web_sign_in import sign_in
from tests.support.world import World

from spinetrack.web.wording import change, day, moment, mrn, score


def test_a_change_says_better_or_worse_in_whole_words() -> None:
    assert change(-14.0) == "14 points worse than baseline"
    assert change(22.5) == "22.5 points better than baseline"
    assert change(1) == "1 point better than baseline"
    assert change(0.0) == "no change from baseline"


def test_scores_read_as_the_chart_prints_them() -> None:
    assert score(48.888) == "48.9" and score(40.0) == "40" and score(None) == "—"


def test_the_record_number_is_labelled_once() -> None:
    assert mrn("MRN0000009") == "MRN0000009" and mrn("12345") == "MRN 12345"


def test_dates_have_one_format() -> None:
    assert day(date(2026, 12, 2)) == "02 Dec 2026"
    assert moment(datetime(2026, 12, 2, 9, 5)) == "02 Dec 2026 09:05"


def test_the_patient_page_says_worse_and_hides_internals(world: World) -> None:
    patient = operated(world, "MRN0000042", 100)
    surgery_day = TODAY - timedelta(days=100)
    answer(world, patient, 2, surgery_day - timedelta(days=5))
    answer(world, patient, 4, surgery_day + timedelta(days=91))
    client = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(client, "clinician@north.example")
    page = client.get(f"/patients/{patient}").text
    assert "points worse than baseline" in page
    assert "-" + "20.0 points" not in page and "points from baseline" not in page
    assert "MRN MRN0000042" not in page and "MRN0000042" in page


def test_the_chase_pages_name_time_points_and_dates_as_the_patient_page_does(
    world: World,
) -> None:
    patient = operated(world, "CH-1", 100)
    client = TestClient(shared_app(world.database), follow_redirects=False)
    sign_in(client, "staff@north.example")
    listing = client.get("/chase").text
    detail = client.get(f"/chase/{patient}").text
    for page in (listing, detail):
        assert ">3m<" not in page and "3m," not in page and ">6w<" not in page
    assert "3 mo" in listing or "6 mo" in listing
