"""Time points after surgery: every window boundary, the schedule, and which response counts when a
window holds several."""

import pytest

from spinetrack.domain.outcomes import ScorePoint, schedule, timepoint_for
from spinetrack.domain.outcomes.selection import counted


@pytest.mark.parametrize(
    ("day", "timepoint"),
    [
        (-91, None),
        (-90, "baseline"),
        (-1, "baseline"),
        (0, "baseline"),
        (1, None),
        (27, None),
        (28, "6w"),
        (69, "6w"),
        (70, "3m"),
        (135, "3m"),
        (136, "6m"),
        (270, "6m"),
        (271, "12m"),
        (455, "12m"),
        (456, "24m"),
        (900, "24m"),
        (901, None),
        (-10_000, None),
        (10_000, None),
    ],
)
def test_each_day_falls_in_the_contracts_window_with_both_ends_included(
    day: int, timepoint: str | None
) -> None:
    assert timepoint_for(day) == timepoint


def test_the_schedule_lists_every_time_point_in_order_with_its_nominal_day() -> None:
    assert [(t.id, t.start, t.end, t.nominal) for t in schedule()] == [
        ("baseline", -90, 0, 0),
        ("6w", 28, 69, 42),
        ("3m", 70, 135, 91),
        ("6m", 136, 270, 182),
        ("12m", 271, 455, 365),
        ("24m", 456, 900, 730),
    ]


def test_every_time_point_carries_sources() -> None:
    assert all(t.sources for t in schedule())


def odi(day: int, value: float) -> ScorePoint:
    return ScorePoint("odi", day, value)


def test_the_latest_baseline_response_counts() -> None:
    chosen = counted([odi(-60, 70), odi(-2, 60), odi(-30, 50)])
    assert chosen["odi"]["baseline"].score == 60


def test_the_response_closest_to_the_nominal_day_counts() -> None:
    chosen = counted([odi(70, 10), odi(100, 20), odi(135, 30)])
    assert chosen["odi"]["3m"].score == 20


def test_on_equal_distance_from_the_nominal_day_the_earlier_day_counts() -> None:
    chosen = counted([odi(93, 30), odi(89, 20)])
    assert chosen["odi"]["3m"].score == 20


def test_two_responses_on_the_same_day_keep_the_first_given() -> None:
    chosen = counted([odi(365, 30), odi(365, 20)])
    assert chosen["odi"]["12m"].score == 30


def test_responses_outside_every_window_are_ignored() -> None:
    chosen = counted([odi(-91, 30), odi(10, 20), odi(950, 10)])
    assert chosen == {}


def test_each_instrument_is_chosen_separately() -> None:
    chosen = counted([odi(42, 30), ScorePoint("nrs_back", 40, 5), ScorePoint("nrs_back", 43, 4)])
    assert chosen["odi"]["6w"].score == 30
    assert chosen["nrs_back"]["6w"].score == 4
