"""Level arithmetic: a stenosis or degeneration named by its spinal level, placed against the
operated level the same report names ("L4-L5 fusion ... At L3-L4 severe canal stenosis") or the
case record gives (case_levels.py). A finding placed only by the record's levels is left out when
its clause tells why the operation was done ("laminectomy for L4/5 stenosis").

knowledge/reports/level_positions.yaml holds the words and reaches with their sources. This module
is pure text work: it returns (finding, start, end) for the stenosis or degeneration words whose
level is the operated one or next to it; the spaCy component turns them into spans for ConText.
"""

import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, field_validator

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.reports.rules import _check_ids, compiles
from spinetrack.domain.sources import Sources

if TYPE_CHECKING:
    from spinetrack.domain.reports.case_levels import CaseLevels

LEVELS_FILE = "reports/level_positions.yaml"

# A segment written as two vertebrae ("L4-L5", "L4/5", "C4-6", "L5-S1", "T12 to L1").
_LEVEL = re.compile(r"\b([CTL])(\d{1,2})\s*(?:-|/|–|\bto\b)\s*([CTLS]?)(\d{1,2})\b", re.I)
_FIRST = {"C": 0, "T": 7, "L": 19, "S": 24}
"""Ordinal of the vertebra before each region's first: C1 is 1, T1 is 8, L1 is 20, S1 is 25."""
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*|[&+(),-]")


class LevelFinding(KnowledgeModel):
    finding: str
    at: Literal["operated", "adjacent"]
    words: str

    _check = field_validator("words")(compiles)


class NeckFinding(KnowledgeModel):
    """A finding only an operation on the neck can bring (``finding``), and the words that name the
    neck itself (``neck_words``): told in other words ("swelling under the scar") in a case whose
    operated levels are all below the neck, it is that case's own wound, not the neck's."""

    finding: str
    neck_words: str

    _check = field_validator("neck_words")(compiles)


class LevelPositions(KnowledgeModel):
    note: str
    sources: Sources
    fusion_words: str
    decompression_words: str
    adjacent_procedures: list[str] = Field(min_length=1)
    indication_words: str
    filler_words: list[str] = Field(min_length=1)
    following_reach: int = Field(ge=1)
    trailing_reach: int = Field(ge=1)
    findings: list[LevelFinding] = Field(min_length=1)
    neck_findings: list[NeckFinding] = Field(default_factory=list)
    reason_words: str = r"(?!)"
    """Words that give the reason for an operation the report names beside its level ("L4-5
    laminectomy for stenosis"): what follows them is the state before it."""
    recurrence_words: str = r"(?!)"
    """Words that place a finding after the operation ("recurrent", "residual"): with them an
    indication word in its clause ("revision for recurrent L4/5 stenosis") does not make it the
    reason for the index operation."""
    beside_words: str = r"(?!)"
    """Words ending just before an operation word that place what follows beside the operation
    ("disease above the fusion at C4-5", "stenosis below the construct at L2/3"): a level written
    after the operation word is then the neighbour's, not the operated one."""

    _check = field_validator(
        "fusion_words",
        "decompression_words",
        "indication_words",
        "reason_words",
        "recurrence_words",
        "beside_words",
    )(compiles)


def parse_level_positions(data: Any | None = None) -> LevelPositions:
    """The level rules (the shipped file, or ``data`` shaped like it); finding ids must be known."""
    rules = parse(LEVELS_FILE, LevelPositions, data)
    _check_ids(
        LEVELS_FILE,
        [(f"findings.{i}.finding", f.finding) for i, f in enumerate(rules.findings)]
        + [(f"neck_findings.{i}.finding", f.finding) for i, f in enumerate(rules.neck_findings)],
    )
    return rules


@cache
def level_positions() -> LevelPositions:
    return parse_level_positions()


@cache
def neck_wording() -> dict[str, re.Pattern[str]]:
    """Each neck finding's words that name the neck (``neck_findings``), compiled once."""
    return {f.finding: re.compile(f.neck_words, re.I) for f in level_positions().neck_findings}


