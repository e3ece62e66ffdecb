"""The facts of one case that rules read, derived once so every condition sees the same values.

Months follow the contract: days since the index surgery / 30.4375 (a mean calendar month),
rounded to one decimal, so a rule's time window and the month shown to the clinician agree.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from spinetrack.domain.triage.case import Case

DAYS_PER_MONTH = 30.4375


def months_from_days(days: int) -> float:
    return round(days / DAYS_PER_MONTH, 1)


@dataclass(frozen=True, slots=True)
class Facts:
    region: str
    findings: frozenset[str]
    course: str | None
    pain_free_interval_days: int | None
    axial_pain: float | None
    limb_pain: float | None
    age: int | None
    days_since_surgery: int
    months_since_surgery: float
    index_procedure: str
    index_instrumented: bool
    index_levels: tuple[str, ...]
    procedures: frozenset[str]
    uncertain_findings: frozenset[str] = frozenset()
    """Findings only a report suggests ("possible", "cannot rule out"): they count, weighing less."""
    case_findings: frozenset[str] | None = None
    """The findings the case itself lists, apart from those read from its reports; None when
    the facts were built without telling the two apart (then every finding counts as listed)."""
    complications: frozenset[str] = frozenset()
    """Registry complication kinds recorded for the patient (by surgeon or patient)."""
    signs: frozenset[str] = frozenset()
    """Warning signs read from the reports that are not vocabulary findings (knowledge/reports/
    signs.yaml): red-flag rules read them with the ``sign`` condition."""

    def pain_scores(self) -> tuple[float, ...]:
        """The pain scores the case reports (axial, limb), leaving out the ones it does not."""
        return tuple(p for p in (self.axial_pain, self.limb_pain) if p is not None)


def facts_of(
    case: Case,
    extra_findings: Iterable[str] = (),
    *,
    uncertain: Iterable[str] = (),
    signs: Iterable[str] = (),
) -> Facts:
    """The facts of a validated case; ``extra_findings`` are those read from its reports, and
    ``uncertain`` those of them the reports only suggest (a finding the case lists is certain)."""
    index = case.index_surgery
    days = (case.evaluation_date - index.date).days
    pain = case.pain
    return Facts(
        region=case.region,
        findings=frozenset(case.findings).union(extra_findings),
        course=case.course,
        pain_free_interval_days=case.pain_free_interval_days,
        axial_pain=pain.axial if pain else None,
        limb_pain=pain.limb if pain else None,
        age=case.age,
        days_since_surgery=days,
        months_since_surgery=months_from_days(days),
        index_procedure=index.procedure,
        index_instrumented=index.instrumented,
        index_levels=tuple(index.levels),
        procedures=frozenset(s.procedure for s in case.surgeries),
        uncertain_findings=frozenset(uncertain).difference(case.findings),
        case_findings=frozenset(case.findings),
        signs=frozenset(signs),
        complications=frozenset(case.complications),
    )
