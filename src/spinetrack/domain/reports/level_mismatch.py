"""Wrong-level surgery found by holding levels side by side, not by its name.

A report that sees the operation at one level ("the laminotomy defect is at L3-4") while the case
or the report says another was operated ("Operation notes state L4-5 left discectomy"), or that
says the symptoms come from a level nobody operated ("the operated level is L4/5, while her
symptoms point to an L5/S1 disc"), describes a wrong-level operation. knowledge/reports/
level_mismatch.yaml holds the words; this module returns the (start, end) of the words that tell
the mismatch, and the level component turns them into spans ConText reads.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import Field, field_validator

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.reports.levels import LevelMention, Segment
from spinetrack.domain.reports.rules import compiles
from spinetrack.domain.sources import Sources

MISMATCH_FILE = "reports/level_mismatch.yaml"
FINDING = "wrong_level_operated"
_CLAUSE_BREAK = re.compile(r"[;.:\n]")


class LevelMismatch(KnowledgeModel):
    note: str
    sources: Sources
    done_at_words: str
    done_after_words: str
    symptomatic_words: str
    left_after_words: str
    other_operation_words: str
    reach: int = Field(ge=0)

    _check = field_validator(
        "done_at_words",
        "done_after_words",
        "symptomatic_words",
        "left_after_words",
        "other_operation_words",
    )(compiles)


def parse_level_mismatch(data: Any | None = None) -> LevelMismatch:
    """The wrong-level words (the shipped file, or ``data`` shaped like it)."""
    return parse(MISMATCH_FILE, LevelMismatch, data)


@cache
def level_mismatch() -> LevelMismatch:
    return parse_level_mismatch()


@dataclass(frozen=True, slots=True)
class _Told:
    """A level the text ties to a role, where the level is written (offsets in the report): the
    level, not the words before it, is the mention, so their hedges ("may have been at") are
    ConText's modifiers of it."""

    segments: frozenset[Segment]
    start: int
    end: int


def _led(
    offset: int, sentence: str, levels: list[LevelMention], words: re.Pattern[str], reach: int
) -> list[_Told]:
    """Levels written straight after the words (only filler of ``reach`` characters between)."""
    told = []
    for level in levels:
        lead = sentence[: level.start]
        clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(lead)), default=0)
        clause = lead[clause_start:]
        for cut in range(max(0, len(clause) - reach - 1), len(clause) + 1):
            if words.search(clause[:cut]):
                told.append(_Told(level.segments, offset + level.start, offset + level.end))
                break
    return told


def _followed(
    offset: int, sentence: str, levels: list[LevelMention], words: re.Pattern[str]
) -> list[_Told]:
    """Levels followed by words that say the operation was done there."""
    told = []
    for level in levels:
        if words.match(sentence, level.end):
            told.append(_Told(level.segments, offset + level.start, offset + level.end))
    return told


def symptomatic_levels(
    sentences: Iterable[tuple[int, str, list[LevelMention]]], rules: LevelMismatch | None = None
) -> frozenset[Segment]:
    """The levels the report places the symptoms at ("the symptomatic level was L3/4"): in a
    wrong-level report, the level that was meant and left alone, where the pain came from."""
    rules = rules or level_mismatch()
    symptomatic = re.compile(rules.symptomatic_words, re.I)
    told = [
        told
        for offset, sentence, levels in sentences
        for told in _led(offset, sentence, levels, symptomatic, rules.reach)
    ]
    return frozenset().union(*(t.segments for t in told))


def read_mismatch(
    sentences: Iterable[tuple[int, str, list[LevelMention]]],
    intended: frozenset[Segment],
    rules: LevelMismatch | None = None,
) -> list[tuple[int, int]]:
    """Where the report tells a wrong-level operation: a level the operation is seen at that is
    none of the ``intended`` (operated) ones, or a level the symptoms are placed at that was
    neither operated nor seen operated (with the levels seen operated, the other half of what
    the report compares). A level the report says was left alone ("is untouched", "has not been
    decompressed") counts as a symptomatic one when another level is seen operated, and that level
    is not the one the record gives (the level beside a correct operation was never meant). Nothing is
    read without an operated or seen-operated level to compare with, and a sentence that dates an
    operation to another time sees none."""
    rules = rules or level_mismatch()
    done_at = re.compile(rules.done_at_words, re.I)
    done_after = re.compile(rules.done_after_words, re.I)
    symptomatic = re.compile(rules.symptomatic_words, re.I)
    left_after = re.compile(rules.left_after_words, re.I)
    done: list[_Told] = []
    symptoms: list[_Told] = []
    left: list[_Told] = []
    other = re.compile(rules.other_operation_words, re.I)
    for offset, sentence, levels in sentences:
        if not other.search(sentence):
            done += _led(offset, sentence, levels, done_at, rules.reach)
            done += _followed(offset, sentence, levels, done_after)
        symptoms += _led(offset, sentence, levels, symptomatic, rules.reach)
        left += _followed(offset, sentence, levels, left_after)
    if not intended and not done:
        return []
    seen = frozenset().union(*(told.segments for told in done))
    if done and (not intended or not seen <= intended):
        # a level left alone is the one meant only beside a level the operation is seen at, and
        # not when that level is the one the record says was operated (then it is a level the
        # operation was never meant for)
        symptoms += [told for told in left if told.segments.isdisjoint(seen)]
    found = [
        (told.start, told.end) for told in done if intended and told.segments.isdisjoint(intended)
    ]
    astray = [
        (told.start, told.end) for told in symptoms if told.segments.isdisjoint(intended | seen)
    ]
    if astray:
        # the levels seen operated are then half of the mismatch the report tells
        found += astray + [(told.start, told.end) for told in done]
    return found
