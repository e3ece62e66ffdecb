"""Resolution told after the finding: "retention, which settled", "afebrile since", "These have resolved".

ConText's scope ends at a clause boundary ("which", ";") and at the sentence end, which is right for
"no" and "possible" but misses a resolution stated in a later clause or by a pronoun in the next
sentence. The cues are in knowledge/reports/resolution_cues.yaml; this module says which character
offsets of a document they declare resolved.
"""

import re
from collections.abc import Sequence
from functools import cache
from typing import Any, Literal

from pydantic import Field, field_validator

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.reports.rules import (
    READER_FLAGS,
    _check_ids,
    _compiles,
    alternation,
    compiles,
)
from spinetrack.domain.sources import Sources

CUES_FILE = "reports/resolution_cues.yaml"
_NOT_BEFORE = re.compile(r"\b(?:not|never|n't)\s+(?:yet\s+|fully\s+|completely\s+)?$", re.I)


_PLANNED_BEFORE = re.compile(
    r"\b(?:to\s+be|will\s+be|needs?(?:\s+to\s+be)?|should\s+be|for|plan(?:ned)?(?:\s+for)?|awaiting)\s+$",
    re.I,
)


class TreatedCue(KnowledgeModel):
    """Words telling that the listed findings were treated and are over, anywhere later in the
    report."""

    findings: list[str] = Field(min_length=1)
    cues: list[str] = Field(min_length=1)

    _check = field_validator("cues")(_compiles)


class NormalState(KnowledgeModel):
    """Words telling a normal state, and the findings that state denies."""

    denies: list[str] = Field(min_length=1)
    words: list[str] = Field(min_length=1)

    _check = field_validator("words")(_compiles)


class PredatingCue(KnowledgeModel):
    """Words telling that the listed findings date from before the operation and have not changed
    since ("urge incontinence for years, no change"): told now, they are still the old state."""

    findings: list[str] = Field(min_length=1)
    cues: list[str] = Field(min_length=1)
    openers: list[str] = Field(default_factory=list)
    """Sentence openings that take up the sentence before ("Known MS ...", "A: Yes, ..."), so the
    cue dates that sentence's findings too."""

    _check = field_validator("cues", "openers")(_compiles)


class ExaminedNormal(KnowledgeModel):
    """Words naming an examination, the normal findings it may state with the complaints each
    denies, and words that mean a deficit was found after all."""

    exam: list[str] = Field(min_length=1)
    exceptions: list[str] = Field(default_factory=list)
    states: list[NormalState] = Field(min_length=1)

    _check = field_validator("exam", "exceptions")(_compiles)


class Chronology(KnowledgeModel):
    """How a chronology names its operation lines, how many dated lines make one, and the
    findings an earlier date does not make history."""

    operation: str
    min_dated_lines: int = Field(ge=2)
    keeps: list[str] = Field(default_factory=list)

    _check = field_validator("operation")(compiles)


class LaterNormal(KnowledgeModel):
    """The value findings a later normal reading of the same measure in the same report ends
    ("Temp 38.4 at 04:00, 37.6 at 06:00", "WCC 11.9 -> 8.3", "Re-checked: CRP 4"), and the words
    that date a reading before the ones told earlier in the text ("previously 8"), which then
    ends nothing."""

    findings: list[str] = Field(min_length=1)
    earlier: list[str] = Field(min_length=1)
    same_day: list[str] = Field(default_factory=list)
    """Findings that come and go within an illness (a swinging temperature): only a normal reading
    timed later the same day ("38.4 at 04:00, 37.6 at 06:00") ends a raised one."""
    settled: dict[str, float] = Field(default_factory=dict)
    """For a same-day finding, a reading at or below which a later reading on any day ends the
    raised one ("38.1 on admission, now 37.0"): well within normal, not a swing."""
    lowest: dict[str, float] = Field(default_factory=dict)
    """For a ``settled`` finding, the lowest number read as one of its readings: a smaller number
    beside it is a time or a count ("38.6 ... at 3am")."""

    _check = field_validator("earlier")(_compiles)


