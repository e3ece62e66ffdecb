"""Limb pain placed by the roots it follows, now against before the operation.

"New pain along the front of the shin to the big toe (L5 pattern). Original S1 sciatica gone" is a
new root distribution though no word says so: each place is mapped to its roots
(knowledge/reports/dermatomes.yaml) and the roots of the pain now are set against those of the pain
before the operation. The roots before come from the report's own clauses about that time, else
from the case's operated segments (the roots their discs reach); the latter only ever tell a new
distribution, never the same one. The mention is the pain word of the clause about now, so ConText
reads its negation and hedges as for any term.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import Field, field_validator

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.reports.levels import Segment, level_mentions
from spinetrack.domain.reports.rules import compiles
from spinetrack.domain.sources import Sources

DERMATOMES_FILE = "reports/dermatomes.yaml"
NEW = "new_distribution_radicular"
SAME = "same_distribution_radicular"

_ROOT = re.compile(r"(?<![-/–\w])([CTLS])([1-9]|1[0-2])\b(?!\s*[-/–]\s*[CTLS]?\d)")
_ROOT_LIMITS = {"C": 8, "T": 12, "L": 5, "S": 5}
_GROUP = re.compile(r"\b(?:distribution|pattern|dermatomes?|territory|territories)\b", re.I)


class Place(KnowledgeModel):
    roots: list[str] = Field(min_length=1)
    words: str

    _check = field_validator("words")(compiles)


class Dermatomes(KnowledgeModel):
    note: str
    sources: Sources
    pain_words: str
    radicular_words: str
    before_words: str
    continuing_words: str
    claudicant_words: str
    denial_words: str
    clause_breaks: str
    root_words: str
    root_reach: int = Field(ge=0)
    places: list[Place] = Field(min_length=1)
    segment_roots: dict[str, list[str]]

    _check = field_validator(
        "pain_words",
        "radicular_words",
        "before_words",
        "continuing_words",
        "claudicant_words",
        "denial_words",
        "clause_breaks",
        "root_words",
    )(compiles)


def parse_dermatomes(data: Any | None = None) -> Dermatomes:
    """The dermatome rules (the shipped file, or ``data`` shaped like it)."""
    return parse(DERMATOMES_FILE, Dermatomes, data)


@cache
def dermatomes() -> Dermatomes:
    return parse_dermatomes()


@cache
def _segment_roots() -> dict[Segment, frozenset[str]]:
    table: dict[Segment, frozenset[str]] = {}
    for level, roots in dermatomes().segment_roots.items():
        for mention in level_mentions(level):
            for segment in mention.segments:
                table[segment] = frozenset(roots)
    return table


def segment_roots(segments: frozenset[Segment]) -> frozenset[str]:
    """The roots the discs of the operated segments reach (dermatomes.yaml)."""
    table = _segment_roots()
    return frozenset().union(*(table.get(segment, frozenset()) for segment in segments))


@dataclass(frozen=True, slots=True)
class _Clause:
    start: int
    text: str
    relative: bool = False
    """The clause was cut off by a relative word ("..., which he had before the operation"): it
    speaks of the clause before it."""


_RELATIVE_CUT = re.compile(r"\b(?:which|that)\s*$", re.I)


def _clauses(offset: int, sentence: str, breaks: re.Pattern[str]) -> list[_Clause]:
    clauses = []
    start = 0
    relative = False
    for cut in breaks.finditer(sentence):
        clauses.append(_Clause(offset + start, sentence[start : cut.start()], relative))
        start = cut.end()
        relative = bool(_RELATIVE_CUT.search(cut.group(0)))
    clauses.append(_Clause(offset + start, sentence[start:], relative))
    return clauses


def _roots(text: str, rules: Dermatomes) -> frozenset[str]:
    """The roots a clause places symptoms in: roots written beside a symptom word ("L5 pattern",
    "symptoms were right C7"), a segment written as a distribution ("an L3/L4 distribution"),
    and the roots of the places it names ("big toe")."""
    roots: set[str] = set()
    near = re.compile(rules.root_words, re.I)
    for match in _ROOT.finditer(text):
        region, number = match.group(1).upper(), int(match.group(2))
        if number > _ROOT_LIMITS[region]:
            continue
        window = text[max(0, match.start() - rules.root_reach) : match.end() + rules.root_reach]
        if near.search(window):
            roots.add(f"{region}{number}")
    for level in level_mentions(text):
        if _GROUP.match(text, level.end + 1) or _GROUP.match(text, level.end):
            roots |= {name for name in _names(text[level.start : level.end])}
    for place in rules.places:
        if re.search(place.words, text, re.I):
            roots |= set(place.roots)
    return frozenset(roots)


def _names(level: str) -> list[str]:
    """Both vertebrae of a written segment as root names ("L3/L4" gives L3 and L4, "L3/4" too)."""
    match = re.match(r"([CTLS])(\d{1,2})\s*[-/–]\s*([CTLS]?)(\d{1,2})", level, re.I)
    if not match:
        return []
    first, low, second, high = match.groups()
    return [f"{first.upper()}{low}", f"{(second or first).upper()}{high}"]


@dataclass(frozen=True, slots=True)
class _Words:
    """The dermatome rules' word patterns, compiled."""

    breaks: re.Pattern[str]
    before: re.Pattern[str]
    continuing: re.Pattern[str]
    pain: re.Pattern[str]
    radicular: re.Pattern[str]
    claudicant: re.Pattern[str]
    denied: re.Pattern[str]

    @classmethod
    def of(cls, rules: Dermatomes) -> "_Words":
        def compiled(pattern: str) -> re.Pattern[str]:
            return re.compile(pattern, re.I)

        return cls(
            compiled(rules.clause_breaks),
            compiled(rules.before_words),
            compiled(rules.continuing_words),
            compiled(rules.pain_words),
            compiled(rules.radicular_words),
            compiled(rules.claudicant_words),
            compiled(rules.denial_words),
        )


