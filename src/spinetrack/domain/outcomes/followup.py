"""What questionnaire a patient owes next, and whether it is upcoming, due or overdue.

The worklist and the chase list both sort patients by this, so the rule lives here once, pure and
dated by the caller's ``today``. The next follow-up is the earliest time point of the schedule (the
baseline included: a pre-operative questionnaire can still be chased before surgery) that has no
answer and whose window has not closed; once a window closes a late answer would not count, so
chasing it is pointless and the next time point takes over. The day counts for "due" and "overdue"
are data in knowledge/outcomes/windows.yaml.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from spinetrack.domain.outcomes.windows import followup_timing, schedule

FollowUpState = Literal["upcoming", "due", "overdue"]


@dataclass(frozen=True, slots=True)
class NextFollowUp:
    timepoint: str
    """Time point id from the schedule (``baseline``, ``6w``, ``3m``, …)."""
    due_on: date
    """The nominal day: surgery date plus the time point's nominal days."""
    window_opens_on: date
    window_closes_on: date
    """Last day on which an answer still counts for this time point (included)."""


def next_followup(
    surgery_date: date, answered_timepoints: Collection[str], today: date
) -> NextFollowUp | None:
    """The earliest unanswered time point whose window is still open on ``today`` (or not yet
    open); None once every remaining window has closed or every time point is answered."""
    for timepoint in schedule():
        if timepoint.id in answered_timepoints:
            continue
        closes_on = surgery_date + timedelta(days=timepoint.end)
        if closes_on < today:
            continue
        return NextFollowUp(
            timepoint=timepoint.id,
            due_on=surgery_date + timedelta(days=timepoint.nominal),
            window_opens_on=surgery_date + timedelta(days=timepoint.start),
            window_closes_on=closes_on,
        )
    return None


def followup_state(due_on: date, closes_on: date, today: date) -> FollowUpState:
    """``due`` from ``due_soon_days`` before the nominal day until ``overdue_after_days`` after it,
    ``overdue`` after that (and after the window closed), ``upcoming`` before."""
    timing = followup_timing()
    if today > closes_on or today > due_on + timedelta(days=timing.overdue_after_days):
        return "overdue"
    if today >= due_on - timedelta(days=timing.due_soon_days):
        return "due"
    return "upcoming"


def due_soon_days() -> int:
    """How many days ahead "due this week" looks (for queries that filter on ``next_due_on``)."""
    return followup_timing().due_soon_days


def overdue_after_days() -> int:
    """Days of grace after the nominal day before a follow-up is overdue."""
    return followup_timing().overdue_after_days


PointState = Literal["answered", "missed", "upcoming", "due", "overdue"]


@dataclass(frozen=True, slots=True)
class ScheduledPoint:
    """One time point of a patient's schedule, dated from their index surgery."""

    timepoint: str
    opens_on: date
    due_on: date
    closes_on: date
    state: PointState
    """``answered``; ``missed`` once its window closed unanswered; for the next follow-up (see
    ``next_followup``) its ``followup_state``; ``upcoming`` for the later ones."""


@dataclass(frozen=True, slots=True)
class FollowUpSchedule:
    points: list[ScheduledPoint]
    next_state: FollowUpState | None
    """The state of the next follow-up (what the worklist shows), None when nothing is owed."""


def followup_schedule(
    surgery_date: date, answered_timepoints: Collection[str], today: date
) -> FollowUpSchedule:
    """Every time point of the schedule and where it stands on ``today`` (the patient page's
    timeline); the next follow-up is the one ``next_followup`` names, so both views agree."""
    following = next_followup(surgery_date, answered_timepoints, today)
    next_state = (
        followup_state(following.due_on, following.window_closes_on, today) if following else None
    )
    points = []
    for timepoint in schedule():
        closes_on = surgery_date + timedelta(days=timepoint.end)
        state: PointState
        if timepoint.id in answered_timepoints:
            state = "answered"
        elif closes_on < today:
            state = "missed"
        elif (
            following is not None and next_state is not None and timepoint.id == following.timepoint
        ):
            state = next_state
        else:
            state = "upcoming"
        points.append(
            ScheduledPoint(
                timepoint.id,
                surgery_date + timedelta(days=timepoint.start),
                surgery_date + timedelta(days=timepoint.nominal),
                closes_on,
                state,
            )
        )
    return FollowUpSchedule(points, next_state)