class TakenUpBefore(KnowledgeModel):
    """Words of a later clause, its subject a pronoun or a demonstrative, that date the clause
    before it to before the operation ("... but that was before the operation"), and the findings
    such a date never makes history."""

    cues: list[str] = Field(min_length=1)
    keeps: list[str] = Field(default_factory=list)

    _check = field_validator("cues")(_compiles)


class ResolutionCues(KnowledgeModel):
    note: str
    sources: Sources
    cues: list[str] = Field(min_length=1)
    pronoun_openers: list[str] = Field(min_length=1)
    treated: list[TreatedCue] = Field(default_factory=list)
    predating: list[PredatingCue] = Field(default_factory=list)
    examined_normal: ExaminedNormal | None = None
    chronology: Chronology | None = None
    current_time: list[str] = Field(default_factory=list)
    normal_states: list[NormalState] = Field(default_factory=list)
    """Words placing a sentence at the time of writing ("now", "at 3 months", "re-check")."""
    lasting: list[str] = Field(default_factory=list)
    """Findings that a cue of being over never ends: a cancer treated long ago is still a history
    of cancer ("had leukaemia as a child, fine since")."""
    later_normal: LaterNormal | None = None
    taken_up_before: TakenUpBefore | None = None
    told_over: list[str] = Field(default_factory=list)
    """Words right after a finding's own name that say it is over ("Early post-op fever
    resolved", "swallowing difficulty has eased"): the finding's earlier mentions are over too."""
    corrections: list[str] = Field(default_factory=list)
    """Words that open a correction of what the report said before them ("On review:",
    "ADDENDUM", "should read"): a finding said before and denied after is denied."""

    _check = field_validator("cues", "pronoun_openers", "corrections", "current_time", "told_over")(
        _compiles
    )


def parse_cues(data: Any | None = None) -> ResolutionCues:
    cues = parse(CUES_FILE, ResolutionCues, data)
    _check_ids(
        CUES_FILE,
        [
            (f"treated.{i}.findings.{j}", finding)
            for i, entry in enumerate(cues.treated)
            for j, finding in enumerate(entry.findings)
        ]
        + [
            (f"normal_states.{i}.denies.{j}", finding)
            for i, entry in enumerate(cues.normal_states)
            for j, finding in enumerate(entry.denies)
        ]
        + [(f"lasting.{i}", finding) for i, finding in enumerate(cues.lasting)]
        + [
            (f"later_normal.findings.{i}", finding)
            for i, finding in enumerate(cues.later_normal.findings if cues.later_normal else [])
        ]
        + [
            (f"later_normal.same_day.{i}", finding)
            for i, finding in enumerate(cues.later_normal.same_day if cues.later_normal else [])
        ]
        + [
            (f"later_normal.settled.{finding}", finding)
            for finding in (cues.later_normal.settled if cues.later_normal else {})
        ]
        + [
            (f"taken_up_before.keeps.{i}", finding)
            for i, finding in enumerate(cues.taken_up_before.keeps if cues.taken_up_before else [])
        ]
        + [
            (f"chronology.keeps.{i}", finding)
            for i, finding in enumerate(cues.chronology.keeps if cues.chronology else [])
        ]
        + [
            (f"examined_normal.states.{i}.denies.{j}", finding)
            for i, entry in enumerate(cues.examined_normal.states if cues.examined_normal else [])
            for j, finding in enumerate(entry.denies)
        ]
        + [
            (f"predating.{i}.findings.{j}", finding)
            for i, entry in enumerate(cues.predating)
            for j, finding in enumerate(entry.findings)
        ],
    )
    return cues


@cache
def lasting() -> frozenset[str]:
    """The findings no resolution cue ends (resolution_cues.yaml, ``lasting``)."""
    return frozenset(parse_cues().lasting)


@cache
def _treated() -> tuple[tuple[frozenset[str], re.Pattern[str]], ...]:
    return tuple(
        (frozenset(entry.findings), re.compile(alternation(entry.cues), READER_FLAGS))
        for entry in parse_cues().treated
    )


