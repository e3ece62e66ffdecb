"""How the status is read: which disability instrument decides it and from which time point a
result is judged. Data in knowledge/outcomes/status.yaml, checked against instruments and windows."""

from functools import cache

from pydantic import Field

from spinetrack.domain.errors import KnowledgeError, SpinetrackError
from spinetrack.domain.instruments.registry import get_instrument, instrument_ids
from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.outcomes.windows import rank
from spinetrack.domain.sources import Sources

STATUS_FILE = "outcomes/status.yaml"


class JudgedFrom(KnowledgeModel):
    timepoint: str
    note: str
    sources: Sources


class StatusRules(KnowledgeModel):
    sources: Sources
    disability_instruments: tuple[str, ...] = Field(min_length=1)
    """In order of preference: the first one the patient has scores for decides the status."""
    judged_from: JudgedFrom


def checked(rules: StatusRules) -> StatusRules:
    """The rules, once their instruments and time point are known to exist and fit."""
    for position, instrument in enumerate(rules.disability_instruments):
        field = f"disability_instruments.{position}"
        try:
            kind = get_instrument(instrument).kind
        except SpinetrackError as exc:
            raise KnowledgeError(STATUS_FILE, field, exc.message) from exc
        if kind != "disability":
            raise KnowledgeError(STATUS_FILE, field, f"{instrument} is a {kind} instrument")
    try:
        rank(rules.judged_from.timepoint)
    except KeyError:
        raise KnowledgeError(STATUS_FILE, "judged_from.timepoint", "not in windows.yaml") from None
    return rules


@cache
def status_rules() -> StatusRules:
    return checked(parse(STATUS_FILE, StatusRules))


@cache
def pain_instruments() -> tuple[str, ...]:
    """Pain NRS instruments, by name (the order that breaks ties between equal baselines)."""
    return tuple(sorted(i for i in instrument_ids() if get_instrument(i).kind == "pain"))
