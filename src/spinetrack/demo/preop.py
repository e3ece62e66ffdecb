"""The demo clinic's pre-operative record: predictors drawn per patient (from their own random
stream, so the rest of the cohort is drawn as before), and how much they change the chance that
the operation does not succeed and how much disability is left at recovery.

The directions come from the studies cited in knowledge/prediction/demo_effects.yaml; the sizes
are the demo's own choice, of the order those studies report. BMI, ASA, diabetes and earlier
spine surgery are recorded but do not change the demo's outcomes (no effect is claimed)."""

import math
from dataclasses import dataclass
from functools import cache
from typing import TypeVar

import numpy as np

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.registry.preop import preop_knowledge
from spinetrack.domain.sources import Sources

T = TypeVar("T")


class Effect(KnowledgeModel):
    failure_odds: float
    residual_points: float
    months: float | None = None
    sources: Sources


class Worsening(KnowledgeModel):
    share_of_failures: float
    extra_disability: tuple[float, float]
    sources: Sources


class DemoEffects(KnowledgeModel):
    sources: Sources
    odds_divisor: float
    effects: dict[str, Effect]
    worsening: Worsening


@cache
def demo_effects() -> DemoEffects:
    return parse("prediction/demo_effects.yaml", DemoEffects)


@dataclass(frozen=True, slots=True)
class DemoPreop:
    bmi: float | None
    asa: int | None
    smoker: bool | None
    diabetes: bool | None
    symptom_duration_months: float | None
    prior_spine_surgery: bool | None
    compensation_claim: bool | None
    psychological_distress: bool | None
    phq9: int | None
    opioid_use: bool | None
    baseline_pain_axial: int | None
    baseline_pain_limb: int | None

    def present(self) -> set[str]:
        """The outcome-changing factors this patient has."""
        found = {
            name for name in ("smoker", "compensation_claim", "opioid_use") if getattr(self, name)
        }
        cutoff = preop_knowledge().questionnaires["phq9"].cutoff
        by_score = self.phq9 is not None and self.phq9 >= cutoff
        if self.psychological_distress or (self.psychological_distress is None and by_score):
            found.add("psychological_distress")
        limit = demo_effects().effects["long_symptom_duration"].months or 12.0
        if self.symptom_duration_months is not None and self.symptom_duration_months > limit:
            found.add("long_symptom_duration")
        return found

    def failure_odds(self) -> float:
        known = demo_effects()
        return math.prod(known.effects[k].failure_odds for k in self.present()) / known.odds_divisor

    def residual(self) -> float:
        effects = demo_effects().effects
        return sum(effects[k].residual_points for k in self.present())


def _maybe(rng: np.random.Generator, value: T, missing: float = 0.08) -> T | None:
    """About one value in twelve left unknown, as on a real admission form."""
    return None if rng.random() < missing else value


def _clip(value: float, low: float, high: float) -> float:
    """`np.clip` for one number, without making an array of it (one call per patient each)."""
    return min(max(value, low), high)


def draw_preop(rng: np.random.Generator, age: int, pains: tuple[float, float]) -> DemoPreop:
    bmi = round(_clip(rng.normal(28.0, 4.8), 17.0, 48.0), 1)
    asa = int(_clip(round(1.3 + (age - 25) / 40 + rng.normal(0, 0.55)), 1, 4))
    distressed = bool(rng.random() < 0.24)
    phq9 = int(_clip(rng.normal(14 if distressed else 5, 3), 0, 27))
    by_score = rng.random() < 0.5  # half the clinic records a PHQ-9, half a yes/no answer
    return DemoPreop(
        bmi=_maybe(rng, bmi),
        asa=_maybe(rng, asa),
        smoker=_maybe(rng, bool(rng.random() < 0.21)),
        diabetes=_maybe(rng, bool(rng.random() < 0.12 + 0.004 * max(0, age - 50))),
        symptom_duration_months=_maybe(
            rng, round(_clip(float(np.exp(rng.normal(np.log(10), 0.8))), 1.0, 240.0), 1)
        ),
        prior_spine_surgery=_maybe(rng, bool(rng.random() < 0.14)),
        compensation_claim=_maybe(rng, bool(rng.random() < 0.09)),
        psychological_distress=None if by_score else distressed,
        phq9=phq9 if by_score else None,
        opioid_use=_maybe(rng, bool(rng.random() < 0.27)),
        baseline_pain_axial=_maybe(rng, round(pains[0] * 10)),
        baseline_pain_limb=_maybe(rng, round(pains[1] * 10)),
    )
