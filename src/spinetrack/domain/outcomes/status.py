"""A patient's outcome status from the PROM history: no_baseline, too_early, succeeding, relapsed or
failing (the PROM-based "PSPS-2 suspected" flag), with the change at every follow-up."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from spinetrack.domain.instruments.rounding import to_units
from spinetrack.domain.outcomes.change import ChangeKind, compare
from spinetrack.domain.outcomes.points import ScorePoint
from spinetrack.domain.outcomes.rules import pain_instruments, status_rules
from spinetrack.domain.outcomes.selection import Series, counted
from spinetrack.domain.outcomes.windows import baseline, rank

PatientStatus = Literal["no_baseline", "too_early", "succeeding", "relapsed", "failing"]


@dataclass(frozen=True, slots=True)
class TimepointChange:
    instrument: str
    timepoint: str
    score: float
    improvement: float
    """Baseline minus this score, rounded half up to 2 decimals."""
    change: ChangeKind
    within_pass: bool | None
    """The contract's `pass`: score at most the PASS value; None where the instrument has none."""


@dataclass(frozen=True, slots=True)
class OutcomeSummary:
    status: PatientStatus
    latest_timepoint: str | None
    disability_instrument: str | None
    disability_improvement: float | None
    pain_improvement: float | None
    timepoints: tuple[TimepointChange, ...]
    """Every follow-up of every instrument that has a baseline, by instrument then time point."""


def _changes(chosen: dict[str, Series]) -> list[TimepointChange]:
    start = baseline().id
    changes = []
    for instrument in sorted(chosen):
        series = chosen[instrument]
        if start not in series:
            continue
        before = series[start].score
        for timepoint in sorted(series, key=rank):
            if timepoint == start:
                continue
            after = series[timepoint].score
            change = compare(instrument, before, after)
            changes.append(
                TimepointChange(
                    instrument,
                    timepoint,
                    after,
                    change.improvement,
                    change.change,
                    change.within_pass,
                )
            )
    return changes


def _pain_improvement(
    changes: list[TimepointChange], chosen: dict[str, Series], at: str
) -> float | None:
    start = baseline().id
    candidates = [c for c in changes if c.timepoint == at and c.instrument in pain_instruments()]
    if not candidates:
        return None
    # Highest baseline first; equal baselines keep name order (candidates are sorted by name).
    best = max(candidates, key=lambda c: to_units(chosen[c.instrument][start].score))
    return best.improvement


def _status(mine: list[TimepointChange], latest: str) -> PatientStatus:
    if rank(latest) < rank(status_rules().judged_from.timepoint):
        return "too_early"
    last = next(c for c in mine if c.timepoint == latest)
    if last.change == "improved" or last.within_pass:
        return "succeeding"
    if any(c.change == "improved" for c in mine if c.timepoint != latest):
        return "relapsed"
    return "failing"


def classify_patient(scores: Iterable[ScorePoint]) -> OutcomeSummary:
    """Classify one patient from their scored responses (any order; days after the index surgery)."""
    chosen = counted(scores)
    changes = _changes(chosen)
    disability = next((i for i in status_rules().disability_instruments if i in chosen), None)
    if disability is None:
        return OutcomeSummary("no_baseline", None, None, None, None, tuple(changes))
    latest = max(chosen[disability], key=rank)
    if baseline().id not in chosen[disability]:
        return OutcomeSummary("no_baseline", latest, disability, None, None, tuple(changes))
    if latest == baseline().id:
        return OutcomeSummary("too_early", latest, disability, None, None, tuple(changes))
    mine = [c for c in changes if c.instrument == disability]
    improvement = next(c.improvement for c in mine if c.timepoint == latest)
    return OutcomeSummary(
        _status(mine, latest),
        latest,
        disability,
        improvement,
        _pain_improvement(changes, chosen, latest),
        tuple(changes),
    )
