"""The model's settings, read from knowledge/prediction/model.yaml through the one knowledge loader:
every choice (splines, penalty grid, imputations, bootstrap size, sample-size criteria, predictor
columns and their ranges) is data with a source, never a constant in this package."""

from functools import cache
from typing import Literal

from pydantic import Field

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.sources import Sources
from spinetrack.domain.vocabulary import vocabulary

SETTINGS_FILE = "prediction/model.yaml"


class ModelChoice(KnowledgeModel):
    classes: tuple[str, str, str]
    link: Literal["logit"]
    partial_proportional_odds: tuple[str, ...] = ()
    choice_note: str
    sources: Sources


class SplineSettings(KnowledgeModel):
    quantiles: dict[int, tuple[float, ...]]
    sources: Sources


class ShrinkageSettings(KnowledgeModel):
    method: Literal["ridge_penalised_likelihood"]
    penalty_grid: tuple[float, ...] = Field(min_length=1)
    sources: Sources


class CategorySettings(KnowledgeModel):
    min_patients_per_level: int = Field(ge=1)
    sources: Sources


class ImputationSettings(KnowledgeModel):
    imputations: int = Field(ge=2)
    iterations: int = Field(ge=1)
    donors: int = Field(ge=1)
    prediction_cycles: int = Field(ge=1)
    sources: Sources


class ValidationSettings(KnowledgeModel):
    bootstrap: int = Field(ge=1)
    ici_bootstrap: int = Field(ge=1)
    calibration_knots: int = Field(ge=3, le=5)
    calibration_points: int = Field(ge=2)
    decision_thresholds: tuple[float, ...]
    age_bands: tuple[float, ...]
    sources: Sources


class DriftSettings(KnowledgeModel):
    sources: Sources


class SampleSizeSettings(KnowledgeModel):
    shrinkage: float = Field(gt=0, lt=1)
    r2_optimism: float = Field(gt=0, lt=1)
    margin: float = Field(gt=0, lt=1)
    anticipated_share_of_max_r2: float = Field(gt=0, le=1)
    sources: Sources


class PredictorSpec(KnowledgeModel):
    name: str
    kind: Literal["number", "whole", "flag", "category"]
    low: float | None = None
    high: float | None = None
    knots: int | None = None
    log: bool = False
    levels: tuple[str, ...] | Literal["vocabulary"] | None = None

    def level_names(self) -> tuple[str, ...]:
        """The closed set of a category's levels (procedures come from the triage vocabulary)."""
        if self.levels == "vocabulary":
            return tuple(vocabulary().procedures)
        if self.kind == "flag":
            return ("false", "true")
        return tuple(self.levels or ())


class Settings(KnowledgeModel):
    sources: Sources
    model: ModelChoice
    splines: SplineSettings
    shrinkage: ShrinkageSettings
    categories: CategorySettings
    imputation: ImputationSettings
    validation: ValidationSettings
    drift: DriftSettings
    sample_size: SampleSizeSettings
    predictors: tuple[PredictorSpec, ...]
    predictor_sources: Sources


@cache
def settings() -> Settings:
    return parse(SETTINGS_FILE, Settings)
