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
SectionStatus = Literal["hypothetical", "historical", "negated"]
Document = Literal[
    "any",
    "operation_note",
    "primary_operation_note",
    "reoperation_note",
    "index_stay_summary",
    "index_specimen_report",
]

# Where a section ends: a blank line, a line or sentence that opens with another label, or an
# all-capitals header line. A sentence end alone ends a `sentence` section.
_NEXT_LABEL = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))[ \t]*[A-Za-z][A-Za-z /&()-]{0,30}:", re.M)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_HEADER_LINE = re.compile(r"\n[ \t]*[A-Z][A-Z /&-]{2,}[ \t]*(?=\n|$)")
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])[.!?](?=\s|$)|\n(?![ \t]*[a-z])")
"""A sentence end; the full stop of an initial ("S. aureus", "E. coli") is not one, and neither is
a line break before a lower-case word: a writer who wraps lines by hand carries the sentence on
("Indication: neurogenic claudication 50 m, bilateral leg\nnumbness on walking")."""
_ASIDE = r"(?:[ \t]*\([^()\n]{1,40}\))?"
"""A short bracketed aside between a label and its colon ("Pre-op CT (historical for this op):",
"PMH (from GP letter):") leaves the label what it is; several dev-set writers annotate labels so."""


class SectionRule(KnowledgeModel):
    label: str = Field(min_length=2)
    status: SectionStatus
    extent: Literal["sentence", "paragraph", "list"]
    excluded_findings: list[str] = Field(default_factory=list)
    allowed_findings: list[str] = Field(default_factory=list)
    """When given, the section changes only these findings."""
    document: Document = "any"
    """The kind of report in which the label means this: ``any``; an ``operation_note`` (its
    "Findings:"); a ``primary_operation_note`` or a ``reoperation_note`` (what an "Indication:"
    says was before the index operation or came after it); an ``index_stay_summary``, the
    discharge summary of the stay in which the operation was done (its "Presenting complaint:"
    is the state before it); an ``index_specimen_report``, the pathology report of tissue taken at
    an operation that deals with no problem of an earlier one (its "Clinical:" is why that
    operation was done)."""

    _label_compiles = field_validator("label")(compiles)


class SectionRules(KnowledgeModel):
    note: str
    sources: Sources
    operation_note: str = Field(min_length=2)
    """A regex that, found anywhere in a report, says it is an operation note."""
    reoperation: str = Field(min_length=2)
    """A regex that, found anywhere in an operation note, says the operation dealt with a problem
    of an earlier one (a washout, a revision, a haematoma evacuated)."""
    injection_procedure: str = Field(min_length=2)
    """A regex that, found anywhere in a report, says it is the note of an injection, a block, a
    denervation or a stimulator trial: not an operation note, whatever its "Procedure:" label."""
    discharge_summary: str = Field(min_length=2)
    """A regex that, found anywhere in a report, says it is a discharge summary."""
    operated_this_stay: str = Field(min_length=2)
    """A regex that, found anywhere in a discharge summary, says an operation was done in the
    stay it sums up."""
    readmission: str = Field(min_length=2)
    """A regex that, found anywhere in a discharge summary, says the stay was a return after the
    operation (its presenting complaint is then a post-operative problem, current)."""
    after_operation: str = Field(min_length=2)
    """A regex that, found inside a section of a discharge summary, dates what it says after an
    operation ("2/52 post PLIF", "D9"): that section is about now, not before the operation."""
    specimen_report: str = Field(min_length=2)
    """A regex that, found anywhere in a report, says it is a pathology report of a specimen."""
    specimen_taken_later: str = Field(min_length=2)
    """A regex that, found anywhere in a specimen's report, says the specimen was not taken at the
    index operation (a needle biopsy, an aspirate, CSF, a date after an operation)."""
    sections: list[SectionRule] = Field(min_length=1)

    _marker_compiles = field_validator(
        "operation_note",
        "reoperation",
        "injection_procedure",
        "discharge_summary",
        "operated_this_stay",
        "readmission",
        "after_operation",
        "specimen_report",
        "specimen_taken_later",
    )(compiles)


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


