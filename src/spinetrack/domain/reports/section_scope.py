"""Section scope: a ``Label:`` that says how what follows is meant ("Advice:", "PMH:").

ConText's scope is one sentence, but a safety-netting paragraph often lists its warning signs in a
second sentence with no "if" of its own, and a past-history list is history by its label alone.
knowledge/reports/section_scope.yaml names the labels, the status they give, how far they reach,
and the lasting states a past-history list leaves current. This module says which character
ranges of a report each section covers; the reader then gives every affirmed or uncertain
mention inside the section's status.
"""

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import Field, field_validator

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.reports.rules import _check_ids
from spinetrack.domain.sources import Sources

SECTIONS_FILE = "reports/section_scope.yaml"
SectionStatus = Literal["hypothetical", "historical"]

# Where a section ends: a blank line, a line or sentence that opens with another label, or an
# all-capitals header line. A sentence end alone ends a `sentence` section.
_NEXT_LABEL = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))[ \t]*[A-Za-z][A-Za-z /&()-]{0,30}:", re.M)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_HEADER_LINE = re.compile(r"\n[ \t]*[A-Z][A-Z /&-]{2,}[ \t]*(?=\n|$)")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")


class SectionRule(KnowledgeModel):
    label: str = Field(min_length=2)
    status: SectionStatus
    extent: Literal["sentence", "paragraph"]
    excluded_findings: list[str] = Field(default_factory=list)

    @field_validator("label")
    @classmethod
    def _compiles(cls, label: str) -> str:
        try:
            re.compile(label, re.I)
        except re.error as error:
            raise ValueError(f"label does not compile: {error}") from error
        return label


class SectionRules(KnowledgeModel):
    note: str
    sources: Sources
    sections: list[SectionRule] = Field(min_length=1)


def parse_section_rules(data: Any | None = None) -> SectionRules:
    """The section rules (the shipped file, or ``data`` shaped like it); every finding they name
    must be in the triage vocabulary."""
    rules = parse(SECTIONS_FILE, SectionRules, data)
    _check_ids(
        SECTIONS_FILE,
        [
            (f"sections.{i}.excluded_findings.{j}", finding)
            for i, rule in enumerate(rules.sections)
            for j, finding in enumerate(rule.excluded_findings)
        ],
    )
    return rules


@dataclass(frozen=True, slots=True)
class Section:
    """Characters ``start`` to ``end`` of a report are under a label that gives ``status``."""

    start: int
    end: int
    status: SectionStatus
    excluded_findings: frozenset[str]

    def covers(self, finding: str, start: int, end: int) -> bool:
        return self.start <= start and end <= self.end and finding not in self.excluded_findings


@cache
def _compiled() -> tuple[tuple[re.Pattern[str], SectionRule], ...]:
    return tuple(
        (
            re.compile(rf"(?:^|(?<=[.!?]\s)|(?<=\n))[ \t]*(?:{rule.label})[ \t]*:", re.I | re.M),
            rule,
        )
        for rule in parse_section_rules().sections
    )


def _end(text: str, body: int, extent: str) -> int:
    """Where a section whose words begin at ``body`` ends."""
    ends = [len(text)]
    for pattern in (_NEXT_LABEL, _BLANK_LINE, _HEADER_LINE):
        found = pattern.search(text, body)
        if found:
            ends.append(found.start())
    if extent == "sentence":
        found = _SENTENCE_END.search(text, body)
        if found:
            ends.append(found.end())
    return min(ends)


def sections(text: str) -> list[Section]:
    """The labelled sections of a report, in text order."""
    found = []
    for pattern, rule in _compiled():
        for match in pattern.finditer(text):
            found.append(
                Section(
                    start=match.end(),
                    end=_end(text, match.end(), rule.extent),
                    status=rule.status,
                    excluded_findings=frozenset(rule.excluded_findings),
                )
            )
    return sorted(found, key=lambda s: s.start)
