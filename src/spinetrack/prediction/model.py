"""The model file: everything needed to predict, explain and judge a fitted model, as JSON.

A model file is what a registry hands to a clinic, so it is self-contained and versioned: a version
id, the fit time, a fingerprint of the data, the predictors and their design, the pooled
coefficients with their covariance, the imputation models for new patients, the sample-size check
and the validation (apparent and optimism-corrected). It holds no patient-level data."""

import json
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from spinetrack.domain.errors import SpinetrackError
from spinetrack.prediction.arrays import Array
from spinetrack.prediction.design import Term
from spinetrack.prediction.imputation import Coding, Conditional

FORMAT = "spinetrack-risk-model"
FORMAT_VERSION = 1


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Submodel(_Frozen):
    """One fitted cumulative-logit model on the standardised design, pooled over imputations."""

    outcome: Literal["classes", "pass"]
    classes: tuple[str, ...]
    penalty: float
    """The ridge penalty chosen by the corrected AIC."""
    edf: float
    shrinkage: float = 1.0
    """The uniform shrinkage applied after the ridge fit (the bootstrap calibration slope)."""
    intercepts: list[float]
    coef: list[float]
    partial: list[float] = Field(default_factory=list)
    """Coefficients of the partial-proportional-odds columns on the first cumulative logit."""
    covariance: list[list[float]]
    """Rubin's total covariance of (intercepts, coef, partial): within + (1 + 1/M) x between."""


class Recalibration(_Frozen):
    """A clinic's own intercepts and slope on the linear predictor (logistic recalibration)."""

    intercepts: list[float]
    slope: float
    partial_slope: float = 1.0
    """Multiplies the partial-proportional-odds term of the first cumulative logit."""
    intercept_variance: list[float]
    n: int
    fitted_at: str


class FigureSet(_Frozen):
    n: int
    figures: dict[str, dict[str, float]]


class OutcomeValidation(_Frozen):
    apparent: FigureSet
    optimism: dict[str, float]
    corrected: FigureSet
    calibration_curve: list[dict[str, float]]
    decision_curve: list[dict[str, float]]
    subgroups: list[dict[str, object]] = Field(default_factory=list)


class SampleSizeRecord(_Frozen):
    parameters: int
    available: int
    minimum: int
    criteria: list[dict[str, object]]


class Model(_Frozen):
    format: Literal["spinetrack-risk-model"] = "spinetrack-risk-model"
    format_version: int = FORMAT_VERSION
    version_id: str
    parent_version: str | None = None
    fitted_at: str
    data_fingerprint: str
    knowledge_version: str
    settings: dict[str, object]
    rows: int
    patients_with_outcome: int
    lost_to_followup: int
    class_shares: dict[str, float]
    missing_shares: dict[str, float]
    predictors: list[str]
    terms: list[Term]
    center: list[float]
    scale: list[float]
    partial_columns: list[int] = Field(default_factory=list)
    """Design columns whose effect on the first cumulative logit has its own coefficients."""
    typical: dict[str, float]
    """Each predictor's typical value (median or most frequent): the reference of contributions."""
    submodels: dict[str, Submodel]
    codings: list[Coding]
    conditionals: list[list[Conditional]]
    """Per completed table, the model of each predictor given the others (for new patients)."""
    recalibration: dict[str, Recalibration] = Field(default_factory=dict)
    sample_size: SampleSizeRecord
    validation: dict[str, OutcomeValidation]

    def theta(self, outcome: str) -> Array:
        sub = self.submodels[outcome]
        return np.asarray(sub.intercepts + sub.coef)


class ModelFileError(SpinetrackError):
    pass


def save(model: Model, path: str | Path) -> None:
    """Write the model as JSON (to a temporary file renamed into place: never half a model)."""
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(model.model_dump_json(indent=1), encoding="utf-8")
    partial.replace(target)


def load(path: str | Path) -> Model:
    """Read a model file, refusing anything that is not a complete spinetrack risk model."""
    source = Path(path)
    try:
        raw = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ModelFileError(f"{path}: no such model file") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"{path}: not a spinetrack risk model ({exc})") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ModelFileError(f"{path}: not a spinetrack risk model")
    if raw.get("format_version") != FORMAT_VERSION:
        raise ModelFileError(
            f"{path}: model format version {raw.get('format_version')}, this spinetrack reads "
            f"{FORMAT_VERSION}"
        )
    try:
        return Model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ModelFileError(f"{path}: damaged model file ({where}: {first['msg']})") from exc
