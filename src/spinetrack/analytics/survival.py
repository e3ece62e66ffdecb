"""Time to revision surgery: Kaplan-Meier revision-free survival by group, fitted with lifelines.

Patients are counted once per distinct follow-up day (with a weight) before fitting, so a registry
of a million patients costs about as much as one with a thousand: the Kaplan-Meier estimate only
depends on the number of events and of censored patients on each day, and lifelines accepts them as
weights (Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. J Am Stat Assoc
1958;53(282):457-481; intervals: lifelines' exponential Greenwood bounds).
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl
from lifelines import KaplanMeierFitter  # type: ignore[import-untyped]

from spinetrack.analytics.intervals import CONFIDENCE

YEAR_DAYS = 365


@dataclass(frozen=True, slots=True)
class SurvivalCurve:
    group: str
    patients: int
    revisions: int
    days: list[float]
    survival: list[float]
    low: list[float]
    high: list[float]
    at_risk: list[int]
    """Patients still followed and unrevised just before each day."""

    def at(self, day: float) -> float | None:
        """Revision-free share on a day (the step function), None beyond the last follow-up."""
        if not self.days or day > self.days[-1]:
            return None
        position = int(np.searchsorted(np.asarray(self.days), day, side="right")) - 1
        return self.survival[max(position, 0)]

    def stopped_below(self, threshold: int) -> "SurvivalCurve":
        """The curve up to the last day on which at least ``threshold`` patients were at risk:
        a step taken among fewer would show what happened to a handful of people."""
        keep = sum(1 for n in self.at_risk if n >= threshold)
        return SurvivalCurve(
            self.group,
            self.patients,
            self.revisions,
            self.days[:keep],
            self.survival[:keep],
            self.low[:keep],
            self.high[:keep],
            self.at_risk[:keep],
        )


def fit_curve(
    group: str,
    days: npt.NDArray[np.float64],
    events: npt.NDArray[np.int64],
    weights: npt.NDArray[np.float64],
) -> SurvivalCurve:
    fitter = KaplanMeierFitter(alpha=1 - CONFIDENCE)
    fitter.fit(days, event_observed=events, weights=weights, label=group)
    band = fitter.confidence_interval_
    return SurvivalCurve(
        group=group,
        patients=int(weights.sum()),
        revisions=int(weights[events.astype(bool)].sum()),
        days=[float(d) for d in fitter.survival_function_.index],
        survival=[float(s) for s in fitter.survival_function_.iloc[:, 0]],
        low=[float(v) for v in band.iloc[:, 0]],
        high=[float(v) for v in band.iloc[:, 1]],
        at_risk=[round(float(v)) for v in fitter.event_table["at_risk"]],
    )


def revision_free(table: pl.DataFrame, group: str) -> list[SurvivalCurve]:
    """One curve per value of ``group`` (largest group first). ``table`` holds one row per patient
    with ``duration`` (days from the first operation to the first revision, or to the end of
    follow-up) and ``revised`` (whether the revision happened)."""
    counted = (
        table.filter(pl.col("duration") >= 0)
        .group_by(group, "duration", "revised")
        .agg(pl.len().alias("weight"))
        .sort(group, "duration", "revised")
    )
    sizes = (
        counted.group_by(group)
        .agg(pl.col("weight").sum())
        .sort("weight", group, descending=[True, False])
    )
    curves = []
    for name in sizes[group].to_list():
        rows = counted.filter(pl.col(group) == name)
        curves.append(
            fit_curve(
                str(name),
                rows["duration"].to_numpy().astype(np.float64),
                rows["revised"].to_numpy().astype(np.int64),
                rows["weight"].to_numpy().astype(np.float64),
            )
        )
    return curves
