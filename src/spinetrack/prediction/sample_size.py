"""The minimum sample size for developing the model (Riley et al., BMJ 2020), checked before any
fitting. Implemented here from the paper because `pmsampsize` is not installable from this
project's package index; the three criteria are short closed forms.

For a model with p parameters and an anticipated Cox-Snell R2 (R2cs), with R2max the largest
R2cs the outcome's prevalence allows (1 - exp(2 x null log-likelihood / n)):
1. expected uniform shrinkage >= S:        n = p / ((S - 1) ln(1 - R2cs / S))
2. optimism in Nagelkerke's R2 <= delta:   the same with S = R2cs / (R2cs + delta x R2max)
3. the overall proportion within +/- margin: n = (1.96 / margin)^2 phi (1 - phi)
The same derivation (van Houwelingen's shrinkage heuristic) holds for any likelihood; for the
ordinal model R2max comes from the entropy of the three classes, and criterion 3 is applied to
each cumulative split."""

import math
from dataclasses import dataclass

from spinetrack.prediction.settings import settings

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Criterion:
    outcome: str
    name: str
    minimum: int
    detail: str


@dataclass(frozen=True)
class SampleSize:
    parameters: int
    available: int
    criteria: tuple[Criterion, ...]

    @property
    def minimum(self) -> int:
        return max(c.minimum for c in self.criteria)

    @property
    def binding(self) -> Criterion:
        return max(self.criteria, key=lambda c: c.minimum)

    @property
    def enough(self) -> bool:
        return self.available >= self.minimum

    def explain(self) -> str:
        worst = self.binding
        return (
            f"{self.available} patients with a 12-month outcome; the minimum for a model with "
            f"{self.parameters} parameters is {self.minimum} (Riley et al. BMJ 2020, "
            f"{worst.outcome}: {worst.name}, {worst.detail})"
        )


def _shrinkage_n(p: int, r2: float, shrinkage: float) -> int:
    return math.ceil(p / ((shrinkage - 1.0) * math.log(1.0 - r2 / shrinkage)))


def _criteria(outcome: str, p: int, shares: list[float]) -> list[Criterion]:
    rules = settings().sample_size
    entropy = sum(s * math.log(s) for s in shares if s > 0)
    r2_max = 1.0 - math.exp(2.0 * entropy)
    r2 = rules.anticipated_share_of_max_r2 * r2_max
    shrink_new = r2 / (r2 + rules.r2_optimism * r2_max)
    found = [
        Criterion(
            outcome,
            "expected shrinkage",
            _shrinkage_n(p, r2, rules.shrinkage),
            f"shrinkage >= {rules.shrinkage}, anticipated Cox-Snell R2 {r2:.3f}",
        ),
        Criterion(
            outcome,
            "optimism of Nagelkerke R2",
            _shrinkage_n(p, r2, shrink_new),
            f"optimism <= {rules.r2_optimism}, maximum Cox-Snell R2 {r2_max:.3f}",
        ),
    ]
    at_least = 1.0
    for share in shares[:-1]:
        at_least -= share
        need = math.ceil((Z95 / rules.margin) ** 2 * at_least * (1.0 - at_least))
        found.append(
            Criterion(
                outcome, "overall proportion", need, f"proportion {at_least:.3f} +/- {rules.margin}"
            )
        )
    return found


def minimum_sample_size(
    parameters: int, available: int, class_shares: list[float], pass_share: float
) -> SampleSize:
    """Every criterion for the ordinal classes and for pass, for ``parameters`` coefficients."""
    criteria = _criteria("improved/unchanged/worsened", parameters, class_shares)
    criteria += _criteria("pass", parameters, [1.0 - pass_share, pass_share])
    return SampleSize(parameters, available, tuple(criteria))
