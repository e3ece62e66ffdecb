"""Follow-up time points: which window a day after surgery falls in, and the whole schedule (for what
is due next). The windows and nominal days are data in knowledge/outcomes/windows.yaml."""

from functools import cache
from typing import Self

from pydantic import Field, model_validator

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.sources import Sources

WINDOWS_FILE = "outcomes/windows.yaml"


class TimePoint(KnowledgeModel):
    id: str = Field(min_length=1)
    label: str | None = None
    """How letters and reports name the time point in words ("6 months")."""
    start: int
    """First day after surgery in the window (included)."""
    end: int
    """Last day after surgery in the window (included)."""
    nominal: int
    """The target day; within the window the response closest to it counts."""
    sources: Sources

    @model_validator(mode="after")
    def _nominal_inside(self) -> Self:
        if not self.start <= self.nominal <= self.end:
            raise ValueError(f"{self.id}: nominal day must lie within {self.start}..{self.end}")
        return self


class FollowUpTiming(KnowledgeModel):
    """When a time point counts as due and overdue (used by domain/outcomes/followup.py)."""

    due_soon_days: int = Field(ge=0)
    """A time point is due from this many days before its nominal day."""
    overdue_after_days: int = Field(ge=0)
    """...and overdue once this many days have passed after the nominal day."""
    sources: Sources


class Schedule(KnowledgeModel):
    sources: Sources
    timepoints: tuple[TimePoint, ...] = Field(min_length=2)
    followup: FollowUpTiming

    @model_validator(mode="after")
    def _ordered_without_overlap(self) -> Self:
        for before, after in zip(self.timepoints, self.timepoints[1:], strict=False):
            if after.start <= before.end:
                raise ValueError(f"{after.id} must start after {before.id} ends")
        if self.timepoints[0].end > 0 or self.timepoints[1].start <= 0:
            raise ValueError("the first time point is the baseline: it alone ends by day 0")
        return self


@cache
def _schedule() -> Schedule:
    return parse(WINDOWS_FILE, Schedule)


def followup_timing() -> FollowUpTiming:
    """The day counts that make a time point due or overdue."""
    return _schedule().followup


def schedule() -> list[TimePoint]:
    """Every time point in order, the baseline first."""
    return list(_schedule().timepoints)


def baseline() -> TimePoint:
    return _schedule().timepoints[0]


def window_of(days_after_surgery: int) -> TimePoint | None:
    """The time point whose window holds this day, or None between and beyond the windows."""
    for timepoint in _schedule().timepoints:
        if timepoint.start <= days_after_surgery <= timepoint.end:
            return timepoint
    return None


def timepoint_for(days_after_surgery: int) -> str | None:
    """The id of the time point whose window holds this day, or None."""
    timepoint = window_of(days_after_surgery)
    return None if timepoint is None else timepoint.id


def rank(timepoint_id: str) -> int:
    """Position of a time point in the schedule (baseline = 0)."""
    for position, timepoint in enumerate(_schedule().timepoints):
        if timepoint.id == timepoint_id:
            return position
    raise KeyError(timepoint_id)
