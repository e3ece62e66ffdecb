"""Outcomes after surgery: time-point windows, change against baseline (MCID, PASS) and the patient's
status. This is the package's public surface."""

from spinetrack.domain.outcomes.change import Change, ChangeKind, compare
from spinetrack.domain.outcomes.losing_ground import LosingGround, losing_ground
from spinetrack.domain.outcomes.points import ScorePoint
from spinetrack.domain.outcomes.status import (
    OutcomeSummary,
    PatientStatus,
    TimepointChange,
    classify_patient,
)
from spinetrack.domain.outcomes.windows import TimePoint, schedule, timepoint_for

__all__ = [
    "Change",
    "ChangeKind",
    "LosingGround",
    "OutcomeSummary",
    "PatientStatus",
    "ScorePoint",
    "TimePoint",
    "TimepointChange",
    "classify_patient",
    "compare",
    "losing_ground",
    "schedule",
    "timepoint_for",
]
