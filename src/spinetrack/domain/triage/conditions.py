"""The closed vocabulary of conditions that triage rules are written in; no eval, no free code.

Each rule file names a condition by its ``type``; a misspelt type or field is a load error.
Compound:  all_of · any_of · at_least · not
Case:      finding · sign · course · procedure · instrumented · region · level · age
Pain:      pain_pattern · pain_score · pain_free_interval_days
Timing:    days_since_surgery · months_since_surgery (from the index surgery)
Ranges are half-open: ``at_least`` is inclusive, ``below`` exclusive, so windows never overlap.
"""

from abc import abstractmethod
from collections.abc import Iterator
from typing import Annotated, Literal, get_args

from pydantic import Field, field_validator, model_validator

from spinetrack.domain.knowledge import KnowledgeModel
from spinetrack.domain.reports.signs import sign_evidence, sign_ids
from spinetrack.domain.triage.facts import Facts

Reference = tuple[str, str]
"""(vocabulary section, id) that a condition names, e.g. ("findings", "smoker")."""


class _Base(KnowledgeModel):
    @abstractmethod
    def holds(self, facts: Facts) -> bool:
        """Whether the condition is true of the case."""

    def supporting_findings(self, facts: Facts) -> list[str]:
        """The findings of the case that make this condition hold (none under a ``not``)."""
        return []

    def references(self) -> Iterator[Reference]:
        return iter(())


class RangeCondition(_Base):
    """Base of the conditions on a number: ``at_least`` (inclusive) and ``below`` (exclusive)."""

    at_least: float | None = None
    below: float | None = None

    @model_validator(mode="after")
    def _bounds(self) -> "RangeCondition":
        if self.at_least is None and self.below is None and self._needs_bound():
            raise ValueError("give at_least, below or both")
        if self.at_least is not None and self.below is not None and self.at_least >= self.below:
            raise ValueError("at_least must be smaller than below")
        return self

    def _needs_bound(self) -> bool:
        return True

    def _within(self, value: float | None) -> bool:
        if value is None:
            return False
        low_ok = self.at_least is None or value >= self.at_least
        return low_ok and (self.below is None or value < self.below)


class AllOf(_Base):
    """Holds when every listed condition holds."""

    type: Literal["all_of"]
    of: list["Condition"] = Field(min_length=1)

    def holds(self, facts: Facts) -> bool:
        return all(c.holds(facts) for c in self.of)

    def supporting_findings(self, facts: Facts) -> list[str]:
        return [f for c in self.of for f in c.supporting_findings(facts)]

    def references(self) -> Iterator[Reference]:
        for c in self.of:
            yield from c.references()


class AnyOf(_Base):
    """Holds when at least one listed condition holds."""

    type: Literal["any_of"]
    of: list["Condition"] = Field(min_length=1)

    def holds(self, facts: Facts) -> bool:
        return any(c.holds(facts) for c in self.of)

    def supporting_findings(self, facts: Facts) -> list[str]:
        return [f for c in self.of if c.holds(facts) for f in c.supporting_findings(facts)]

    def references(self) -> Iterator[Reference]:
        for c in self.of:
            yield from c.references()


class AtLeast(_Base):
    """Holds when at least ``n`` of the listed conditions hold (e.g. two of five signs)."""

    type: Literal["at_least"]
    n: int = Field(ge=1)
    of: list["Condition"] = Field(min_length=1)

    def holds(self, facts: Facts) -> bool:
        return sum(1 for c in self.of if c.holds(facts)) >= self.n

    def supporting_findings(self, facts: Facts) -> list[str]:
        return [f for c in self.of if c.holds(facts) for f in c.supporting_findings(facts)]

    def references(self) -> Iterator[Reference]:
        for c in self.of:
            yield from c.references()


class Not(_Base):
    """Holds when the inner condition does not."""

    type: Literal["not"]
    of: "Condition"

    def holds(self, facts: Facts) -> bool:
        return not self.of.holds(facts)

    def references(self) -> Iterator[Reference]:
        return self.of.references()


class FindingIs(_Base):
    """Holds when the case lists the finding (or a report yields it). With ``listed: true`` only
    a finding the case itself lists counts, not one read from report text: a rule can then ask
    more of a report's words than of a clinician's entry (a fall told in a note is not yet an
    injury that needs imaging; a clinician's "significant trauma" is). With ``affirmed: true`` a
    finding the reports only suggest ("wound looks a little pink?") does not count: a rule can
    ask that a sign which is common and mild when hedged be stated before it escalates alone."""

    type: Literal["finding"]
    id: str
    listed: bool = False
    affirmed: bool = False

    def _among(self, facts: Facts) -> frozenset[str]:
        among = facts.findings
        if self.listed and facts.case_findings is not None:
            among = facts.case_findings
        if self.affirmed:
            return among.difference(facts.uncertain_findings)
        return among

    def holds(self, facts: Facts) -> bool:
        return self.id in self._among(facts)

    def supporting_findings(self, facts: Facts) -> list[str]:
        return [self.id] if self.id in self._among(facts) else []

    def references(self) -> Iterator[Reference]:
        yield ("findings", self.id)


