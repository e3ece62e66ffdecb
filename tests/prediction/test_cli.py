"""`spinetrack risk fit|predict|validate` per shared/spec/risk.md: CSV and Parquet by suffix, the
predict header to the character, JSON with improved and pass, exit 2 naming row and column, exit 3
with the numbers below the minimum sample size."""

import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from spinetrack.cli.main import app
from spinetrack.prediction import save
from spinetrack.prediction.simulate import simulate

from .conftest import Fitted

runner = CliRunner()
HEADER = "patient_id,p_improved,p_improved_low,p_improved_high,p_unchanged,p_worsened,p_pass"
FIGURES = ("c_statistic", "calibration_slope", "calibration_intercept", "brier", "ici")


@pytest.fixture(scope="module")
def model_file(complete_fit: Fitted, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("risk") / "model.json"
    save(complete_fit.model, path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_predict_writes_one_row_per_input_row_in_order(
    model_file: Path, tmp_path: Path, suffix: str
) -> None:
    table = simulate(50, seed=3).table.drop("followup_score")
    table = table.with_columns(
        pl.when(pl.int_range(50) % 3 == 0).then(None).otherwise(pl.col("bmi")).alias("bmi")
    )
    path = tmp_path / f"rows{suffix}"
    table.write_csv(path) if suffix == ".csv" else table.write_parquet(path)
    result = runner.invoke(app, ["risk", "predict", "--model", str(model_file), str(path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0] == HEADER
    rows = pl.read_csv(result.stdout.encode())
    assert rows["patient_id"].to_list() == table["patient_id"].to_list()
    total = rows["p_improved"] + rows["p_unchanged"] + rows["p_worsened"]
    assert ((total - 1).abs() <= 0.001).all()
    assert (rows["p_improved_low"] <= rows["p_improved"]).all()
    assert (rows["p_improved"] <= rows["p_improved_high"]).all()
    assert all(len(v.split(".")[-1]) <= 4 for v in lines[1].split(",")[1:])


def test_validate_prints_both_outcomes_with_intervals(model_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "cohort.parquet"
    simulate(1500, seed=5).table.write_parquet(path)
    result = runner.invoke(app, ["risk", "validate", "--model", str(model_file), str(path)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    for outcome in ("improved", "pass"):
        assert report[outcome]["n"] == 1500
        for figure in FIGURES:
            entry = report[outcome][figure]
            assert entry["low"] <= entry["value"] <= entry["high"]


def test_fit_writes_a_model_and_refuses_a_small_table_with_the_numbers(tmp_path: Path) -> None:
    small = tmp_path / "small.csv"
    simulate(400, seed=6).table.write_csv(small)
    result = runner.invoke(app, ["risk", "fit", str(small), "--out", str(tmp_path / "m.json")])
    assert result.exit_code == 3
    assert "400 patients" in result.stderr and "minimum" in result.stderr
    assert not (tmp_path / "m.json").exists()
    big = tmp_path / "big.csv"
    simulate(3500, seed=7).table.write_csv(big)
    out = tmp_path / "model.json"
    args = ["risk", "fit", str(big), "--out", str(out), "--bootstrap", "4", "--imputations", "2"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["patients_with_outcome"] == 3500


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("bmi", "heavy", "is not a number"),
        ("age", "150", "is outside 0-120"),
        ("smoker", "yes", "is not true or false"),
        ("asa", "2.5", "is not a whole number"),
        ("procedure", "magic", "is not one of"),
        ("sex", "other", "is not one of female, male"),
    ],
)
def test_a_bad_cell_names_its_row_and_column(
    model_file: Path, tmp_path: Path, column: str, value: str, problem: str
) -> None:
    table = simulate(5, seed=8).table.with_columns(pl.col(column).cast(pl.String))
    table = table.with_columns(
        pl.when(pl.int_range(5) == 3).then(pl.lit(value)).otherwise(pl.col(column)).alias(column)
    )
    path = tmp_path / "bad.csv"
    table.write_csv(path)
    result = runner.invoke(app, ["risk", "predict", "--model", str(model_file), str(path)])
    assert result.exit_code == 2
    assert f"data row 4, column {column}: '{value}' {problem}" in result.stderr


def test_a_missing_column_and_a_damaged_model_are_exit_2(model_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    simulate(5, seed=9).table.drop("bmi").write_csv(path)
    result = runner.invoke(app, ["risk", "predict", "--model", str(model_file), str(path)])
    assert result.exit_code == 2 and "bmi" in result.stderr
    damaged = tmp_path / "damaged.json"
    damaged.write_text('{"format": "spinetrack-risk-model", "format_version": 1}')
    good = tmp_path / "good.csv"
    simulate(5, seed=9).table.write_csv(good)
    result = runner.invoke(app, ["risk", "predict", "--model", str(damaged), str(good)])
    assert result.exit_code == 2 and "damaged model file" in result.stderr


def test_the_card_is_generated_from_the_model(model_file: Path) -> None:
    result = runner.invoke(app, ["risk", "card", "--model", str(model_file)])
    assert result.exit_code == 0
    for heading in ("## Sample size", "## Missing data", "## Model performance", "## Outcome"):
        assert heading in result.stdout
    html = runner.invoke(app, ["risk", "card", "--model", str(model_file), "--html"])
    assert html.stdout.startswith("<!doctype html>") and "<table>" in html.stdout
    # The HTML card draws the calibration and decision curve of each outcome; the Markdown one
    # keeps them as numbers.
    assert html.stdout.count('<figure class="plots"><svg') == 3
    assert "<svg" not in result.stdout and "Smoothed calibration" in result.stdout
