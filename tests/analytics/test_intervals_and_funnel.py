"""Wilson intervals and funnel-plot limits against figures computed by hand (and, for Wilson,
against statsmodels' independent implementation)."""

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
    assert proportion(0, 0) == proportion(0, 0)
    assert proportion(0, 0).share is None and proportion(0, 0).low is None


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


def test_funnel_limits_for_a_rate_of_20_percent_at_100_cases_by_hand() -> None:
    # standard error sqrt(0.2 * 0.8 / 100) = 0.04
    low, high = control_limits(0.2, [100], WARNING)
    assert (low[0], high[0]) == pytest.approx((0.2 - 1.959964 * 0.04, 0.2 + 1.959964 * 0.04))
    low, high = control_limits(0.2, [100], ALARM)
    assert (low[0], high[0]) == pytest.approx((0.076391, 0.323609), abs=1e-6)


def test_funnel_limits_narrow_with_more_cases_and_are_clipped_at_zero() -> None:
    low, high = control_limits(0.05, [4, 100, 10_000], WARNING)
    assert low[0] == 0.0  # 0.05 - 1.96 * 0.109 would be negative
    assert list(high) == sorted(high, reverse=True)
    assert high[2] - low[2] == pytest.approx(2 * 1.959964 * np.sqrt(0.05 * 0.95 / 10_000))


def test_units_are_placed_against_both_limits() -> None:
    assert classify(0.2, "a", 20, 100).position == "within"
    assert classify(0.2, "b", 30, 100).position == "above 95 %"  # 0.300 > 0.2784, < 0.3236
    assert classify(0.2, "c", 35, 100).position == "above 99.8 %"
    assert classify(0.2, "d", 12, 100).position == "below 95 %"  # 0.120 < 0.1216, > 0.0764
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
