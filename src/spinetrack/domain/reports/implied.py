"""Findings whose definition contains another's: a fall is an accident after surgery, weakness
getting worse is new weakness.

The wording lists of the two findings cannot be kept in step by hand (every way of writing a fall
would have to be a trauma wording too), so the reader adds the wider finding wherever it read the
narrower one, at the same words and with the same status (knowledge/reports/implied_findings.yaml).
"""

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import Field, field_validator

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.reports.rules import _check_ids, _compiles
from spinetrack.domain.sources import Sources

if TYPE_CHECKING:
    from spinetrack.domain.reports.findings import Mention

IMPLIED_FILE = "reports/implied_findings.yaml"


class Implication(KnowledgeModel):
    finding: str
    implies: str


class Contradiction(KnowledgeModel):
    finding: str
    by: list[str] = Field(min_length=1)
    studies: dict[str, str] = Field(default_factory=dict)
    """Kinds of study by name, each with the words that name it ("mri": "\\bmri\\b|..."). When
    given, an affirmed finding contradicts only within the same paragraph, and not from a
    sentence that names another kind of study than the one the finding's own sentence names (a
    CT's lucency says nothing of an MRI called normal)."""
    unless: str | None = None
    """Words of the report that keep the finding although the other is affirmed (a root lesion
    called acute beside a peripheral neuropathy): with them there is no contradiction."""
    note: str | None = None
    sources: Sources

    @field_validator("unless")
    @classmethod
    def _unless_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            _compiles([value])
        return value

    @field_validator("studies")
    @classmethod
    def _studies_compile(cls, value: dict[str, str]) -> dict[str, str]:
        _compiles(list(value.values()))
        return value


class Evidence(KnowledgeModel):
    finding: str
    words: str
    """A mention whose whole text this matches names the finding only as a diagnosis."""
    evidence: str
    """Words of the report that show the finding itself; without them the diagnosis is not read."""
    when: str | None = None
    """Words of the report that make its diagnosis an inference from something else (the motion
    on flexion-extension films): the rule applies only to a report that has them."""
    note: str | None = None
    sources: Sources

    @field_validator("words", "evidence", "when")
    @classmethod
    def _regex_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            _compiles([value])
        return value


class ImpliedFindings(KnowledgeModel):
    note: str
    sources: Sources
    implied: list[Implication] = Field(min_length=1)
    contradicted: list[Contradiction] = Field(default_factory=list)
    """A finding that an affirmed mention of another in the same report contradicts (a study
    called normal in a report that names an abnormality): it is not read from that report."""
    needs_evidence: list[Evidence] = Field(default_factory=list)
    """A finding named only by its diagnosis ("pseudarthrosis") is read from a report only when
    the report shows the finding itself (``evidence``): a diagnosis inferred from other signs,
    or an operation's indication, is not the finding."""


def parse_implied(data: Any | None = None) -> ImpliedFindings:
    """The shipped file (or ``data`` shaped like it); both ids of every entry must be known."""
    rules = parse(IMPLIED_FILE, ImpliedFindings, data)
    _check_ids(
        IMPLIED_FILE,
        [
            (f"implied.{i}.{field}", getattr(entry, field))
            for i, entry in enumerate(rules.implied)
            for field in ("finding", "implies")
        ]
        + [
            (f"contradicted.{i}.finding", entry.finding)
            for i, entry in enumerate(rules.contradicted)
        ]
        + [(f"needs_evidence.{i}.finding", e.finding) for i, e in enumerate(rules.needs_evidence)]
        + [
            (f"contradicted.{i}.by.{j}", other)
            for i, entry in enumerate(rules.contradicted)
            for j, other in enumerate(entry.by)
        ],
    )
    return rules


@cache
def contradictions() -> dict[str, frozenset[str]]:
    """For each finding, the findings whose affirmed mention in a report contradicts it."""
    found: dict[str, set[str]] = {}
    for entry in parse_implied().contradicted:
        found.setdefault(entry.finding, set()).update(entry.by)
    return {finding: frozenset(others) for finding, others in found.items()}


