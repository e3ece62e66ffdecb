"""Serial values ordered by the times they name (domain/reports/serial.py), and the second rise
of CRP read from them."""

import pytest

from spinetrack.domain.reports import find_in_reports
from spinetrack.domain.reports.serial import time_order


def _read(text: str) -> dict[str, str]:
    return {m.id: m.status for m in find_in_reports([text])}


def _spans(text: str, *numbers: str) -> list[tuple[int, int]]:
    spans, at = [], 0
    for number in numbers:
        start = text.index(number, at)
        spans.append((start, start + len(number)))
        at = start + len(number)
    return spans


def test_todays_value_written_first_is_the_latest() -> None:
    text = "CRP 168 (D3 102, D7 60)"
    assert time_order(text, _spans(text, "168", "102", "60")) == [1, 2, 0]


def test_values_that_name_no_time_keep_the_order_written() -> None:
    text = "CRP 45 -> 120 -> 80"
    assert time_order(text, _spans(text, "45", "120", "80")) is None


def test_two_clocks_or_two_undated_values_leave_the_order_unknown() -> None:
    text = "CRP today 130, yesterday 60, day 5 90"
    assert time_order(text, _spans(text, "130", "60", "90")) is None
    text = "WCC 9.1, 14.2 (yesterday 9.1)"
    assert time_order(text, _spans(text, "9.1", "14.2", "9.1")) is None


@pytest.mark.parametrize(
    "text",
    [
        "CRP 168 (D3 102, D7 60).",
        "CRP 95 mg/L (POD3 200, POD5 60).",
        "CRP: day 2 140 / day 4 95 / day 7 130.",
        "CRP 45 (day 6) -> 120 (day 9).",
        "CRP 20/11 150, 23/11 60, 26/11 110.",
        "CRP 145 (D3 was 190, D7 52).",
        "CRP 96 mg/L (was 12 at discharge on D5).",
    ],
)
def test_a_dated_series_that_falls_and_rises_again_is_a_second_rise(text: str) -> None:
    assert _read(text).get("crp_second_rise") == "affirmed"


@pytest.mark.parametrize(
    "text",
    [
        # falling, today's value first
        "CRP 40 (D3 180, D5 110).",
        "CRP 30 mg/L (POD2 150, POD5 40).",
        "CRP 20 (was 90 at discharge on D5).",
        "CRP 40 falling since day 3 (peak 180).",
        # a wobble within normal
        "CRP 8 (D3 9, D7 4).",
        # a rise from before the peak
        "CRP 190 (was 20 on day 1).",
        # another test rises in the same sentence, CRP falls
        "CRP 60 (D2 150, D4 90), WCC 9 (D2) -> 14 (D5).",
        # undated, could be the climb to the peak
        "CRP 45 -> 120.",
    ],
)
def test_look_alikes_are_no_second_rise(text: str) -> None:
    assert "crp_second_rise" not in _read(text)


def test_a_series_stated_as_historical_is_not_current() -> None:
    text = "Previous history: CRP 168 (D3 102, D7 60) after his 2015 hip replacement."
    assert _read(text).get("crp_second_rise") != "affirmed"


def test_a_value_of_now_follows_values_dated_by_day() -> None:
    # tune16i: "40 at day 10, now 65" names two clocks, but now is later than any day
    text = "CRP 40 at day 10, now 65"
    assert time_order(text, _spans(text, "40", "10", "65")[::2]) == [0, 1]
    assert _read("CRP 40 at day 10, now 65.") == {"crp_second_rise": "affirmed"}
    assert "crp_second_rise" not in _read("CRP 65 at day 10, now 40.")


def test_a_crp_above_its_day_3_value_peaks_late() -> None:
    # tune16i: the CRP peaks on day 2-3 (value_rules.yaml); a later value above the day-3 one is a
    # peak later than day 3, the second rise (corpus FORMAT.md, third set)
    assert _read("Day 10: CRP 201 (day 3 was 60).") == {"crp_second_rise": "affirmed"}
    assert _read("D6 CRP 205 (D3 120).") == {"crp_second_rise": "affirmed"}
    assert "crp_second_rise" not in _read("D6 CRP 90 (D3 120).")
    assert "crp_second_rise" not in _read("D3 CRP 140 (D2 120).")


@pytest.mark.parametrize(
    "text",
    [
        "CRP 110 (was 45 at two weeks).",
        'CRP 74, "risen from 31 last week".',
        "CRP 96, up from 38 a week ago.",
        "CRP 166 (was 41 at d/c day 5), rising.",
        "CRP 210 (it was 60 last week).",
    ],
)
def test_a_crp_above_an_earlier_value_dated_in_weeks_is_a_second_rise(text: str) -> None:
    # tune16i: a value a week or more old is past the day 2-3 peak
    assert "crp_second_rise" in _read(text)


def test_a_crp_below_its_value_of_weeks_ago_is_no_second_rise() -> None:
    assert "crp_second_rise" not in _read("CRP 30, down from 96 a week ago.")