def treated_after(text: str) -> dict[str, int]:
    """For each finding a later treatment settles, the offset where the last such cue in ``text``
    ends: its mentions before that offset, including one the cue itself names, are over."""
    found: dict[str, int] = {}
    for findings, pattern in _treated():
        for match in pattern.finditer(text):
            before = text[max(0, match.start() - 30) : match.start()]
            if _NOT_BEFORE.search(before) or _PLANNED_BEFORE.search(before):
                continue
            for finding in findings:
                # the cue's end: a finding named inside it ("neck haematoma ... evacuated") is over
                found[finding] = max(found.get(finding, 0), match.end())
    return found


@cache
def _compiled() -> tuple[re.Pattern[str], re.Pattern[str]]:
    cues = parse_cues()
    return (
        re.compile(alternation(cues.cues), READER_FLAGS),
        re.compile(alternation(cues.pronoun_openers), READER_FLAGS),
    )


def resolved_ranges(sentences: Sequence[tuple[int, str]]) -> list[tuple[int, int]]:
    """Character ranges (start, end) of the document whose findings a later cue says are over."""
    cue, opener = _compiled()
    ranges: list[tuple[int, int]] = []
    for index, (offset, sentence) in enumerate(sentences):
        for match in cue.finditer(sentence):
            if _NOT_BEFORE.search(sentence[: match.start()]):
                continue
            ranges.append((offset, offset + match.start()))
            continues = sentence[:1].islower()  # the splitter cut a clause after ";"
            if index > 0 and (continues or opener.match(sentence[: match.start()] or sentence)):
                previous_offset, previous = sentences[index - 1]
                ranges.append((previous_offset, previous_offset + len(previous)))
    return ranges


@cache
def _predating() -> tuple[tuple[frozenset[str], re.Pattern[str], re.Pattern[str] | None], ...]:
    return tuple(
        (
            frozenset(entry.findings),
            re.compile(alternation(entry.cues), READER_FLAGS),
            re.compile(alternation(entry.openers), READER_FLAGS) if entry.openers else None,
        )
        for entry in parse_cues().predating
    )


def predating_ranges(sentences: Sequence[tuple[int, str]]) -> list[tuple[frozenset[str], int, int]]:
    """The findings a cue dates to before the operation, unchanged since
    (resolution_cues.yaml, ``predating``), with the character range it dates: the cue's whole
    sentence, and the sentence before when the cue's sentence takes it up (an opener, or a clause
    the splitter cut after ";")."""
    ranges: list[tuple[frozenset[str], int, int]] = []
    for findings, cue, opener in _predating():
        for index, (offset, sentence) in enumerate(sentences):
            match = next(
                (
                    m
                    for m in cue.finditer(sentence)
                    if not _NOT_BEFORE.search(sentence[: m.start()])
                ),
                None,
            )
            if match is None:
                continue
            ranges.append((findings, offset, offset + len(sentence)))
            takes_up = sentence[:1].islower() or (opener is not None and opener.match(sentence))
            if index > 0 and takes_up:
                previous_offset, previous = sentences[index - 1]
                ranges.append((findings, previous_offset, previous_offset + len(previous)))
    return ranges


@cache
def _taken_up() -> tuple[re.Pattern[str], frozenset[str]] | None:
    entry = parse_cues().taken_up_before
    if entry is None:
        return None
    return re.compile(alternation(entry.cues), READER_FLAGS), frozenset(entry.keeps)


_CLAUSE_START = re.compile(
    r"[.;!?\n]|\b(?:but|however|although|though|whereas|yet)\b", READER_FLAGS
)
_SENTENCE_OPEN = re.compile(r"[.;!?\n]\s*$")


