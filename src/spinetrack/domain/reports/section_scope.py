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
from spinetrack.domain.reports.rules import _check_ids, compiles
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
    allowed_findings: list[str] = Field(default_factory=list)
    """When given, the section changes only these findings."""
    operation_notes_only: bool = False
    """The label means this only in an operation note ("Indication:", "Findings:")."""

    _label_compiles = field_validator("label")(compiles)


class SectionRules(KnowledgeModel):
    note: str
    sources: Sources
    operation_note: str = Field(min_length=2)
    """A regex that, found anywhere in a report, says it is an operation note."""
    sections: list[SectionRule] = Field(min_length=1)

    _marker_compiles = field_validator("operation_note")(compiles)


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
        ]
        + [
            (f"sections.{i}.allowed_findings.{j}", finding)
            for i, rule in enumerate(rules.sections)
            for j, finding in enumerate(rule.allowed_findings)
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
    allowed_findings: frozenset[str] = frozenset()

    def covers(self, finding: str, start: int, end: int) -> bool:
        """Whether a mention of ``finding`` at ``start:end`` takes this section's status."""
        if not (self.start <= start and end <= self.end):
            return False
        if self.allowed_findings and finding not in self.allowed_findings:
            return False
        return finding not in self.excluded_findings


@cache
def _compiled() -> tuple[re.Pattern[str], tuple[tuple[re.Pattern[str], SectionRule], ...]]:
    rules = parse_section_rules()
    labels = tuple(
        (
            re.compile(rf"(?:^|(?<=[.!?]\s)|(?<=\n))[ \t]*(?:{rule.label})[ \t]*:", re.I | re.M),
            rule,
        )
        for rule in rules.sections
    )
    return re.compile(rules.operation_note, re.I), labels


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
    operation_note, labels = _compiled()
    is_operation_note = operation_note.search(text) is not None
    found = []
    for pattern, rule in labels:
        if rule.operation_notes_only and not is_operation_note:
            continue
        for match in pattern.finditer(text):
            found.append(
                Section(
                    start=match.end(),
                    end=_end(text, match.end(), rule.extent),
                    status=rule.status,
                    excluded_findings=frozenset(rule.excluded_findings),
                    allowed_findings=frozenset(rule.allowed_findings),
                )
            )
    return sorted(found, key=lambda s: s.start)
