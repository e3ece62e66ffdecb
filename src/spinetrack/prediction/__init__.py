"""Before the operation: each patient's chance of improving, staying about the same or getting worse
at 12 months, and of reaching an acceptable result (PASS), from the registry's own outcomes.

The Python API (what the web page, the API and the command line call)::

    from spinetrack import prediction

    model = prediction.fit_model(table)            # Model; raises TooSmall below the minimum size
    prediction.save(model, "model.json")
    model = prediction.load("model.json")          # ModelFileError for anything else

    result = prediction.predict(model, [{"patient_id": "p1", "instrument": "odi",
                                         "baseline_score": 48, "age": 63, "smoker": "true"}])
    result.improved[0], result.low["improved"][0], result.high["improved"][0]
    result.unchanged[0], result.worsened[0], result.passed[0]    # improved+unchanged+worsened = 1
    result.contributions["improved"]["smoker"][0]  # e.g. -0.06: smoking moved P(improved) down
                                                   # 6 points against a typical (non-smoking) patient
    result.missing[0]                              # predictors imputed for this row
    result.frame()                                 # the contract's CSV columns (polars)

    report = prediction.validate(model, table)     # {"improved": {"n", "c_statistic": {value, low,
                                                   # high}, "calibration_slope", ...}, "pass": ...}
    local = prediction.recalibrate(model, clinic_table)     # the clinic's intercepts and slope
    drift = prediction.compare_models(old, new, latest)     # drift["drifted"] and each figure
    text = prediction.model_card(model, html=False)         # TRIPOD+AI model card

``table`` and ``rows`` may be a polars DataFrame, a CSV or Parquet path, a list of dicts (cells as
text or numbers; absent keys are missing) or a parsed ``Table``; columns are those of
shared/spec/risk.md. A bad cell raises TableError naming the row and column. Stored validation:
``model.validation[outcome]`` holds apparent, optimism and corrected figures, the calibration curve,
the decision curve and calibration by sex and age band; ``model.version_id`` names the model each
stored prediction should carry.

Model choices (proportional odds for the classes, logistic for pass, restricted cubic splines,
ridge penalty then bootstrap uniform shrinkage, multiple imputation, Riley's minimum sample size)
and their sources are in knowledge/prediction/model.yaml."""

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from spinetrack.prediction.card import model_card
from spinetrack.prediction.model import Model, ModelFileError, load, save
from spinetrack.prediction.predict import Predictions
from spinetrack.prediction.table import Table, TableError, TooSmall, parse_table, read_file

TableLike = pl.DataFrame | str | Path | Sequence[Mapping[str, Any]] | Table

__all__ = [
    "Model",
    "ModelFileError",
    "Predictions",
    "Table",
    "TableError",
    "TooSmall",
    "compare_models",
    "fit_model",
    "load",
    "model_card",
    "predict",
    "recalibrate",
    "save",
    "validate",
]


def as_table(table: TableLike, with_outcome: bool) -> Table:
    """Any accepted table form, parsed and checked."""
    if isinstance(table, Table):
        return table
    if isinstance(table, str | Path):
        frame = read_file(table)
    elif isinstance(table, pl.DataFrame):
        frame = table
    else:
        rows = [{k: None if v is None else str(v) for k, v in row.items()} for row in table]
        names = sorted({k for row in rows for k in row})
        frame = pl.DataFrame(
            {n: [row.get(n) for row in rows] for n in names}, schema=dict.fromkeys(names, pl.String)
        )
    return parse_table(frame, with_outcome)


def fit_model(
    table: TableLike,
    *,
    bootstrap: int | None = None,
    imputations: int | None = None,
    seed: int = 25,
    progress: Callable[[str], None] | None = None,
) -> Model:
    """Fit and validate a model on a table with 12-month scores (settings from knowledge/)."""
    from spinetrack.prediction.fit import fit_table

    parsed = as_table(table, with_outcome=True)
    if progress is None:
        return fit_table(parsed, bootstrap, imputations, seed)
    return fit_table(parsed, bootstrap, imputations, seed, progress)


def predict(model: Model, rows: TableLike, *, explain: bool = True, seed: int = 0) -> Predictions:
    """Probabilities with 95 % intervals for every row, in order; ``explain`` adds contributions."""
    from spinetrack.prediction.predict import predict_table

    return predict_table(model, as_table(rows, with_outcome=False), explain=explain, seed=seed)


def validate(model: Model, table: TableLike, *, seed: int = 0) -> dict[str, Any]:
    """The model's performance on a table with outcomes (JSON-ready)."""
    from spinetrack.prediction.performance import validate_table

    return validate_table(model, as_table(table, with_outcome=True), seed)


def recalibrate(model: Model, table: TableLike, *, seed: int = 0) -> Model:
    """The model recalibrated (intercepts and slope) on a clinic's own outcomes."""
    from spinetrack.prediction import performance as judging

    return judging.recalibrate(model, as_table(table, with_outcome=True), seed)


def compare_models(old: Model, new: Model, table: TableLike, *, seed: int = 0) -> dict[str, Any]:
    """Old and new model on the same cohort, with whether calibration has drifted."""
    from spinetrack.prediction import performance as judging

    return judging.compare_models(old, new, as_table(table, with_outcome=True), seed)