class SignIs(_Base):
    """Holds when the reports state (or suggest) a warning sign of knowledge/reports/signs.yaml,
    one the vocabulary has no finding for ("cord signal change", "sensory level")."""

    type: Literal["sign"]
    id: str

    @field_validator("id")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in sign_ids():
            raise ValueError(f"unknown sign {value!r} (knowledge/reports/signs.yaml)")
        return value

    def holds(self, facts: Facts) -> bool:
        return self.id in facts.signs

    def supporting_findings(self, facts: Facts) -> list[str]:
        return [sign_evidence(self.id)] if self.id in facts.signs else []


class CourseIs(_Base):
    """Holds when the course since surgery is one of ``one_of``; an unknown course never holds."""

    type: Literal["course"]
    one_of: list[str] = Field(min_length=1)

    def holds(self, facts: Facts) -> bool:
        return facts.course in self.one_of

    def references(self) -> Iterator[Reference]:
        yield from (("courses", c) for c in self.one_of)


class ProcedureIs(_Base):
    """Holds when the index surgery (``surgery: index``) or any surgery (``any``) is one of these."""

    type: Literal["procedure"]
    one_of: list[str] = Field(min_length=1)
    surgery: Literal["index", "any"] = "index"

    def holds(self, facts: Facts) -> bool:
        if self.surgery == "index":
            return facts.index_procedure in self.one_of
        return not facts.procedures.isdisjoint(self.one_of)

    def references(self) -> Iterator[Reference]:
        yield from (("procedures", p) for p in self.one_of)


class Instrumented(_Base):
    """Holds when the index surgery left implants (screws, rods, plates, cages)."""

    type: Literal["instrumented"]

    def holds(self, facts: Facts) -> bool:
        return facts.index_instrumented


class RegionIs(_Base):
    """Holds when the case's region is one of ``one_of``."""

    type: Literal["region"]
    one_of: list[str] = Field(min_length=1)

    def holds(self, facts: Facts) -> bool:
        return facts.region in self.one_of

    def references(self) -> Iterator[Reference]:
        yield from (("regions", r) for r in self.one_of)


class LevelIncludes(_Base):
    """Holds when a level of the index surgery touches ``vertebra`` (S1: down to the sacrum)."""

    type: Literal["level"]
    vertebra: str = Field(pattern=r"^[CTLS]\d{1,2}$")

    def holds(self, facts: Facts) -> bool:
        return any(self.vertebra in level.split("-") for level in facts.index_levels)


class Age(RangeCondition):
    """Holds when the age is known and within the range, in years."""

    type: Literal["age"]

    def holds(self, facts: Facts) -> bool:
        return self._within(facts.age)


class PainPattern(_Base):
    """Holds when one pain clearly leads: ``axial`` (neck/back) or ``limb`` (arm/leg) scores higher."""

    type: Literal["pain_pattern"]
    predominant: Literal["axial", "limb"]

    def holds(self, facts: Facts) -> bool:
        axial, limb = facts.axial_pain, facts.limb_pain
        if axial is None or limb is None:
            return False
        return axial > limb if self.predominant == "axial" else limb > axial


class PainScore(RangeCondition):
    """Holds when the named pain score (0-10) is reported and within the range."""

    type: Literal["pain_score"]
    site: Literal["axial", "limb"]

    def holds(self, facts: Facts) -> bool:
        return self._within(facts.axial_pain if self.site == "axial" else facts.limb_pain)


class PainFreeInterval(RangeCondition):
    """Holds when the pain-free interval (days) is known and within the range; with no bound,
    when it is known at all (``not`` of it: the case does not say)."""

    type: Literal["pain_free_interval_days"]

    def _needs_bound(self) -> bool:
        return False

    def holds(self, facts: Facts) -> bool:
        return self._within(facts.pain_free_interval_days)


class DaysSinceSurgery(RangeCondition):
    """Holds when the days since the index surgery are within the range (early windows)."""

    type: Literal["days_since_surgery"]

    def holds(self, facts: Facts) -> bool:
        return self._within(facts.days_since_surgery)


class MonthsSinceSurgery(RangeCondition):
    """Holds when the months since the index surgery (as reported, 1 decimal) are in the range."""

    type: Literal["months_since_surgery"]

    def holds(self, facts: Facts) -> bool:
        return self._within(facts.months_since_surgery)


Condition = Annotated[
    AllOf
    | AnyOf
    | AtLeast
    | Not
    | FindingIs
    | SignIs
    | CourseIs
    | ProcedureIs
    | Instrumented
    | RegionIs
    | LevelIncludes
    | Age
    | PainPattern
    | PainScore
    | PainFreeInterval
    | DaysSinceSurgery
    | MonthsSinceSurgery,
    Field(discriminator="type"),
]

for _model in (AllOf, AnyOf, AtLeast, Not):
    _model.model_rebuild()

# The classes inside Annotated[Union[...], Field(...)], for documentation and tests.
CONDITION_TYPES: tuple[type[_Base], ...] = get_args(get_args(Condition)[0])
