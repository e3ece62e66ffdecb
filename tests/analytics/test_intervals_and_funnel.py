"""Wilson intervals and funnel-plot limits against figures computed by hand (and, for Wilson,
against statsmodels' independent implementation)."""

import math

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint  # type: ignore[import-untyped]

from spinetrack.analytics.funnel import ALARM, WARNING, classify, control_limits, funnel_curve
from spinetrack.analytics.intervals import proportion, wilson_bounds, z_value


def test_z_values_are_the_two_sided_normal_quantiles() -> None:
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    assert z_value(0.998) == pytest.approx(3.090232, abs=1e-6)
    with pytest.raises(ValueError):
        z_value(1.0)


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_matches_newcombes_published_examples(
    k: int, n: int, low: float, high: float
) -> None:
    # Newcombe RG. Stat Med 1998;17:857-872, table II, method 3 (score interval without correction).
    p = proportion(k, n)
    assert (round(p.low or 0.0, 4), round(p.high or 0.0, 4)) == (low, high)


def test_a_withheld_count_gives_a_withheld_share() -> None:
    assert proportion(None, 40).withheld and proportion(None, 40).share is None
    assert proportion(3, None).withheld


def test_wilson_interval_of_8_of_10_by_hand() -> None:
    # centre = (8 + z²/2) / (10 + z²) = 9.920729 / 13.841459 = 0.716740
    # half   = z * sqrt(8*2/10 + z²/4) / (10 + z²) = 1.959964 * 1.600114 / 13.841459 = 0.226578
    p = proportion(8, 10)
    assert p.share == 0.8
    assert p.low == pytest.approx(0.490162, abs=2e-6)
    assert p.high == pytest.approx(0.943318, abs=2e-6)


def test_wilson_interval_at_the_edges_stays_inside_0_and_1() -> None:
    none, every = proportion(0, 10), proportion(10, 10)
    assert none.low == 0.0
    assert none.high == pytest.approx(0.277533, abs=1e-6)  # z² / (10 + z²)
    assert every.low == pytest.approx(1 - 0.277533, abs=1e-6)
    assert every.high == 1.0


def test_an_empty_group_has_no_interval() -> None:
    empty = proportion(0, 0)
    assert (empty.k, empty.n) == (0, 0)
    assert empty.share is None and empty.low is None and empty.high is None


def test_wilson_bounds_agree_with_statsmodels_for_many_groups_at_once() -> None:
    rng = np.random.default_rng(3)
    n = rng.integers(1, 500, 200)
    k = rng.integers(0, n + 1)
    low, high = wilson_bounds(k, n)
    expected_low, expected_high = proportion_confint(k, n, alpha=0.05, method="wilson")
    np.testing.assert_allclose(low, expected_low, atol=1e-12)
    np.testing.assert_allclose(high, expected_high, atol=1e-12)


def test_wilson_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError):
        wilson_bounds([11], [10])


def _limit_from_scratch(p0: float, n: int, p: float) -> float:
    """Spiegelhalter 2005, appendix A.1.1, with the binomial sums written out (no scipy)."""
    cumulative, below, r = 0.0, 0.0, -1
    while cumulative < p:
        r += 1
        below = cumulative
        cumulative += math.comb(n, r) * p0**r * (1 - p0) ** (n - r)
    alpha = (cumulative - p) / (cumulative - below)
    return min(max((r - alpha) / n, 0.0), 1.0)


def test_exact_limit_for_four_cases_at_a_half_by_hand() -> None:
    # P(R <= 3) = 15/16 < 0.975 <= P(R <= 4) = 1, so r = 4 and alpha = (1 - 0.975) / (1/16) = 0.4:
    # the upper 95 % limit is (4 - 0.4) / 4 = 0.9. Below: r = 0, alpha = 0.6, (0 - 0.6) / 4 -> 0.
    low, high = control_limits(0.5, [4], WARNING)
    assert high[0] == pytest.approx(0.9)
    assert low[0] == 0.0


@pytest.mark.parametrize("p0", [0.05, 0.12, 0.2, 0.5, 0.8])
@pytest.mark.parametrize("n", [1, 11, 12, 37, 80, 250])
def test_exact_limits_match_the_interpolation_written_out(p0: float, n: int) -> None:
    for confidence in (WARNING, ALARM):
        tail = (1 - confidence) / 2
        low, high = control_limits(p0, [n], confidence)
        assert low[0] == pytest.approx(_limit_from_scratch(p0, n, tail), abs=1e-9)
        assert high[0] == pytest.approx(_limit_from_scratch(p0, n, 1 - tail), abs=1e-9)


def test_exact_limits_approach_the_normal_ones_for_large_n() -> None:
    # Spiegelhalter 2005 section 3.1: for large n the binomial limits are p0 +- z sqrt(p0 q0 / n).
    n = 1_000_000
    for confidence in (WARNING, ALARM):
        low, high = control_limits(0.2, [n], confidence)
        half = z_value(confidence) * math.sqrt(0.2 * 0.8 / n)
        assert low[0] == pytest.approx(0.2 - half, abs=2e-5)
        assert high[0] == pytest.approx(0.2 + half, abs=2e-5)


def test_two_of_twelve_at_five_percent_is_above_the_exact_limit() -> None:
    # The normal approximation puts 0.05 + 1.96 * sqrt(0.05 * 0.95 / 12) = 0.173 above 2/12 =
    # 0.167 ("within"); the exact 97.5 % limit is 0.162, so 2 of 12 is above it.
    _, high = control_limits(0.05, [12], WARNING)
    assert high[0] == pytest.approx(0.16208, abs=1e-5)
    assert classify(0.05, "a", 2, 12).position == "above 95 %"


def test_funnel_limits_narrow_with_more_cases_and_stay_inside_0_and_1() -> None:
    low, high = control_limits(0.05, [4, 100, 10_000], WARNING)
    assert low[0] == 0.0
    assert list(high) == sorted(high, reverse=True)
    assert list(low) == sorted(low)
    low, high = control_limits(0.97, [3, 30], ALARM)
    assert np.all(high <= 1.0) and np.all(low >= 0.0)


def test_units_are_placed_against_both_limits() -> None:
    # p0 0.2, n 100: exact 95 % limits 0.1197-0.2765, 99.8 % limits 0.0810-0.3268.
    assert classify(0.2, "a", 20, 100).position == "within"
    assert classify(0.2, "b", 30, 100).position == "above 95 %"
    assert classify(0.2, "c", 35, 100).position == "above 99.8 %"
    assert classify(0.2, "d", 11, 100).position == "below 95 %"
    assert classify(0.2, "e", 5, 100).position == "below 99.8 %"
    assert classify(0.2, "f", 35, 100, rate=0.21).position == "within"  # an adjusted rate


def test_funnel_curve_spans_one_case_to_the_largest_unit() -> None:
    curve = funnel_curve(0.3, 400, ALARM)
    assert curve["n"][0] == 1 and curve["n"][-1] == pytest.approx(400)
    assert all(lo <= 0.3 <= hi for lo, hi in zip(curve["low"], curve["high"], strict=True))


def test_every_interval_holds_its_observed_share() -> None:
    n = np.arange(1, 3000)
    for k in (np.zeros_like(n), n, n // 3):
        low, high = wilson_bounds(k, n)
        assert np.all(low <= k / n) and np.all(k / n <= high)