_Now = tuple[frozenset[str], bool, int, int]
"""Limb pain now: its roots, whether the clause says it follows a root, and its pain word."""


def _two_times(
    sentences: Sequence[tuple[int, str]], rules: Dermatomes
) -> tuple[set[str], list[_Now]]:
    """The roots the report gives the pain before the operation, and each clause of pain now."""
    words = _Words.of(rules)
    before: set[str] = set()
    now: list[_Now] = []
    for offset, sentence in sentences:
        antecedent: frozenset[str] = frozenset()
        for clause in _clauses(offset, sentence, words.breaks):
            roots = _roots(clause.text, rules)
            if not roots and clause.relative:
                # "his L5 leg pain, which he had before the operation, has returned": the
                # relative clause tells the time of the pain of the clause it hangs on (and
                # "which it did not do before surgery" tells that it was not there then)
                told = words.continuing.search(clause.text) or words.before.search(clause.text)
                if told and not words.denied.search(clause.text):
                    before |= antecedent
                continue
            pain = words.pain.search(clause.text)
            antecedent = roots if pain else frozenset()
            if not roots or (pain and words.claudicant.search(clause.text)):
                continue  # pain that walking or standing brings on is claudication, of no root
            if pain and words.continuing.search(clause.text):
                before |= roots  # the pain of then, still there now
            elif words.before.search(clause.text):
                before |= roots
                continue
            if pain:
                start, end = clause.start + pain.start(), clause.start + pain.end()
                now.append((roots, bool(words.radicular.search(clause.text)), start, end))
    return before, now


def read_distribution(
    sentences: Sequence[tuple[int, str]],
    operated: frozenset[Segment] = frozenset(),
    rules: Dermatomes | None = None,
    meant: frozenset[Segment] = frozenset(),
) -> list[tuple[str, int, int]]:
    """(finding, start, end) for each clause about limb pain now whose roots can be set against
    the roots before the operation: the report's, else those of the ``operated`` segments, else
    (a report that tells a wrong-level operation) those of the segments ``meant``: the level that
    was to be operated and was not is where the pain came from before, so radicular pain in its
    roots now is the same distribution."""
    before, now = _two_times(sentences, rules or dermatomes())
    if before:
        readings = [(NEW if roots.isdisjoint(before) else SAME, s, e) for roots, _, s, e in now]
        if any(finding == NEW for finding, _, _ in readings):
            return [reading for reading in readings if reading[0] == NEW]
        return [(SAME, s, e) for roots, _, s, e in now if roots <= before]
    if meant:
        reach = segment_roots(meant)
        return [(SAME, s, e) for roots, rooted, s, e in now if rooted and roots <= reach]
    reach = segment_roots(operated)
    return [
        (NEW, s, e) for roots, rooted, s, e in now if rooted and reach and roots.isdisjoint(reach)
    ]
