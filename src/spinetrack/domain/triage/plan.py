"""The plan: the work-up that would confirm or exclude the listed causes, and the treatment options
that fit the leading ones, each naming the causes it serves.

Work-up: decisive tests first, then by the rank of the cause they test, then by the cause's own
order. Treatments: step 1 (conservative) before 2 (interventional) before 3 (surgical), then by rank.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import Field

from spinetrack.domain.knowledge import KnowledgeModel
from spinetrack.domain.sources import Sources
from spinetrack.domain.triage.assessment import KnownWorkupItem, TreatmentOption, WorkupItem
from spinetrack.domain.triage.conditions import Condition
from spinetrack.domain.triage.facts import Facts
from spinetrack.domain.triage.record_context import PlanContext


class WorkupStep(KnowledgeModel):
    """A test for a cause; ``decisive`` when its result confirms or excludes the cause."""

    id: str
    decisive: bool
    note: str | None = None
    sources: Sources


class WorkupRules(KnowledgeModel):
    causes: dict[str, list[WorkupStep]]


class TreatmentStep(KnowledgeModel):
    """A treatment option for a cause, offered only when ``when`` (if given) holds."""

    id: str
    step: int = Field(ge=1, le=3)
    when: Condition | None = None
    evidence: str = Field(min_length=10)
    sources: Sources


class TreatmentRules(KnowledgeModel):
    leading_causes: int = Field(ge=1)
    note: str
    causes: dict[str, list[TreatmentStep]]


@dataclass(slots=True)
class _Entry:
    key: tuple[int, int, int]
    causes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def _gather(
    entries: dict[str, _Entry],
    item: str,
    key: tuple[int, int, int],
    cause: str,
    sources: Iterable[str],
) -> None:
    entry = entries.setdefault(item, _Entry(key))
    entry.key = min(entry.key, key)
    if cause not in entry.causes:
        entry.causes.append(cause)
    entry.sources.extend(s for s in sources if s not in entry.sources)


def _ordered(entries: dict[str, _Entry]) -> list[tuple[str, _Entry]]:
    return sorted(entries.items(), key=lambda pair: (pair[1].key, pair[0]))


def cause_workup(rules: WorkupRules, cause: str) -> list[str]:
    """The tests for one cause, in the order the rules give (most decisive first)."""
    return [step.id for step in rules.causes.get(cause, [])]


def assemble_workup(rules: WorkupRules, ranked_causes: list[str]) -> list[WorkupItem]:
    """The union of the listed causes' work-up, most decisive first."""
    entries: dict[str, _Entry] = {}
    for rank, cause in enumerate(ranked_causes):
        for position, step in enumerate(rules.causes.get(cause, [])):
            key = (0 if step.decisive else 1, rank, position)
            _gather(entries, step.id, key, cause, step.sources)
    return [WorkupItem(id=i, for_=e.causes, sources=e.sources) for i, e in _ordered(entries)]


def _fits(step: TreatmentStep, facts: Facts) -> bool:
    return step.when is None or step.when.holds(facts)


def assemble_treatments(
    rules: TreatmentRules, ranked_causes: list[str], facts: Facts
) -> list[TreatmentOption]:
    """Options for the leading causes, conservative first, each naming the causes it fits."""
    entries: dict[str, _Entry] = {}
    steps: dict[str, int] = {}
    for rank, cause in enumerate(ranked_causes[: rules.leading_causes]):
        for position, option in enumerate(rules.causes.get(cause, [])):
            if _fits(option, facts):
                _gather(entries, option.id, (option.step, rank, position), cause, option.sources)
                steps[option.id] = min(option.step, steps.get(option.id, option.step))
    return [
        TreatmentOption(id=i, for_=e.causes, step=steps[i], sources=e.sources)
        for i, e in _ordered(entries)
    ]


def known_tests(context: PlanContext, facts: Facts) -> list[KnownWorkupItem]:
    """The tests whose result the case already holds (a finding only that test gives)."""
    known = []
    for test in context.already_known:
        shown = [f for f in test.findings if f in facts.findings]
        if shown:
            known.append(KnownWorkupItem(id=test.workup, findings=shown, sources=test.sources))
    return known


def without_known(workup: list[WorkupItem], known: list[KnownWorkupItem]) -> list[WorkupItem]:
    """The work-up less the tests already done: suggesting them again would repeat a result."""
    done = {item.id for item in known}
    return [item for item in workup if item.id not in done]


def hold_back(
    context: PlanContext, treatments: list[TreatmentOption], red_flagged: bool
) -> list[TreatmentOption]:
    """While a red flag is raised, the options the rules hold back go last, marked held back:
    escalation comes before exercise or self-management on a spine not yet assessed."""
    if not red_flagged:
        return treatments
    held = set(context.held_back_during_red_flag.treatments)
    kept = [t for t in treatments if t.id not in held]
    waiting = [
        t.model_copy(
            update={
                "held_back": True,
                "sources": t.sources
                + [s for s in context.held_back_during_red_flag.sources if s not in t.sources],
            }
        )
        for t in treatments
        if t.id in held
    ]
    return kept + waiting
