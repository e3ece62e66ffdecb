"""Findings whose definition contains another's: a fall is an accident after surgery, weakness
getting worse is new weakness.

The wording lists of the two findings cannot be kept in step by hand (every way of writing a fall
would have to be a trauma wording too), so the reader adds the wider finding wherever it read the
narrower one, at the same words and with the same status (knowledge/reports/implied_findings.yaml).
"""

from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import Field

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.reports.rules import _check_ids
from spinetrack.domain.sources import Sources

if TYPE_CHECKING:
    from spinetrack.domain.reports.findings import Mention

IMPLIED_FILE = "reports/implied_findings.yaml"


class Implication(KnowledgeModel):
    finding: str
    implies: str


class ImpliedFindings(KnowledgeModel):
    note: str
    sources: Sources
    implied: list[Implication] = Field(min_length=1)


def parse_implied(data: Any | None = None) -> ImpliedFindings:
    """The shipped file (or ``data`` shaped like it); both ids of every entry must be known."""
    rules = parse(IMPLIED_FILE, ImpliedFindings, data)
    _check_ids(
        IMPLIED_FILE,
        [
            (f"implied.{i}.{field}", getattr(entry, field))
            for i, entry in enumerate(rules.implied)
            for field in ("finding", "implies")
        ],
    )
    return rules


@cache
def implications() -> dict[str, tuple[str, ...]]:
    """For each finding, the wider findings a mention of it is also a mention of."""
    wider: dict[str, list[str]] = {}
    for entry in parse_implied().implied:
        wider.setdefault(entry.finding, []).append(entry.implies)
    return {finding: tuple(ids) for finding, ids in wider.items()}


def with_implied(mentions: Sequence["Mention"]) -> list["Mention"]:
    """The mentions, each followed by its wider findings' mentions over the same words, unless the
    report already has a mention of that finding over those words."""
    wider = implications()
    held = {(m.id, m.report, m.start, m.end) for m in mentions}
    out: list[Mention] = []
    for mention in mentions:
        out.append(mention)
        for finding in wider.get(mention.id, ()):
            key = (finding, mention.report, mention.start, mention.end)
            if key not in held:
                held.add(key)
                out.append(replace(mention, id=finding))
    return out