def taken_up_before(text: str) -> tuple[frozenset[str], list[tuple[int, int]]]:
    """The findings a later clause's date never makes history, and the character ranges such a
    clause dates to before the operation (resolution_cues.yaml, ``taken_up_before``): the clause
    just before the cue, or, when the cue opens its own sentence, the last clause of the sentence
    before; never further back than the nearest clause boundary."""
    entry = _taken_up()
    if entry is None:
        return frozenset(), []
    cue, keeps = entry
    ranges: list[tuple[int, int]] = []
    for match in cue.finditer(text):
        end = match.start()
        head = text[:end]
        opened = _SENTENCE_OPEN.search(head)
        if opened is not None:  # "... in July. That was before the operation."
            end = opened.start()
            head = text[:end]
        start = max((b.end() for b in _CLAUSE_START.finditer(head)), default=0)
        if start < end:
            ranges.append((start, end))
    return keeps, ranges


@cache
def _cue_pattern(
    field: Literal["corrections", "current_time", "told_over"],
) -> re.Pattern[str] | None:
    """One list of resolution_cues.yaml as one pattern, or None when the list is empty."""
    cues: list[str] = getattr(parse_cues(), field)
    return re.compile(alternation(cues), READER_FLAGS) if cues else None


def corrections_at(text: str) -> list[int]:
    """Where each correction in ``text`` begins (resolution_cues.yaml, ``corrections``)."""
    pattern = _cue_pattern("corrections")
    return [] if pattern is None else [match.start() for match in pattern.finditer(text)]


def told_over(text: str, end: int) -> bool:
    """Whether the words right after a finding's name ending at ``end`` say it is over
    (resolution_cues.yaml, ``told_over``)."""
    pattern = _cue_pattern("told_over")
    return pattern is not None and pattern.match(text, end) is not None


_SENTENCE_END = re.compile(r"\n|[.;?!](?=\s|$)|(?<=\S)\s+[-–]\s+(?=\w)")


def sentences_now(text: str) -> list[tuple[int, int, bool]]:
    """The report cut at line ends, full stops and dashes between items: each piece's start, end
    and whether it speaks of the time of writing (resolution_cues.yaml, ``current_time``). A
    question ("Not in retention after TWOC?") states nothing, so it never speaks of now. Cut here
    rather than by the pipeline's sentences: the pieces are in the report's own offsets, as the
    mentions are after spelling correction is undone, and a dash between items ("ooze day 5 - now
    dry") ends a piece where the sentencizer runs on."""
    pattern = _cue_pattern("current_time")
    pieces: list[tuple[int, int, bool]] = []
    start = 0
    for end in [m.start() for m in _SENTENCE_END.finditer(text)] + [len(text)]:
        if end > start:
            asked = text[end : end + 1] == "?"
            now = pattern is not None and not asked and bool(pattern.search(text, start, end))
            pieces.append((start, end, now))
        start = end + 1
    return pieces


@cache
def _normal_states() -> tuple[tuple[frozenset[str], re.Pattern[str]], ...]:
    return tuple(
        (frozenset(entry.denies), re.compile(alternation(entry.words), READER_FLAGS))
        for entry in parse_cues().normal_states
    )


def normal_states(text: str) -> list[tuple[str, int]]:
    """Each finding a normal state in ``text`` denies, with where the state is told
    (resolution_cues.yaml, ``normal_states``)."""
    return [
        (finding, match.start())
        for denies, pattern in _normal_states()
        for match in pattern.finditer(text)
        for finding in sorted(denies)
    ]


@cache
def _examined() -> (
    tuple[
        re.Pattern[str], re.Pattern[str] | None, tuple[tuple[frozenset[str], re.Pattern[str]], ...]
    ]
    | None
):
    entry = parse_cues().examined_normal
    if entry is None:
        return None
    return (
        re.compile(alternation(entry.exam), READER_FLAGS),
        re.compile(alternation(entry.exceptions), READER_FLAGS) if entry.exceptions else None,
        tuple(
            (frozenset(state.denies), re.compile(alternation(state.words), READER_FLAGS))
            for state in entry.states
        ),
    )


