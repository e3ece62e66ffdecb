"""Change from baseline to a follow-up: improvement, the MCID and deterioration tests, and PASS.

Improvement = baseline - follow-up (a higher score is worse on every instrument here). The
improvement and each percentage of the baseline are rounded half up to 2 decimals before they are
compared, as the contract requires; thresholds come from each instrument's knowledge file.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Literal

from spinetrack.domain.instruments.definition import ChangeThreshold
from spinetrack.domain.instruments.registry import get_instrument
from spinetrack.domain.instruments.rounding import decimal_units, hundredths, percent_of, to_units

ChangeKind = Literal["improved", "worsened", "unchanged"]


@dataclass(frozen=True, slots=True)
class Threshold:
    """A change threshold in exact integers: points in hundredths, plus an optional percentage."""

    points: int
    percent_of_baseline: Decimal | None

    def reached(self, change: int, baseline_units: int) -> bool:
        """Whether a change (in hundredths) reaches this threshold for the given baseline."""
        if change >= self.points:
            return True
        if self.percent_of_baseline is None or baseline_units == 0:
            return False
        return change >= percent_of(baseline_units, self.percent_of_baseline)


@dataclass(frozen=True, slots=True)
class ChangeRules:
    mcid: Threshold
    deterioration: Threshold
    pass_units: int | None
    """The PASS value in units (billionths), or None for an instrument without one."""


def _threshold(source: ChangeThreshold) -> Threshold:
    return Threshold(int(source.points * 100), source.percent_of_baseline)


@cache
def change_rules(instrument: str) -> ChangeRules:
    outcome = get_instrument(instrument).outcome
    return ChangeRules(
        mcid=_threshold(outcome.mcid),
        deterioration=_threshold(outcome.deterioration),
        pass_units=None if outcome.pass_ is None else decimal_units(outcome.pass_.at_most),
    )


@dataclass(frozen=True, slots=True)
class Change:
    improvement: float
    """Baseline minus follow-up, rounded half up to 2 decimals (negative when worse)."""
    change: ChangeKind
    within_pass: bool | None
    """Follow-up at most the PASS value; None for an instrument without a PASS."""


def compare(instrument: str, baseline: float, followup: float) -> Change:
    rules = change_rules(instrument)
    base = to_units(baseline)
    after = to_units(followup)
    improvement = hundredths(base - after)
    # Rounding is symmetric, so the rounded deterioration is exactly -improvement.
    if rules.mcid.reached(improvement, base):
        kind: ChangeKind = "improved"
    elif rules.deterioration.reached(-improvement, base):
        kind = "worsened"
    else:
        kind = "unchanged"
    within = None if rules.pass_units is None else after <= rules.pass_units
    return Change(improvement / 100, kind, within)