@dataclass(frozen=True, slots=True)
class _Markers:
    operation_note: re.Pattern[str]
    reoperation: re.Pattern[str]
    injection_procedure: re.Pattern[str]
    discharge_summary: re.Pattern[str]
    operated_this_stay: re.Pattern[str]
    readmission: re.Pattern[str]
    after_operation: re.Pattern[str]
    specimen_report: re.Pattern[str]
    specimen_taken_later: re.Pattern[str]


@cache
def _compiled() -> tuple[_Markers, tuple[tuple[re.Pattern[str], SectionRule], ...]]:
    rules = parse_section_rules()
    labels = tuple(
        (
            re.compile(
                rf"(?:^|(?<=[.!?]\s)|(?<=\n))[ \t]*(?:{rule.label}){_ASIDE}[ \t]*:", re.I | re.M
            ),
            rule,
        )
        for rule in rules.sections
    )
    markers = _Markers(
        *(
            re.compile(pattern, re.I)
            for pattern in (
                rules.operation_note,
                rules.reoperation,
                rules.injection_procedure,
                rules.discharge_summary,
                rules.operated_this_stay,
                rules.readmission,
                rules.after_operation,
                rules.specimen_report,
                rules.specimen_taken_later,
            )
        )
    )
    return markers, labels


def _documents(text: str, markers: _Markers) -> set[str]:
    """The kinds of report ``text`` is (SectionRule.document), besides ``any``."""
    kinds = {"any"}
    if markers.operation_note.search(text) and not markers.injection_procedure.search(text):
        kinds.add("operation_note")
        primary = markers.reoperation.search(text) is None
        kinds.add("primary_operation_note" if primary else "reoperation_note")
    if (
        markers.discharge_summary.search(text)
        and markers.operated_this_stay.search(text)
        and not markers.readmission.search(text)
    ):
        kinds.add("index_stay_summary")
    if (
        markers.specimen_report.search(text)
        and not markers.reoperation.search(text)
        and not markers.specimen_taken_later.search(text)
    ):
        kinds.add("index_specimen_report")
    return kinds


_MARK = r"\(?(?:\d{1,2}|[a-h]|i{1,3}|iv|vi{0,3})[.)]"
_ITEM = re.compile(
    rf"[ \t]*(?:\n[ \t]*)?{_MARK}[ \t]+[^\n.;]*?(?=[ \t]*{_MARK}[ \t]|[\n.;]|$)", re.I
)
"""One item of a numbered or lettered list ("1) fever", "(b) weight loss", "ii. rigors"): its
marker and its words up to the next marker, a line break, a full stop or a semicolon."""
_ITEM_END = re.compile(rf"[.;,]?(?=[ \t]*\n[ \t]*{_MARK}[ \t])", re.I)
"""An item's closing stop when the next line opens the next item."""


def _list_end(text: str, body: int) -> int:
    """Where a list that begins at ``body`` ends: after its last item, so the sentence after it
    ("Negative for: 1) fever 2) rigors. Foot drop today.") is not in it."""
    end = body
    while (item := _ITEM.match(text, end)) is not None:
        end = item.end()
        stop = _ITEM_END.match(text, end)
        if stop is not None:
            end = stop.end()
    return end


def _end(text: str, body: int, extent: str) -> int:
    """Where a section whose words begin at ``body`` ends."""
    if extent == "list":
        return _list_end(text, body)
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
    markers, labels = _compiled()
    kinds = _documents(text, markers)
    found = []
    for pattern, rule in labels:
        if rule.document not in kinds:
            continue
        for match in pattern.finditer(text):
            end = _end(text, match.end(), rule.extent)
            if rule.document in (
                "index_stay_summary",
                "index_specimen_report",
            ) and markers.after_operation.search(text, match.end(), end):
                continue  # "Presenting complaint: 2/52 post PLIF, wound discharge": a return
            found.append(
                Section(
                    start=match.end(),
                    end=end,
                    status=rule.status,
                    excluded_findings=frozenset(rule.excluded_findings),
                    allowed_findings=frozenset(rule.allowed_findings),
                )
            )
    return sorted(found, key=lambda s: s.start)
