"""Persistent spinal pain syndrome type 2: does the case meet its time criterion yet?

Pain must persist at least 3 months (91 days) after the index surgery (ICD-11 MG30.21); before that
it is too early to say, and a case that shows no persisting pain does not meet it.
"""

from pydantic import Field

from spinetrack.domain.knowledge import KnowledgeModel
from spinetrack.domain.sources import Sources
from spinetrack.domain.triage.assessment import Psps2
from spinetrack.domain.triage.facts import Facts


class Psps2Rule(KnowledgeModel):
    chronic_from_days: int = Field(gt=0)
    improving_pain_at_most: float = Field(ge=0, le=10)
    note: str
    sources: Sources


def _no_persisting_pain(rule: Psps2Rule, facts: Facts) -> str | None:
    """Why the case shows no persisting pain, or None when it does not show that."""
    scores = facts.pain_scores()
    if not scores:
        return None
    if all(score == 0 for score in scores):
        return "no pain is reported"
    if facts.course == "improving" and all(s <= rule.improving_pain_at_most for s in scores):
        return f"the course is improving and pain is {rule.improving_pain_at_most:g}/10 or less"
    return None


def psps2_status(rule: Psps2Rule, facts: Facts) -> Psps2:
    days, months = facts.days_since_surgery, facts.months_since_surgery
    since = f"{days} days ({months:g} months) after the index surgery"
    criterion = f"at least {rule.chronic_from_days} days (ICD-11 MG30.21 time criterion)"
    sources = list(rule.sources)
    if days < rule.chronic_from_days:
        basis = f"{since}: too early; chronic postsurgical pain needs {criterion}"
        return Psps2(status="too_early", basis=basis, sources=sources)
    reason = _no_persisting_pain(rule, facts)
    if reason is not None:
        return Psps2(status="not_met", basis=f"{since}, {reason}", sources=sources)
    basis = f"pain persists {since}, meeting {criterion}"
    return Psps2(status="met", basis=basis, sources=sources)
