"""Losing ground: the latest disability score is worse than the patient's best follow-up by at
least the instrument's MCID (rule and source in knowledge/outcomes/losing_ground.yaml).

The contract's status compares each follow-up with baseline, so a patient who went from ODI 56 to
18 and back to 42 still reads "succeeding"; this signal names that late loss without changing the
status."""

from dataclasses import dataclass
from functools import cache
from typing import Literal

from spinetrack.domain.instruments.rounding import hundredths, to_units
from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.outcomes.change import change_rules
from spinetrack.domain.outcomes.status import OutcomeSummary
from spinetrack.domain.outcomes.windows import rank
from spinetrack.domain.sources import Sources

RULE_FILE = "outcomes/losing_ground.yaml"


class LosingGroundRule(KnowledgeModel):
    sources: Sources
    compare: Literal["latest_with_best_followup"]
    threshold: Literal["mcid_points"]
    note: str


@cache
def losing_ground_rule() -> LosingGroundRule:
    return parse(RULE_FILE, LosingGroundRule)


@dataclass(frozen=True, slots=True)
class LosingGround:
    """What the signal rests on, for the page to say in words."""

    instrument: str
    best_timepoint: str
    best_score: float
    latest_timepoint: str
    latest_score: float
    worse_by: float
    threshold: float
    sources: tuple[str, ...]


def losing_ground(summary: OutcomeSummary) -> LosingGround | None:
    """The signal for a classified patient, or None when the latest score holds (or there is no
    earlier follow-up of the disability instrument to compare with)."""
    rule = losing_ground_rule()
    instrument, latest = summary.disability_instrument, summary.latest_timepoint
    if instrument is None or latest is None:
        return None
    followups = [c for c in summary.timepoints if c.instrument == instrument]
    last = next((c for c in followups if c.timepoint == latest), None)
    earlier = [c for c in followups if rank(c.timepoint) < rank(latest)]
    if last is None or not earlier:
        return None
    best = min(earlier, key=lambda c: (to_units(c.score), rank(c.timepoint)))
    worse = hundredths(to_units(last.score) - to_units(best.score))
    needed = change_rules(instrument).mcid.points
    if worse < needed:
        return None
    return LosingGround(
        instrument=instrument,
        best_timepoint=best.timepoint,
        best_score=best.score,
        latest_timepoint=latest,
        latest_score=last.score,
        worse_by=worse / 100,
        threshold=needed / 100,
        sources=tuple(rule.sources),
    )