def examined_normal(text: str) -> list[tuple[str, int]]:
    """Each complaint an examination in ``text`` finds normal, with where the examination's
    statement begins (resolution_cues.yaml, ``examined_normal``): the examination's words and the
    normal state are in one piece of the report (sentences_now), in either order, and no exception
    follows the earlier of them in that piece. Complaints told before that offset are denied."""
    rules = _examined()
    if rules is None:
        return []
    exam, exceptions, states = rules
    found: list[tuple[str, int]] = []
    for start, end, _ in sentences_now(text):
        cue = exam.search(text, start, end)
        if cue is None:
            continue
        for denies, words in states:
            state = words.search(text, start, end)
            if state is None:
                continue
            begins = min(cue.start(), state.start())
            if exceptions is not None and exceptions.search(text, begins, end):
                continue
            found += [(finding, begins) for finding in sorted(denies)]
    return found


# Dates as chronologies write them: 19.06.2024, 19/06/2024, 2024-06-19, 2024-06, 06/2024, 2024.
_DATE = re.compile(
    r"\b(?:(?P<d1>\d{1,2})[./-](?P<m1>\d{1,2})[./-](?P<y1>(?:19|20)\d\d)"
    r"|(?P<y2>(?:19|20)\d\d)-(?P<m2>\d{1,2})(?:-(?P<d2>\d{1,2}))?"
    r"|(?P<m3>\d{1,2})/(?P<y3>(?:19|20)\d\d)"
    r"|(?P<y4>(?:19|20)\d\d))\b"
)
_LABEL_WIDTH = 30
"""How far into a line its own date may stand ("- Pre-op (2023): ...", "| 2022-11-04 | Op note")."""

Date = tuple[int, int, int]


def _date(match: "re.Match[str]") -> Date:
    g = match.groupdict()
    year = int(g["y1"] or g["y2"] or g["y3"] or g["y4"])
    month = int(g["m1"] or g["m2"] or g["m3"] or 0)
    day = int(g["d1"] or g["d2"] or 0)
    return (year, month if 1 <= month <= 12 else 0, day)


def _earlier(one: Date, other: Date) -> bool:
    """Whether ``one`` is surely before ``other``: by the year alone when either has no month."""
    if not (one[1] and other[1]):
        return one[0] < other[0]
    return one < other


@cache
def _chronology() -> Chronology | None:
    """The chronology entry, parsed once: this is asked for every report read, and parsing the
    whole cue file checks each of its regexes by compiling it (a tenth of a sentence's reading
    time, and the compiled cues pushed the reader's other patterns out of re's cache)."""
    return parse_cues().chronology


@cache
def _operation_line() -> re.Pattern[str]:
    """The chronology's operation words, compiled once (re's own cache holds fewer patterns than
    the reader's rules, so it would compile them again for every report)."""
    entry = parse_cues().chronology
    assert entry is not None
    return re.compile(entry.operation, READER_FLAGS)


def before_the_operation(text: str) -> tuple[frozenset[str], list[tuple[int, int]]]:
    """The findings an earlier date does not change, and the character ranges of the lines of a
    chronology dated before its index operation (resolution_cues.yaml, ``chronology``)."""
    entry = _chronology()
    if entry is None:
        return frozenset(), []
    operation = _operation_line()
    lines: list[tuple[int, int, Date | None, Date | None]] = []
    offset = 0
    for line in text.split("\n"):
        label = _DATE.search(line, 0, _LABEL_WIDTH)
        done = None
        word = operation.search(line)
        if word is not None:
            dates = list(_DATE.finditer(line))
            if dates:
                near = min(dates, key=lambda d: abs(d.start() - word.start()))
                done = _date(near)
        lines.append((offset, offset + len(line), _date(label) if label else None, done))
        offset += len(line) + 1
    if sum(1 for line in lines if line[2] is not None) < entry.min_dated_lines:
        return frozenset(entry.keeps), []
    operated = [done for *_, done in lines if done is not None]
    if not operated:
        return frozenset(entry.keeps), []
    index = min(operated)
    return frozenset(entry.keeps), [
        (start, end)
        for start, end, dated, done in lines
        if dated is not None and done is None and _earlier(dated, index)
    ]
