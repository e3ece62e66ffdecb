"""Case-mix-adjusted surgeon comparison: a linear mixed model of failure (0/1) with the patient's
age, sex, region, procedure, number of levels, revision status and baseline disability as fixed
effects and the surgeon as a random intercept (statsmodels MixedLM, REML).

Unadjusted differences between surgeons or hospitals mostly reflect whom they operate on: in
NORspine's cervical data, unadjusted differences of up to 25 % fell to 1.9-3.6 % after adjustment
(field notes 1.1, Werner & Avellan), and the Spine Tango authors warn against comparisons without
adjustment. A surgeon's adjusted rate is the practice rate plus the surgeon's predicted random
effect, i.e. the failure rate expected had that surgeon treated the whole practice's case mix; the
shrinkage of the random effect also tempers the extremes of surgeons with few patients. A linear
probability model keeps the effects on the rate scale the funnel plot uses. Large registries are
fitted on a seeded random sample (MODEL_SAMPLE patients), which fixes the fitting time; the sample
size is reported beside the result.
"""

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import polars as pl
import statsmodels.formula.api as smf  # type: ignore[import-untyped]

from spinetrack.analytics.intervals import CONFIDENCE, z_value

MODEL_SAMPLE = 20_000
NUMERIC = ("age", "levels", "baseline")
CATEGORICAL = ("sex", "region", "procedure", "revision")
READABLE = {
    "baseline": "baseline disability",
    "levels": "number of levels",
    "revision": "revision status",
}


@dataclass(frozen=True, slots=True)
class AdjustedRate:
    surgeon: str
    patients: int
    rate: float
    low: float | None
    high: float | None
    """The 95 % interval of the predicted surgeon effect; None when the model found no
    variation between surgeons (every adjusted rate is then the practice rate)."""


@dataclass(frozen=True)
class CaseMixModel:
    rates: list[AdjustedRate]
    patients: int
    """How many patients the model was fitted on (a sample of the cohort when it is large)."""
    terms: tuple[str, ...]
    """The fixed effects that varied in the cohort and so entered the model."""
    surgeon_variance: float
    converged: bool


@dataclass(frozen=True)
class NoModel:
    reason: str


def _design(table: pl.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    complete = table.drop_nulls(["failed", "surgeon", *NUMERIC, *CATEGORICAL])
    selected = complete.select(
        pl.col("failed").cast(pl.Float64),
        "surgeon",
        *(pl.col(c).cast(pl.Float64) for c in NUMERIC),
        *(pl.col(c).cast(pl.String) for c in CATEGORICAL),
    )
    frame = pd.DataFrame({column: selected[column].to_numpy() for column in selected.columns})
    terms = [c for c in NUMERIC if frame[c].nunique() > 1]
    terms += [f"C({c})" for c in CATEGORICAL if frame[c].nunique() > 1]
    return frame, terms


def adjusted_rates(table: pl.DataFrame, *, seed: int = 2026) -> CaseMixModel | NoModel:
    """Fit the model on judged patients. ``table`` columns: failed (bool), surgeon, age, levels,
    baseline, sex, region, procedure, revision."""
    if table.height > MODEL_SAMPLE:
        table = table.sample(MODEL_SAMPLE, seed=seed)
    frame, terms = _design(table)
    surgeons = frame["surgeon"].nunique()
    if surgeons < 2:
        return NoModel("a comparison needs at least two surgeons with judged patients")
    if len(frame) < 10 * (len(terms) + 2):
        return NoModel(f"too few judged patients ({len(frame)}) to adjust for case mix")
    formula = "failed ~ " + (" + ".join(terms) if terms else "1")
    names = tuple(READABLE.get(t.strip("C()"), t.strip("C()")) for t in terms)
    # Powell's method: the gradient methods stopped at a zero surgeon variance on data with a
    # real surgeon effect. Its boundary and convergence warnings are summed up in ``converged``.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = smf.mixedlm(formula, frame, groups=frame["surgeon"])
        result = model.fit(reml=True, method=["powell"])
    converged = bool(result.converged)
    overall = float(frame["failed"].mean())
    variance = float(np.asarray(result.cov_re)[0, 0])
    counts = frame["surgeon"].value_counts()
    if variance <= 1e-12:
        # The surgeon variance sits on its boundary (0): the model sees no surgeon differing beyond
        # case mix and chance, so every surgeon's adjusted rate is the practice rate.
        rates = [
            AdjustedRate(str(s), int(counts[s]), overall, None, None) for s in sorted(counts.index)
        ]
        return CaseMixModel(rates, len(frame), names, 0.0, converged)
    z = z_value(CONFIDENCE)
    rates = []
    for surgeon, effect in sorted(result.random_effects.items()):
        shift = float(np.asarray(effect)[0])
        posterior = float(np.asarray(result.random_effects_cov[surgeon])[0, 0])
        spread = float(np.sqrt(max(posterior, 0.0)))
        rate = overall + shift
        rates.append(
            AdjustedRate(
                str(surgeon), int(counts[surgeon]), rate, rate - z * spread, rate + z * spread
            )
        )
    return CaseMixModel(rates, len(frame), names, variance, converged)
