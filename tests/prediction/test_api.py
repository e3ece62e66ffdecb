"""The Python API others call: intervals that widen with missing predictors, contributions, a
clinic's recalibration, drift between models, and model files that round-trip."""

from pathlib import Path

import numpy as np
import polars as pl
import pytest

from spinetrack import prediction
from spinetrack.prediction.performance import compare_models, recalibrate, validate_table
from spinetrack.prediction.simulate import simulate
from spinetrack.prediction.table import parse_table

from .conftest import Fitted

PATIENT = {
    "patient_id": "p1",
    "instrument": "odi",
    "baseline_score": 52,
    "age": 61,
    "sex": "female",
    "bmi": 31.5,
    "asa": 2,
    "smoker": "true",
    "diabetes": "false",
    "symptom_duration_months": 18,
    "prior_spine_surgery": "false",
    "compensation_claim": "false",
    "psychological_distress": "false",
    "opioid_use": "false",
    "baseline_pain_axial": 6,
    "baseline_pain_limb": 7,
    "region": "lumbar",
    "procedure": "decompression",
    "instrumented": "false",
    "n_levels": 1,
}


def test_one_patient_with_contributions(complete_fit: Fitted) -> None:
    result = prediction.predict(complete_fit.model, [PATIENT])
    assert result.low["improved"][0] < result.improved[0] < result.high["improved"][0]
    assert result.contributions["improved"]["smoker"][0] < 0
    assert result.contributions["improved"]["region"][0] == 0.0  # typical: lumbar
    assert result.missing[0] == 0
    assert result.model_version == complete_fit.model.version_id


def test_the_interval_widens_when_predictors_are_missing(complete_fit: Fitted) -> None:
    table = simulate(400, seed=14).table.drop("followup_score")
    full = prediction.predict(complete_fit.model, table, explain=False)
    blank = {name: None for name in ("bmi", "smoker", "asa", "age")}
    sparse_table = table.with_columns(**{k: pl.lit(v, pl.String) for k, v in blank.items()})
    sparse = prediction.predict(complete_fit.model, sparse_table, explain=False)
    width = full.high["improved"] - full.low["improved"]
    wider = sparse.high["improved"] - sparse.low["improved"]
    assert np.mean(wider) > 1.2 * np.mean(width)
    assert set(sparse.missing.tolist()) == {4}


def test_save_and_load_round_trip(complete_fit: Fitted, tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    prediction.save(complete_fit.model, path)
    loaded = prediction.load(path)
    assert loaded == complete_fit.model
    with pytest.raises(prediction.ModelFileError):
        prediction.load(tmp_path / "absent.json")


def test_a_clinic_recalibrates_and_drift_is_reported(complete_fit: Fitted) -> None:
    other = parse_table(simulate(3000, seed=11, shift=-8.0).table, with_outcome=True)
    before = validate_table(complete_fit.model, other)
    assert before["improved"]["calibration_intercept"]["high"] < 0
    local = recalibrate(complete_fit.model, other)
    assert local.parent_version == complete_fit.model.version_id
    assert local.version_id != complete_fit.model.version_id
    fresh = parse_table(simulate(3000, seed=12, shift=-8.0).table, with_outcome=True)
    after = validate_table(local, fresh)
    assert abs(after["improved"]["calibration_intercept"]["value"]) < 0.1
    drift = compare_models(complete_fit.model, local, fresh)
    assert drift["drifted"] is True
    assert drift["outcomes"]["improved"]["new_drifted"] is False


def test_every_validation_figure_is_finite(complete_fit: Fitted) -> None:
    report = prediction.validate(complete_fit.model, simulate(1000, seed=13).table)
    for outcome in ("improved", "worsened", "pass"):
        assert np.isfinite(report[outcome]["ici"]["value"])
        assert report[outcome]["subgroups"]
