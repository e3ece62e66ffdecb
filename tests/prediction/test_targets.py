"""The issue's targets on tables from a generating model with known probabilities: held-out
calibration slope 0.9-1.1 and calibration-in-the-large within 0.1, C within 0.02 of the true
model's C, mean absolute difference from the truth at most 0.03 with 4,000 training patients,
95 % intervals covering the truth for at least 90 % of patients, and with 40 % of five predictors
missing the mean difference grows by at most 0.02."""

import numpy as np
import pytest

from spinetrack.prediction import metrics
from spinetrack.prediction.predict import predict_table
from spinetrack.prediction.simulate import Simulated
from spinetrack.prediction.table import Table, outcomes

from .conftest import Fitted


def _truth_and_observed(sim: Simulated, table: Table) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    found = outcomes(table)
    return {
        "improved": (sim.improved, (found.classes == 2).astype(np.int64)),
        "pass": (sim.passed, found.passed),
    }


@pytest.mark.parametrize("outcome", ["improved", "pass"])
def test_held_out_calibration_discrimination_and_error(
    complete_fit: Fitted, held_out: tuple[Simulated, Table], outcome: str
) -> None:
    sim, table = held_out
    predictions = predict_table(complete_fit.model, table)
    predicted = predictions.improved if outcome == "improved" else predictions.passed
    truth, observed = _truth_and_observed(sim, table)[outcome]
    assert 0.9 <= metrics.calibration_slope(predicted, observed).value <= 1.1
    assert abs(metrics.calibration_intercept(predicted, observed).value) <= 0.1
    assert abs(metrics.c_value(predicted, observed) - metrics.c_value(truth, observed)) <= 0.02
    assert np.mean(np.abs(predicted - truth)) <= 0.03
    inside = (predictions.low[outcome] <= truth) & (truth <= predictions.high[outcome])
    assert np.mean(inside) >= 0.90


def test_probabilities_sum_to_one_and_bracket_the_estimate(
    complete_fit: Fitted, held_out: tuple[Simulated, Table]
) -> None:
    predictions = predict_table(complete_fit.model, held_out[1])
    total = predictions.improved + predictions.unchanged + predictions.worsened
    assert np.allclose(total, 1.0, atol=1e-9)
    for outcome, point in (("improved", predictions.improved), ("pass", predictions.passed)):
        assert np.all(predictions.low[outcome] <= point)
        assert np.all(point <= predictions.high[outcome])


def test_worsening_is_predicted_as_its_own_outcome(
    complete_fit: Fitted, held_out: tuple[Simulated, Table]
) -> None:
    sim, table = held_out
    predictions = predict_table(complete_fit.model, table)
    assert np.mean(np.abs(predictions.worsened - sim.worsened)) <= 0.03


def test_missing_predictors_cost_little(
    complete_fit: Fitted, missing_fit: Fitted, held_out: tuple[Simulated, Table]
) -> None:
    sim, table = held_out
    complete = predict_table(complete_fit.model, table).improved
    imputed = predict_table(missing_fit.model, table).improved
    growth = np.mean(np.abs(imputed - sim.improved)) - np.mean(np.abs(complete - sim.improved))
    assert growth <= 0.02
    assert missing_fit.model.patients_with_outcome == len(missing_fit.training)


def test_the_stored_validation_is_optimism_corrected(complete_fit: Fitted) -> None:
    stored = complete_fit.model.validation["improved"]
    for figure in metrics.FIGURES:
        apparent = stored.apparent.figures[figure]
        corrected = stored.corrected.figures[figure]
        assert apparent["low"] <= apparent["value"] <= apparent["high"]
        assert corrected["value"] == pytest.approx(apparent["value"] - stored.optimism[figure])
    assert stored.optimism["c_statistic"] > 0
    assert len(stored.calibration_curve) > 10 and len(stored.decision_curve) > 10
