"""Revision-free survival: a hand-computed Kaplan-Meier estimate, and the weighted (one row per
day) fit against lifelines fitted directly on one row per patient."""

import numpy as np
import polars as pl
import pytest
from lifelines import KaplanMeierFitter  # type: ignore[import-untyped]

from spinetrack.analytics.survival import revision_free


def test_kaplan_meier_by_hand() -> None:
    # days 1 2 2 3 4; revised at 1, 2 and 3; the other day-2 patient and the day-4 one censored.
    table = pl.DataFrame(
        {
            "group": ["fusion"] * 5,
            "duration": [1, 2, 2, 3, 4],
            "revised": [True, True, False, True, False],
        }
    )
    (curve,) = revision_free(table, "group")
    assert (curve.patients, curve.revisions) == (5, 3)
    assert curve.at(0) == 1.0
    assert curve.at(1) == pytest.approx(4 / 5)
    assert curve.at(2) == pytest.approx(4 / 5 * 3 / 4)
    assert curve.at(3) == pytest.approx(4 / 5 * 3 / 4 * 1 / 2)
    assert curve.at(4) == pytest.approx(0.3)
    assert curve.at(5) is None


def test_weighted_fit_matches_lifelines_on_every_patient() -> None:
    rng = np.random.default_rng(11)
    n = 4000
    groups = rng.choice(["fusion", "discectomy", "decompression"], n, p=[0.5, 0.3, 0.2])
    durations = rng.integers(0, 1500, n)
    revised = rng.random(n) < 0.1
    table = pl.DataFrame({"procedure": groups, "duration": durations, "revised": revised})
    curves = revision_free(table, "procedure")
    assert [c.group for c in curves] == ["fusion", "discectomy", "decompression"]
    for curve in curves:
        mine = groups == curve.group
        direct = KaplanMeierFitter(alpha=0.05).fit(durations[mine], revised[mine])
        expected = direct.survival_function_.iloc[:, 0]
        np.testing.assert_allclose(curve.survival, expected.to_numpy(), atol=1e-12)
        np.testing.assert_allclose(curve.days, expected.index.to_numpy())
        band = direct.confidence_interval_
        np.testing.assert_allclose(curve.low, band.iloc[:, 0].to_numpy(), atol=1e-9)
        np.testing.assert_allclose(curve.high, band.iloc[:, 1].to_numpy(), atol=1e-9)
        assert curve.patients == int(mine.sum())
        assert curve.revisions == int(revised[mine].sum())
