"""What the stored record adds to a triage case beyond findings: recorded complications weigh for
the cause they are a form of, a test already done is not suggested again, and conservative care
waits behind a red flag. Rules as data in knowledge/triage/complications.yaml and plan_context.yaml,
checked against the vocabulary when they load."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from pydantic import Field

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.registry.complications import catalogue
from spinetrack.domain.sources import Sources
from spinetrack.domain.vocabulary import vocabulary

COMPLICATIONS_FILE = "triage/complications.yaml"
PLAN_FILE = "triage/plan_context.yaml"


class CauseWeight(KnowledgeModel):
    id: str
    weight: float = Field(gt=0)


class ComplicationEvidence(KnowledgeModel):
    causes: list[CauseWeight] = Field(min_length=1)
    sources: Sources


class ComplicationRules(KnowledgeModel):
    sources: Sources
    complications: dict[str, ComplicationEvidence]


class KnownTest(KnowledgeModel):
    workup: str
    findings: list[str] = Field(min_length=1)
    sources: Sources


class HeldBack(KnowledgeModel):
    treatments: list[str] = Field(min_length=1)
    sources: Sources


class PlanContext(KnowledgeModel):
    already_known: list[KnownTest]
    held_back_during_red_flag: HeldBack


def _known(file: str, where: str, value: str, known: Iterable[str]) -> None:
    if value not in set(known):
        raise KnowledgeError(file, where, f"unknown id {value!r}")


@cache
def complication_rules() -> ComplicationRules:
    rules = parse(COMPLICATIONS_FILE, ComplicationRules)
    words = vocabulary()
    for kind, evidence in rules.complications.items():
        _known(COMPLICATIONS_FILE, f"complications.{kind}", kind, catalogue().kinds)
        for i, cause in enumerate(evidence.causes):
            _known(COMPLICATIONS_FILE, f"complications.{kind}.causes.{i}", cause.id, words.causes)
    return rules


@cache
def plan_context() -> PlanContext:
    rules = parse(PLAN_FILE, PlanContext)
    words = vocabulary()
    for i, test in enumerate(rules.already_known):
        _known(PLAN_FILE, f"already_known.{i}.workup", test.workup, words.workup)
        for finding in test.findings:
            _known(PLAN_FILE, f"already_known.{i}.findings", finding, words.findings)
    for treatment in rules.held_back_during_red_flag.treatments:
        _known(PLAN_FILE, "held_back_during_red_flag.treatments", treatment, words.treatments)
    return rules


@dataclass(frozen=True, slots=True)
class ExtraEvidence:
    """Evidence for a cause that comes from the record rather than a cause rule's conditions."""

    label: str
    weight: float
    sources: tuple[str, ...]


def complication_label(kind: str) -> str:
    """How a complication is named among a cause's evidence (a prefixed phrase, as the contract
    names evidence that is not a finding id)."""
    return f"complication: {catalogue().kinds[kind]}"


def complication_evidence(complications: Iterable[str]) -> dict[str, list[ExtraEvidence]]:
    """Cause id -> the evidence the recorded complications give it (each kind once)."""
    rules = complication_rules().complications
    found: dict[str, list[ExtraEvidence]] = {}
    for kind in sorted(set(complications)):
        entry = rules.get(kind)
        if entry is None:
            continue
        for cause in entry.causes:
            found.setdefault(cause.id, []).append(
                ExtraEvidence(complication_label(kind), cause.weight, tuple(entry.sources))
            )
    return found
