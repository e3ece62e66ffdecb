"""The next follow-up a patient owes and its state, against the windows in knowledge/."""

from datetime import date, timedelta

import pytest

from spinetrack.domain.outcomes.followup import (
    NextFollowUp,
    due_soon_days,
    followup_schedule,
    followup_state,
    next_followup,
    overdue_after_days,
)
from spinetrack.domain.outcomes.windows import schedule

SURGERY = date(2026, 1, 10)


def _day(offset: int) -> date:
    return SURGERY + timedelta(days=offset)


def test_before_surgery_the_unanswered_baseline_is_next_and_closes_on_the_day_of_surgery() -> None:
    assert next_followup(SURGERY, set(), _day(-5)) == NextFollowUp(
        "baseline", due_on=SURGERY, window_opens_on=_day(-90), window_closes_on=SURGERY
    )


def test_after_surgery_a_missed_baseline_is_skipped_for_six_weeks() -> None:
    following = next_followup(SURGERY, set(), _day(1))
    assert following is not None
    assert (following.timepoint, following.due_on) == ("6w", _day(42))
    assert (following.window_opens_on, following.window_closes_on) == (_day(28), _day(69))


@pytest.mark.parametrize(
    ("answered", "offset", "expected"),
    [
        ({"baseline"}, 0, "6w"),
        ({"baseline"}, 69, "6w"),
        ({"baseline"}, 70, "3m"),
        ({"baseline", "6w"}, 30, "3m"),
        ({"baseline", "6w", "3m"}, 100, "6m"),
        ({"baseline", "6w", "3m", "6m", "12m"}, 300, "24m"),
        ({"baseline", "3m"}, 60, "6w"),
    ],
)
def test_the_earliest_unanswered_open_time_point_is_next(
    answered: set[str], offset: int, expected: str
) -> None:
    following = next_followup(SURGERY, answered, _day(offset))
    assert following is not None and following.timepoint == expected


def test_nothing_is_next_once_every_window_closed_or_everything_is_answered() -> None:
    assert next_followup(SURGERY, {"baseline"}, _day(901)) is None
    assert next_followup(SURGERY, {"baseline", "6w", "3m", "6m", "12m", "24m"}, _day(50)) is None


def test_the_last_window_is_still_open_on_its_last_day() -> None:
    following = next_followup(SURGERY, set(), _day(900))
    assert following is not None and following.timepoint == "24m"


def test_the_day_counts_come_from_knowledge() -> None:
    assert (due_soon_days(), overdue_after_days()) == (7, 7)


@pytest.mark.parametrize(
    ("offset", "state"),
    [
        (-30, "upcoming"),
        (-8, "upcoming"),
        (-7, "due"),
        (0, "due"),
        (7, "due"),
        (8, "overdue"),
        (27, "overdue"),
    ],
)
def test_state_relative_to_the_nominal_day(offset: int, state: str) -> None:
    due_on = date(2026, 3, 1)
    closes_on = due_on + timedelta(days=27)
    assert followup_state(due_on, closes_on, due_on + timedelta(days=offset)) == state


def test_a_closed_window_is_overdue_even_inside_the_grace() -> None:
    due_on = date(2026, 3, 1)
    assert followup_state(due_on, due_on, due_on + timedelta(days=1)) == "overdue"


def test_the_schedule_marks_answered_missed_next_and_later_time_points() -> None:
    today = _day(60)
    plan = followup_schedule(SURGERY, {"baseline"}, today)
    states = {point.timepoint: point.state for point in plan.points}
    following = next_followup(SURGERY, {"baseline"}, today)
    assert following is not None
    assert [p.timepoint for p in plan.points] == [t.id for t in schedule()]
    assert states["baseline"] == "answered"
    assert (
        states[following.timepoint]
        == plan.next_state
        == followup_state(following.due_on, following.window_closes_on, today)
    )
    later = [p.state for p in plan.points if p.due_on > following.due_on]
    assert later and set(later) == {"upcoming"}
    point = next(p for p in plan.points if p.timepoint == following.timepoint)
    assert (point.opens_on, point.due_on, point.closes_on) == (
        following.window_opens_on,
        following.due_on,
        following.window_closes_on,
    )


def test_a_window_closed_unanswered_is_missed_and_nothing_is_owed_at_the_end() -> None:
    plan = followup_schedule(SURGERY, set(), _day(365 * 20))
    assert {p.state for p in plan.points} == {"missed"}
    assert plan.next_state is None