Segment = tuple[int, int]


@dataclass(frozen=True, slots=True)
class LevelMention:
    start: int
    end: int
    segments: frozenset[Segment]


def _ordinal(region: str, number: str) -> int | None:
    value = int(number)
    limits = {"C": 7, "T": 12, "L": 5, "S": 1}
    if not 1 <= value <= limits[region.upper()]:
        return None
    return _FIRST[region.upper()] + value


def level_mentions(text: str) -> list[LevelMention]:
    """Every segment range the text names, as the motion segments it spans."""
    found = []
    for match in _LEVEL.finditer(text):
        region, first, second_region, second = match.groups()
        low = _ordinal(region, first)
        high = _ordinal(second_region or region, second)
        if low is None or high is None or not 0 < high - low <= 6:
            continue
        segments = frozenset((v, v + 1) for v in range(low, high))
        found.append(LevelMention(match.start(), match.end(), segments))
    return found


def _only_filler(gap: str, levels: list[LevelMention], offset: int, filler: frozenset[str]) -> bool:
    """Whether the words between a level and an operation word are filler or other levels."""
    for level in levels:
        if offset <= level.start and level.end <= offset + len(gap):
            gap = (
                gap[: level.start - offset]
                + " " * (level.end - level.start)
                + gap[level.end - offset :]
            )
    return all(word.lower() in filler for word in _WORD.findall(gap))


def _operated(
    sentence: str,
    levels: list[LevelMention],
    words: re.Pattern[str],
    filler: frozenset[str],
    beside: re.Pattern[str] | None = None,
) -> set[Segment]:
    """Segments a level written right next to an operation word names ("L4-5 fusion", "ACDF
    C5-6", "C5-6 and C6-7 foraminotomies"); not a level after an operation word that ``beside``
    words place next to ("degeneration above the fusion at C4-5")."""
    segments: set[Segment] = set()
    for word in words.finditer(sentence):
        placed_beside = beside is not None and beside.search(sentence[: word.start()]) is not None
        for level in levels:
            if level.end <= word.start():
                gap_start, gap = level.end, sentence[level.end : word.start()]
            elif word.end() <= level.start and not placed_beside:
                gap_start, gap = word.end(), sentence[word.end() : level.start]
            else:
                continue
            if len(gap) <= 40 and _only_filler(gap, levels, gap_start, filler):
                segments |= level.segments
    return segments


_CLAUSE_BREAK = re.compile(r"[;,:.]")


def _level_of(
    sentence: str, start: int, end: int, levels: list[LevelMention], rules: LevelPositions
) -> LevelMention | None:
    """The level a finding word belongs to: one written just after it in the same clause
    ("stenosis at L3/4"), else the last one before it in the sentence, else one a little further
    after it in the same clause."""
    after = [
        level
        for level in levels
        if level.start >= end and not _CLAUSE_BREAK.search(sentence, end, level.start)
    ]
    before = [level for level in levels if level.end <= start]
    if after and after[0].start - end <= rules.following_reach:
        return after[0]
    if before:
        return before[-1]
    if after and after[0].start - end <= rules.trailing_reach:
        return after[0]
    return None


def _next_to(segments: frozenset[Segment], others: set[Segment] | frozenset[Segment]) -> bool:
    return any(
        s not in others and any(s[1] == o[0] or s[0] == o[1] for o in others) for s in segments
    )


def _operated_segments(
    per_sentence: list[tuple[int, str, list[LevelMention]]],
    rules: LevelPositions,
    case: "CaseLevels | None",
) -> tuple[set[Segment], set[Segment]]:
    """The fused and the decompressed segments: those the report writes next to an operation
    word, and those the case record gives."""
    filler = frozenset(w.lower() for w in rules.filler_words)
    fusion = re.compile(rules.fusion_words, re.I)
    decompression = re.compile(rules.decompression_words, re.I)
    beside = re.compile(rules.beside_words, re.I)
    fused: set[Segment] = set()
    decompressed: set[Segment] = set()
    for _, sentence, levels in per_sentence:
        fused |= _operated(sentence, levels, fusion, filler, beside)
        decompressed |= _operated(sentence, levels, decompression, filler, beside)
    if case is not None:
        fused |= case.fused
        decompressed |= case.operated
    return fused, decompressed


