"""A generating model whose true probabilities are known, for tests and benchmarks (never for
clinical use: its effect sizes are invented to be plausible, not taken from a study).

Each patient's 12-month improvement (baseline minus follow-up, in points) is a mean that depends on
the predictors, some of them non-linearly, plus logistic noise; the follow-up score is the baseline
minus that improvement, kept on the 0-100 scale. The classes then come from the instrument's MCID
(10 points or 30 % of baseline, whichever is smaller, as `spinetrack.domain.outcomes` applies it)
and pass from its PASS value, so each true probability is a logistic CDF in closed form."""

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from scipy.special import expit  # type: ignore[import-untyped]

from spinetrack.prediction.arrays import Array

NOISE_SCALE = 8.0
PASS_AT_MOST = {"odi": 22.0, "ndi": 14.0}
MISSABLE = ("bmi", "smoker", "symptom_duration_months", "asa", "psychological_distress")
"""The five predictors the missing-data property blanks (40 % each)."""


@dataclass(frozen=True)
class Simulated:
    table: pl.DataFrame
    """The contract's columns (flags as true/false text, empty cells as null)."""
    improved: Array
    unchanged: Array
    worsened: Array
    passed: Array


def _flag(values: Array) -> list[str]:
    return ["true" if v else "false" for v in values]


def _mean_improvement(c: dict[str, Array]) -> Array:
    age = c["age"]
    mean: Array = (
        22.0
        + 0.40 * (c["baseline_score"] - 45.0)
        - 0.006 * (age - 55.0) ** 2
        - 0.35 * (c["bmi"] - 28.0)
        - 2.5 * (c["asa"] - 2.0)
        - 5.0 * c["smoker"]
        - 2.5 * c["diabetes"]
        - 2.5 * np.log1p(c["symptom_duration_months"])
        - 4.0 * c["prior_spine_surgery"]
        - 5.0 * c["compensation_claim"]
        - 5.0 * c["psychological_distress"]
        - 4.0 * c["opioid_use"]
        + 0.8 * (c["baseline_pain_limb"] - c["baseline_pain_axial"])
        + 3.0 * c["fusion"]
        - 1.5 * (c["n_levels"] - 1.0)
        + 2.0 * c["male"]
    )
    return mean


def _threshold(baseline: Array) -> Array:
    return np.minimum(10.0, 0.3 * baseline)


def simulate(
    n: int, seed: int, missing: tuple[str, ...] = (), share: float = 0.4, shift: float = 0.0
) -> Simulated:
    """``n`` patients with outcomes; ``missing`` predictors blanked for ``share`` of rows (MCAR);
    ``shift`` points added to every mean improvement (another clinic, or drift over time)."""
    rng = np.random.default_rng(seed)
    region = rng.choice(["lumbar", "cervical", "thoracic"], n, p=[0.78, 0.19, 0.03])
    cervical = region == "cervical"
    age = np.clip(rng.normal(57.0, 13.0, n), 18, 90).round(0)
    male = rng.random(n) < 0.5
    bmi = np.clip(rng.normal(28.0, 4.5, n), 16, 50).round(1)
    asa = np.clip(np.round(1.4 + (age - 20) / 40 + rng.normal(0, 0.6, n)), 1, 4)
    smoker = rng.random(n) < 0.22
    diabetes = rng.random(n) < expit(-2.6 + 0.04 * (age - 57) + 0.08 * (bmi - 28))
    duration = np.clip(np.exp(rng.normal(np.log(14), 0.9, n)), 0.5, 240).round(1)
    prior = rng.random(n) < 0.17
    claim = rng.random(n) < 0.1
    distress = rng.random(n) < 0.25
    opioid = rng.random(n) < expit(-1.2 + 1.0 * distress)
    axial = np.clip(np.round(rng.normal(6.0, 2.0, n)), 0, 10)
    limb = np.clip(np.round(rng.normal(6.5, 2.0, n)), 0, 10)
    lumbar_procs = rng.choice(
        ["discectomy", "decompression", "fusion", "laminectomy"], n, p=[0.3, 0.3, 0.3, 0.1]
    )
    cervical_procs = rng.choice(
        ["discectomy", "fusion", "disc_replacement"], n, p=[0.2, 0.65, 0.15]
    )
    procedure = np.where(cervical, cervical_procs, lumbar_procs)
    fusion = procedure == "fusion"
    instrumented = fusion | (procedure == "disc_replacement")
    levels = np.where(fusion, rng.integers(1, 4, n), rng.integers(1, 3, n)).astype(np.float64)
    instrument = np.where(cervical, "ndi", "odi")
    baseline = np.clip(rng.normal(np.where(cervical, 40.0, 46.0), 13.0), 8, 88).round(1)
    columns = {
        "baseline_score": baseline,
        "age": age,
        "bmi": bmi,
        "asa": asa,
        "smoker": smoker * 1.0,
        "diabetes": diabetes * 1.0,
        "symptom_duration_months": duration,
        "prior_spine_surgery": prior * 1.0,
        "compensation_claim": claim * 1.0,
        "psychological_distress": distress * 1.0,
        "opioid_use": opioid * 1.0,
        "baseline_pain_axial": axial,
        "baseline_pain_limb": limb,
        "fusion": fusion * 1.0,
        "n_levels": levels,
        "male": male * 1.0,
    }
    mean = _mean_improvement(columns) + shift
    change = mean + NOISE_SCALE * rng.logistic(size=n)
    followup = np.clip(baseline - change, 0, 100)
    limit = _threshold(baseline)
    improved = expit((mean - limit) / NOISE_SCALE)
    worsened = expit((-limit - mean) / NOISE_SCALE)
    pass_at = np.where(cervical, PASS_AT_MOST["ndi"], PASS_AT_MOST["odi"])
    passed = expit((mean - (baseline - pass_at)) / NOISE_SCALE)
    data: dict[str, list[Any]] = {
        "patient_id": [f"P{i:07d}" for i in range(n)],
        "instrument": list(instrument),
        "baseline_score": list(baseline),
        "followup_score": list(followup),
        "age": list(age),
        "sex": ["male" if m else "female" for m in male],
        "bmi": list(bmi),
        "asa": [int(a) for a in asa],
        "smoker": _flag(smoker),
        "diabetes": _flag(diabetes),
        "symptom_duration_months": list(duration),
        "prior_spine_surgery": _flag(prior),
        "compensation_claim": _flag(claim),
        "psychological_distress": _flag(distress),
        "opioid_use": _flag(opioid),
        "baseline_pain_axial": list(axial),
        "baseline_pain_limb": list(limb),
        "region": list(region),
        "procedure": list(procedure),
        "instrumented": _flag(instrumented),
        "n_levels": [int(v) for v in levels],
    }
    for name in missing:
        blank = rng.random(n) < share
        data[name] = [None if b else v for v, b in zip(data[name], blank, strict=True)]
    table = pl.DataFrame({k: pl.Series(k, v, strict=False) for k, v in data.items()})
    return Simulated(table, improved, 1.0 - improved - worsened, worsened, passed)
