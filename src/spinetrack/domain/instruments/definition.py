"""What an instrument is, as read from knowledge/instruments/*.yaml: items and answer ranges, the
scoring rule, and the outcome thresholds (MCID, deterioration, PASS), each with its sources."""

from decimal import Decimal
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from spinetrack.domain.knowledge import KnowledgeModel
from spinetrack.domain.sources import Sources

Kind = Literal["disability", "pain", "comi"]
Region = Literal["lumbar", "cervical"]
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class Item(KnowledgeModel):
    id: Identifier
    title: str = Field(min_length=1)
    min: int
    max: int
    levels: dict[int, str] | None = None
    """Neutral labels of answer levels, when they differ from the instrument's shared ladder."""
    recall: str | None = None
    """Recall period, when it differs from the instrument's."""

    @model_validator(mode="after")
    def _range_is_ordered(self) -> Self:
        if self.min >= self.max:
            raise ValueError(f"{self.id}: min must be below max")
        return self


class PercentOfMaxRule(KnowledgeModel):
    """Sum of the answered items over the maximum they could reach (ODI, NDI)."""

    method: Literal["percent_of_max"]
    max_missing: int = Field(ge=0)
    missing_note: str
    sources: Sources


class ComiDomain(KnowledgeModel):
    id: Identifier
    items: list[Identifier] = Field(min_length=1)
    combine: Literal["max", "mean"]


class ComiRule(KnowledgeModel):
    """Items rescaled to 0..domain_max, combined per domain, domains averaged (COMI)."""

    method: Literal["comi"]
    domain_max: int = Field(gt=0)
    domains: list[ComiDomain] = Field(min_length=1)
    missing_note: str
    sources: Sources


class SingleItemRule(KnowledgeModel):
    """The answer is the score (pain NRS)."""

    method: Literal["single_item"]
    missing_note: str
    sources: Sources


ScoringRule = Annotated[PercentOfMaxRule | ComiRule | SingleItemRule, Field(discriminator="method")]


def _hundredths(value: Decimal) -> Decimal:
    # Changes are compared after rounding to 2 decimals, so a finer threshold could never be met
    # exactly as written.
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"{value} has more than 2 decimals")
    return value


class ChangeThreshold(KnowledgeModel):
    """A change reaches it when at least `points`, or `percent_of_baseline` of a non-zero baseline."""

    points: Annotated[Decimal, Field(ge=0)]
    percent_of_baseline: Annotated[Decimal, Field(gt=0)] | None = None
    cohort: str
    sources: Sources

    @model_validator(mode="after")
    def _points_in_hundredths(self) -> Self:
        _hundredths(self.points)
        return self


class PassThreshold(KnowledgeModel):
    """Patient acceptable symptom state: a follow-up score at most this value."""

    at_most: Decimal
    cohort: str
    sources: Sources


class OutcomeRules(KnowledgeModel):
    better: Literal["lower"]
    """Every instrument here: a higher score is worse; improvement = baseline - follow-up."""
    mcid: ChangeThreshold
    deterioration: ChangeThreshold
    pass_: PassThreshold | None = Field(default=None, alias="pass")


class InstrumentDefinition(KnowledgeModel):
    id: Identifier
    title: str
    version: str
    kind: Kind
    region: Region
    recall: str
    licence: str
    sources: Sources
    levels: dict[int, str] = Field(default_factory=dict)
    """Neutral labels of answer levels shared by every item (ours, never the licensed wording)."""
    items: tuple[Item, ...] = Field(min_length=1)
    scoring: ScoringRule
    outcome: OutcomeRules

    @model_validator(mode="after")
    def _items_are_consistent(self) -> Self:
        ids = [item.id for item in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("item ids must be unique")
        for item in self.items:
            labels = self.levels_of(item)
            if not labels:
                raise ValueError(f"{item.id}: no answer levels described")
            outside = [level for level in labels if not item.min <= level <= item.max]
            if outside:
                raise ValueError(f"{item.id}: levels {outside} outside {item.min}-{item.max}")
        return self

    def levels_of(self, item: Item) -> dict[int, str]:
        """The neutral answer labels that apply to an item."""
        return item.levels if item.levels is not None else self.levels

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)