@cache
def _unless() -> dict[str, "re.Pattern[str]"]:
    """For each contradicted finding whose entry has ``unless`` words, their pattern."""
    return {
        entry.finding: re.compile(entry.unless, re.I)
        for entry in parse_implied().contradicted
        if entry.unless is not None
    }


@cache
def _studies() -> dict[str, dict[str, "re.Pattern[str]"]]:
    """For each contradicted finding whose entry names kinds of study, their patterns."""
    found: dict[str, dict[str, re.Pattern[str]]] = {}
    for entry in parse_implied().contradicted:
        for kind, words in entry.studies.items():
            found.setdefault(entry.finding, {})[kind] = re.compile(words, re.I)
    return found


_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.!?;\n]")


def _paragraph(text: str, offset: int) -> int:
    """Which paragraph (text between blank lines) of the report the offset lies in."""
    return len(_PARAGRAPH.findall(text, 0, offset))


def _kinds(text: str, start: int, end: int, studies: dict[str, "re.Pattern[str]"]) -> set[str]:
    """The kinds of study the sentence around ``start:end`` names."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    after = _SENTENCE_END.search(text, end)
    sentence = text[left : after.start() if after else len(text)]
    return {kind for kind, words in studies.items() if words.search(sentence)}


def _contradicts(mention: "Mention", other: "Mention", reports: Sequence[str] | None) -> bool:
    """Whether an affirmed ``other`` mention contradicts ``mention`` of the same report: always,
    unless the finding's entry names kinds of study and the two lie in different paragraphs or
    sentences that name different kinds."""
    unless = _unless().get(mention.id)
    if unless is not None and reports is not None and unless.search(reports[mention.report]):
        return False
    studies = _studies().get(mention.id)
    if not studies or reports is None:
        return True
    text = reports[mention.report]
    if _paragraph(text, mention.start) != _paragraph(text, other.start):
        return False
    own = _kinds(text, mention.start, mention.end, studies)
    theirs = _kinds(text, other.start, other.end, studies)
    return not own or not theirs or bool(own & theirs)


def without_contradicted(
    mentions: Sequence["Mention"], reports: Sequence[str] | None = None
) -> list["Mention"]:
    """The mentions, less those of a finding that an affirmed mention of another finding in the
    same report contradicts (``contradicted``); with the reports' text, within the study the
    entry's ``studies`` tell apart."""
    against = contradictions()
    affirmed = [m for m in mentions if m.status == "affirmed"]
    return [
        m
        for m in mentions
        if not (
            m.is_finding
            and any(
                o.report == m.report
                and o.id in against.get(m.id, ())
                and _contradicts(m, o, reports)
                for o in affirmed
            )
        )
    ]


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


_Rule = tuple["re.Pattern[str]", "re.Pattern[str]", "re.Pattern[str] | None"]


@cache
def _evidence() -> dict[str, list[_Rule]]:
    found: dict[str, list[_Rule]] = {}
    for entry in parse_implied().needs_evidence:
        when = re.compile(entry.when, re.I) if entry.when else None
        found.setdefault(entry.finding, []).append(
            (re.compile(entry.words, re.I), re.compile(entry.evidence, re.I), when)
        )
    return found


def with_evidence(mentions: Sequence["Mention"], reports: Sequence[str]) -> list["Mention"]:
    """The mentions, less the present ones (affirmed or uncertain) that name a finding only by its
    diagnosis in a report that shows nothing of the finding itself (``needs_evidence``); a denied
    diagnosis ("no non-union") stays, as it is."""
    rules = _evidence()
    return [
        m
        for m in mentions
        if not m.is_finding
        or not any(
            words.fullmatch(m.text.strip())
            and (when is None or when.search(reports[m.report]) is not None)
            and not evidence.search(reports[m.report])
            for words, evidence, when in rules.get(m.id, ())
        )
    ]