def operated_levels(
    per_sentence: list[tuple[int, str, list[LevelMention]]],
    case: "CaseLevels | None" = None,
    rules: LevelPositions | None = None,
) -> frozenset[Segment]:
    """Every segment the report (next to an operation word) or the case says was operated."""
    fused, decompressed = _operated_segments(per_sentence, rules or level_positions(), case)
    return frozenset(fused | decompressed)


@dataclass(frozen=True, slots=True)
class LevelReading:
    finding: str
    start: int
    end: int


def read_levels(
    sentences: list[tuple[int, str]],
    rules: LevelPositions | None = None,
    named_adjacent: frozenset[Segment] = frozenset(),
    case: "CaseLevels | None" = None,
    not_operated: frozenset[Segment] = frozenset(),
) -> list[LevelReading]:
    """The findings placed by level in a report given as (offset, sentence) pairs.
    ``named_adjacent`` holds segments the report itself calls adjacent ("C3/4 adjacent segment:
    ..."): what else it says of them ("C3/4 disc desiccated") is adjacent too. ``case`` holds the
    segments the case record says were operated, which count as if the report had named them.
    ``not_operated`` holds segments the report shows were left alone although meant (a
    wrong-level operation): a disc or stenosis there is at no operated level (corpus FORMAT.md,
    fourth set: only ``wrong_level_operated`` is labelled, not the untreated disc)."""
    rules = rules or level_positions()
    per_sentence = [(offset, sentence, level_mentions(sentence)) for offset, sentence in sentences]
    fused, decompressed = _operated_segments(per_sentence, rules, case)
    operated = fused | decompressed
    if not operated and not named_adjacent:
        return []
    told_fused, told_decompressed = _operated_segments(per_sentence, rules, None)
    told = told_fused | told_decompressed
    indication = re.compile(rules.indication_words, re.I)
    own_reason = re.compile(rules.reason_words, re.I)
    recurrence = re.compile(rules.recurrence_words, re.I)
    readings = []
    for offset, sentence, levels in per_sentence:
        for rule in rules.findings:
            for word in re.finditer(rule.words, sentence, re.I):
                level = _level_of(sentence, word.start(), word.end(), levels, rules)
                if level is None or (rule.at == "operated" and level.segments <= not_operated):
                    continue
                holds = _holds(rule.at, level.segments, operated, fused, named_adjacent)
                lead = sentence[: word.start()]
                clause = lead[max((m.end() for m in _SENTENCE_BREAK.finditer(lead)), default=0) :]
                if holds and not _holds(rule.at, level.segments, told, told_fused, named_adjacent):
                    # placed only by the case's levels: not when the words are why it was done
                    holds = not indication.search(clause)
                elif holds and rule.at == "operated":
                    # the report's own operation told with its reason ("L4-5 laminectomy for
                    # stenosis"), unless the words place it after ("revision for recurrent ...")
                    reason = list(own_reason.finditer(clause))
                    holds = not reason or bool(recurrence.search(clause, reason[-1].end()))
                if holds:
                    readings.append(
                        LevelReading(rule.finding, offset + word.start(), offset + word.end())
                    )
    return readings


_SENTENCE_BREAK = re.compile(r"[.;]")


def _holds(
    at: str,
    segments: frozenset[Segment],
    operated: set[Segment],
    fused: set[Segment],
    named_adjacent: frozenset[Segment],
) -> bool:
    """Whether a finding at ``segments`` is where its rule places it (at or next to the operated)."""
    if at == "operated":
        return not segments.isdisjoint(operated)
    return segments.isdisjoint(operated) and (
        _next_to(segments, fused) or segments <= named_adjacent
    )
