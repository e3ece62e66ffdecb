"""The case-mix model: a surgeon who only looks worse because of whom they operate on is brought
back to the others, a surgeon who is really worse stays worse, and too little data says why."""

import numpy as np
import polars as pl

from spinetrack.analytics.casemix import CaseMixModel, NoModel, adjusted_rates


def cohort(seed: int, own_effect: dict[str, float]) -> pl.DataFrame:
    """Failure depends on baseline disability (and on the surgeon, by ``own_effect``); surgeon
    "Dr Hard" takes the patients with the worst baselines."""
    rng = np.random.default_rng(seed)
    n = 3000
    surgeon = rng.choice(["Dr Hard", "Dr One", "Dr Two", "Dr Three"], n)
    baseline = np.where(surgeon == "Dr Hard", rng.uniform(60, 90, n), rng.uniform(20, 60, n))
    risk = 0.02 + 0.005 * (baseline - 20) + np.vectorize(lambda s: own_effect.get(s, 0.0))(surgeon)
    return pl.DataFrame(
        {
            "failed": rng.random(n) < risk,
            "surgeon": surgeon,
            "age": rng.integers(30, 80, n),
            "levels": rng.integers(1, 3, n),
            "baseline": baseline,
            "sex": rng.choice(["female", "male"], n),
            "region": ["lumbar"] * n,
            "procedure": rng.choice(["fusion", "discectomy"], n),
            "revision": rng.random(n) < 0.1,
        }
    )


def _unadjusted(table: pl.DataFrame) -> dict[str, float]:
    rates = table.group_by("surgeon").agg(pl.col("failed").mean())
    return dict(rates.iter_rows())


def test_a_hard_case_mix_is_not_counted_against_the_surgeon() -> None:
    table = cohort(1, {})
    raw = _unadjusted(table)
    assert raw["Dr Hard"] - raw["Dr One"] > 0.1  # looks far worse before adjustment
    model = adjusted_rates(table)
    assert isinstance(model, CaseMixModel)
    adjusted = {r.surgeon: r.rate for r in model.rates}
    assert abs(adjusted["Dr Hard"] - adjusted["Dr One"]) < 0.05
    assert "baseline disability" in model.terms and "region" not in model.terms  # constant
    assert model.patients == 3000


def test_a_surgeon_who_really_does_worse_stays_worse_after_adjustment() -> None:
    model = adjusted_rates(cohort(2, {"Dr Two": 0.2}))
    assert isinstance(model, CaseMixModel) and model.surgeon_variance > 0
    rates = {r.surgeon: r for r in model.rates}
    two = rates["Dr Two"]
    assert all(two.rate > other.rate + 0.1 for name, other in rates.items() if name != "Dr Two")
    assert two.low is not None and two.high is not None and two.low < two.rate < two.high


def test_one_surgeon_or_a_handful_of_patients_gives_no_model() -> None:
    table = cohort(3, {})
    one = adjusted_rates(table.filter(pl.col("surgeon") == "Dr One"))
    assert isinstance(one, NoModel) and "two surgeons" in one.reason
    few = adjusted_rates(table.head(30))
    assert isinstance(few, NoModel) and "too few" in few.reason
