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


def _clauses(offset: int, sentence: str, breaks: re.Pattern[str]) -> list[_Clause]:
    clauses = []
    start = 0
    for cut in breaks.finditer(sentence):
        clauses.append(_Clause(offset + start, sentence[start : cut.start()]))
        start = cut.end()
    clauses.append(_Clause(offset + start, sentence[start:]))
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


def read_distribution(
    sentences: Sequence[tuple[int, str]],
    operated: frozenset[Segment] = frozenset(),
    rules: Dermatomes | None = None,
    same: bool = True,
) -> list[tuple[str, int, int]]:
    """(finding, start, end) for each clause about limb pain now whose roots can be set against
    the roots before the operation: the report's, else those of the ``operated`` segments.
    ``same`` false reads only new distributions (a report that tells a wrong-level operation)."""
    rules = rules or dermatomes()
    breaks = re.compile(rules.clause_breaks, re.I)
    before_words = re.compile(rules.before_words, re.I)
    continuing = re.compile(rules.continuing_words, re.I)
    pain_words = re.compile(rules.pain_words, re.I)
    radicular = re.compile(rules.radicular_words, re.I)
    before: set[str] = set()
    now: list[tuple[frozenset[str], bool, int, int]] = []
    for offset, sentence in sentences:
        for clause in _clauses(offset, sentence, breaks):
            roots = _roots(clause.text, rules)
            if not roots:
                continue
            pain = pain_words.search(clause.text)
            if pain and continuing.search(clause.text):
                before |= roots  # the pain of then, still there now
            elif before_words.search(clause.text):
                before |= roots
                continue
            if pain:
                start, end = clause.start + pain.start(), clause.start + pain.end()
                now.append((roots, bool(radicular.search(clause.text)), start, end))
    if before:
        readings = [(NEW if roots.isdisjoint(before) else SAME, s, e) for roots, _, s, e in now]
        if any(finding == NEW for finding, _, _ in readings):
            return [reading for reading in readings if reading[0] == NEW]
        return [(SAME, s, e) for roots, _, s, e in now if same and roots <= before]
    reach = segment_roots(operated)
    return [
        (NEW, s, e) for roots, rooted, s, e in now if rooted and reach and roots.isdisjoint(reach)
    ]
