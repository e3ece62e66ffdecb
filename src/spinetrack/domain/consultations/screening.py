"""Red-flag screening for consultation requests, read from knowledge/consultations/screening.yaml.

A patient who answers "yes" to a warning sign must be told to get care at once, whatever else they
wrote, so the questions, their urgency and the instruction are data with sources and the decision
is a pure function the web form and the service share.
"""

from collections.abc import Collection
from functools import cache
from typing import Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.sources import Sources

SCREENING_FILE = "consultations/screening.yaml"

Urgency = Literal["emergency", "same_day"]
Region = Literal["neck", "back"]
URGENCY_ORDER: tuple[Urgency, ...] = ("emergency", "same_day")
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10)]


class Instruction(KnowledgeModel):
    title: Text
    action: Text
    sources: Sources | None = None


class Question(KnowledgeModel):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    label: Text
    """A short name for staff (the inbox), not shown to patients."""
    text: Text
    hint: Text | None = None
    regions: list[Region] = Field(min_length=1)
    red_flag: str
    """The triage red flag this warning sign belongs to (knowledge/triage/red_flags.yaml)."""
    urgency: Urgency
    sources: Sources


class Screening(KnowledgeModel):
    instructions: dict[Urgency, Instruction]
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        ids = [q.id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("question ids must be unique")
        missing = {q.urgency for q in self.questions} - set(self.instructions)
        if missing:
            raise ValueError(f"no instruction for urgency {sorted(missing)}")
        return self

    def for_region(self, region: str) -> list[Question]:
        """The questions to ask after neck or back surgery; every question when unsure ('both')."""
        return [q for q in self.questions if region not in ("neck", "back") or region in q.regions]


@cache
def screening() -> Screening:
    return parse(SCREENING_FILE, Screening)


def raised(questions: list[Question], yes: Collection[str]) -> list[Question]:
    """The questions answered 'yes', most urgent first (file order within an urgency)."""
    hits = [q for q in questions if q.id in yes]
    return sorted(hits, key=lambda q: URGENCY_ORDER.index(q.urgency))


def urgency_of(hits: list[Question]) -> Urgency | None:
    """The highest urgency among the raised warning signs, or None when there are none."""
    return min((q.urgency for q in hits), key=URGENCY_ORDER.index, default=None)
