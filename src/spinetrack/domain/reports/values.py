"""Numbers in reports read as findings: a value with its unit against a threshold with a source.

"CRP 46 mg/L", "PVR 620 mL", "PHQ-9 = 21", "EHL 4/5, was 5/5", "MBB ... 8/10 -> 1/10": the rules and
their thresholds are in knowledge/reports/value_rules.yaml; this module finds the numbers, compares
them, and adds a finding span to the document's span group, where ConText then reads its context
as for any other mention ("no longer", "was", "if").
"""

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Literal

from pydantic import Field, field_validator

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.reports.grade_series import (
    GRADE,
    arrow_runs,
    fall,
    labelled_series,
    mrc_grade,
    rising,
)
from spinetrack.domain.reports.rules import _check_ids, _compiles
from spinetrack.domain.reports.serial import dated, time_order
from spinetrack.domain.sources import Sources

VALUES_FILE = "reports/value_rules.yaml"
TREND = "value_trend"
"""The span id of a finding read from a value now against an earlier one."""
VALUE = "value_reading"
"""The span id of any other finding read from a value."""
BORDERLINE = "value_borderline"
"""The span id of a threshold reading only just above its limit."""

_NUMBER = re.compile(
    r"(?<![\d/.:A-Za-z])(?!(?:19|20)\d\d\b)(?<!\bday\s)(?<!\bpod\s)(?<!pod)(?<!\bd)(\d+(?:\.\d+)?)(?![\d/:])(?!\s*[x×]\s*(?!10\s*(?:\^|\*|e\d|\(9\)|⁹))\d)"
    r"(?!\s*(?:(?-i:h)|hrs?|hours?|days?|wks?|weeks?|mins?|minutes?)\b)"
    r"(?!\s*(?:°\s*)?(?:c\b|f\b|mg/l\b|mm/h\b)?\s*(?:or|and)\s+(?:above|over|more|higher|greater)\b)",
    re.I,
)
"""A measured number; one followed by a time unit is a duration, not a reading ("Temperature < 38
last 48 h": the 38 is a bound, the 48 is hours; flags16). A number followed by "or above" is a
question's or a rule's bound ("a high temperature (38C or above)?"; flags16b), not a reading. A
capital "H" after a value is a lab's high flag ("CRP 240 H"), not hours."""
_UNIT = re.compile(r"\s*(mg/dl|mg/l|mm/h(?:r)?|ml|mls|cc|mm|cm|kg|%)", re.I)
_DAY = re.compile(r"\b(?:day|pod|d)\s?(\d{1,3})\b", re.I)
_BELOW_MARK = re.compile(
    r"(?:<|≤|under|below|less\s+than|ref(?:erence)?|normal|uln|upper\s+limit"
    r"|(?:nothing|never|not|none|no)\s+(?:over|above|higher\s+than|more\s+than|exceeding))\s*$",
    re.I,
)
"""A bound, not a reading, before a number: "< 38", "ref 0-5", and a ceiling never reached ("nothing
over 38", "never above 38": flags16c, eleventh set)."""
_PAIN = re.compile(r"\b(\d{1,2})/10\b")
_PAIN_ARROW = re.compile(
    r"\b(?:nrs|vas|pain(?:\s+score)?)\s*:?\s*(\d{1,2})(?:\s*/\s*10)?\s*"
    r"(?:->|→|=>|>|to|down\s+to|fell\s+to|falling\s+to)\s*(\d{1,2})(?:\s*/\s*10)?\b",
    re.I,
)
"""A pain score before and after written with an arrow and no "/10" ("NRS 8 -> 2", "VAS 7 to 1")."""
_PERCENT = re.compile(r"(\d{1,3})\s?%")
_STRENGTH = re.compile(
    r"(?:\b(?:lido|lignocaine|bupi|levobupi|ropi|marcaine|xylocaine|chirocaine)\w*\s*|\d[.,])$",
    re.I,
)
"""Before a figure of 5% or less, an anaesthetic's strength ("lidocaine 2%", "bupivacaine 0.5%"),
not the relief it gave ("lido 85%")."""
_LISTED = re.compile(r"\s*(?:,|and|&|/|then|,\s*then)\s*")
"""What lies between two figures listed side by side ("90% and 85%", "80%, 75%")."""
_EARLIER_AFTER = re.compile(
    r"^\s*(?:->|→|=>|>|down\s+to\b|falling\s+to\b|to\s*$)|^[^,;.]{0,25}?\b(?:pre-?op(?:erative(?:ly)?)?|before|yesterday|post[\s-]?op|last\s+week|"
    r"at\s+\d+\s*(?:weeks?|wks?|months?|pm|am|h)|at\s+\d|in\s+clinic|earlier|previously)\b",
    re.I,
)
_EARLIER_BEFORE = re.compile(
    r"(?:(?:\bwas|\bwere|\bpre-?op(?:erative(?:ly)?)?|\bfrom|\byesterday|\blast\s+week|\bon\s+admission|\bago\s*:|"
    r"\bat\s+discharge|\bpreviously|\bearlier)\s*[A-Za-z ]{0,12}|\(\s*)$",
    re.I,
)
_PREOP = re.compile(r"pre-?op|before\s+(?:the\s+)?(?:surgery|operation)", re.I)
_CURRENT = re.compile(
    r"^[^,;.]{0,12}\b(?:today|now|currently)\b|\b(?:now|is|today)\s*[A-Za-z ]{0,10}$", re.I
)


class _Window(KnowledgeModel):
    until: int = Field(ge=1)
    above: float


class ValueRule(KnowledgeModel):
    """One way a number becomes a finding (see the file's header for the kinds)."""

    finding: str
    kind: Literal[
        "threshold",
        "rise_after_fall",
        "grade_trend",
        "grade_progression",
        "grade_grid",
        "relief",
        "weight_drop",
        "measure_drop",
        "measure_worse",
        "measure_series",
    ]
    analyte: str
    until: str | None = None
    reading: Literal["first", "any"] = "any"
    above: float = 0
    uncertain_above: float | None = None
    unit: str | None = None
    units: dict[str, float] = Field(default_factory=dict)
    early_days: _Window | None = None
    early_days_mid: _Window | None = None
    early_gives_way_to: str | None = None
    """threshold: a finding that, read anywhere in the same report, takes the place of this rule's
    readings from inside its early windows. A raised CRP in the first post-operative weeks is the
    expected response, not ``crp_elevated`` (the definition's window); when the report shows it
    rising again, the second rise is the finding those values give."""
    peak_over_by_day: int | None = Field(default=None, ge=1)
    """rise_after_fall: from this post-operative day a value is past its peak, so a later value
    above it ("212, was 40 on day 6") is a rise after the fall."""
    worse: Literal["higher", "lower"] = "lower"
    """measure_worse: which way the measure goes when the patient is worse (a timed test takes
    longer, a balance score falls)."""
    normal: float | None = None
    """grade_progression: the grade of full power (5/5); an earlier grade below it means the muscle
    had already fallen once before the latest fall."""
    drops: int | None = Field(default=None, ge=2)
    """grade_progression: how many different grades a series must fall through to be worsening."""
    out_of: int | None = Field(default=None, ge=1)
    """A score's maximum: "19/27" is read as 19 for a rule whose score is out of 27."""
    borderline: float | None = None
    """threshold: a value above the limit and at most this one is borderline: in a list of
    negatives ("No erythema, afebrile, CRP 12") the list's negation still covers it."""
    stated_reference: bool = False
    """A reference range the writer states ("CRP 9 (ref 0-5)", "ESR 24 (<20)") replaces ``above``
    outside the early-day windows: a value above the laboratory's own range is raised."""
    title: str | None = None
    """grade_grid: words that name a whole table as one of muscle power ("power chart")."""
    two_blocks: str | None = None
    """relief: words that tell two blocks in one sentence ("x2", "dual", "confirmatory"): their
    figures are one per block, and comparative blocks are positive only when both are."""
    not_a_result: str | None = None
    """relief: words between the block's name and its figure that make the figure a plan or a
    criterion, not a result ("if >80% relief", "aim for 80%")."""
    negative_block: str | None = None
    """relief: words anywhere in the sentence that make the block negative whatever its figure
    ("discordant", a placebo response). Read here, not by ConText: a negation after a value is
    left to the value only when it names it (value_negation.py), and these name the block."""
    topic: str | None = None
    """relief: words that name the joint or nerve a block was aimed at ("sacroiliac", "medial
    branch"). A sentence that gives relief from "the block" or "the injection" without naming it
    (``block_words``) is this rule's when the nearest sentence naming a topic, this one or up to
    ``topic_reach`` before it (or the next), names this rule's and no other relief rule's."""
    block_words: str | None = None
    """relief: words that speak of a block without naming it ("both blocks", "the injection")."""
    other_blocks: str | None = None
    """relief: words that name another kind of block, injection or treatment before the sentence's
    first figure (an epidural, physiotherapy): its relief is not this rule's, whatever the
    report's topic."""
    topic_reach: int = Field(default=3, ge=0)
    single_block: str | None = None
    """relief: words in the sentence, the one before or the one after that make the block one of
    a pair not yet complete ("single block", "second block pending"): its relief is uncertain."""
    note: str | None = None
    sources: Sources

    @field_validator(
        "analyte",
        "until",
        "title",
        "two_blocks",
        "not_a_result",
        "negative_block",
        "topic",
        "block_words",
        "other_blocks",
        "single_block",
    )
    @classmethod
    def _regex_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            _compiles([value])
        return value


class NegationReach(KnowledgeModel):
    """Which words a negation may have between it and a value reading and still name the value
    (value_negation.py)."""

    link_words: str
    within: str
    """A negation between an analyte's name and its value ("CRP not raised at 38")."""
    note: str
    sources: Sources

    @field_validator("link_words", "within")
    @classmethod
    def _regex_compiles(cls, value: str) -> str:
        _compiles([value])
        return value


class ValueRules(KnowledgeModel):
    note: str
    sources: Sources
    negation_reach: NegationReach | None = None
    rules: list[ValueRule] = Field(min_length=1)


def parse_values(data: Any | None = None) -> ValueRules:
    """The value rules (the shipped file, or ``data`` shaped like it); finding ids must be known."""
    rules = parse(VALUES_FILE, ValueRules, data)
    _check_ids(
        VALUES_FILE,
        [(f"rules.{i}.finding", r.finding) for i, r in enumerate(rules.rules)]
        + [
            (f"rules.{i}.early_gives_way_to", r.early_gives_way_to)
            for i, r in enumerate(rules.rules)
            if r.early_gives_way_to is not None
        ],
    )
    return rules


@cache
def value_rules() -> ValueRules:
    return parse_values()


@dataclass(frozen=True, slots=True)
class Reading:
    """A finding read from numbers: its id, the characters it covers, and whether it is hedged."""

    finding: str
    start: int
    end: int
    uncertain: bool = False
    trend: bool = False
    """Read from a value now against one before: the earlier value's date ("was 71 kg 18 months
    ago") dates the comparison, not the finding, so historical markers do not apply."""
    borderline: bool = False
    """A threshold value only just above its limit (the rule's ``borderline``, "CRP 12" against
    10): written among negatives, it is the writer's normal (value_component.py)."""
    early: bool = False
    """A threshold value judged against one of its rule's early-day windows."""


@dataclass(frozen=True, slots=True)
class Value:
    """A number read from a stretch: its value in the rule's unit, where it stands, its unit."""

    number: float
    start: int
    end: int
    unit: str | None = None


MEASURED = {"mm": {"mm"}, "cm": {"cm", "mm"}, "ml": {"ml", "mls", "cc"}}
"""Rules on a length or a volume read only numbers written with a unit of theirs: in "subsidence
1 mm, unchanged from 6 weeks" the 6 is not a length."""


def _segments(
    text: str, analyte: re.Pattern[str], until: re.Pattern[str] | None
) -> Iterator[tuple[int, int, int]]:
    """Each stretch of ``text`` from an analyte's name to the next other analyte or the end, as
    (start of the name, end of the name, end of the stretch)."""
    for match in analyte.finditer(text):
        stop = len(text)
        if until is not None:
            other = until.search(text, match.end())
            if other is not None:
                stop = other.start()
        following = analyte.search(text, match.end())
        if following is not None and following.start() < stop and following.start() > match.end():
            stop = min(stop, following.start())
        line_end = text.find("\n", match.end())
        if (
            line_end != -1
            and line_end < stop
            and (_in_bar_row(text, match.start()) or _in_bar_row(text, line_end + 1))
        ):
            # A name in a table line, or in the title over a table, is a column's, a row's or
            # the table's: the rows below are read by their cells (value_tables.py).
            stop = line_end
        yield match.start(), match.end(), stop


def _factors(rule: ValueRule) -> dict[str, float]:
    """The rule's unit conversions (value_rules.yaml ``units``), keyed by the lower-case unit."""
    return {unit.lower(): factor for unit, factor in rule.units.items()}


def _values(text: str, start: int, stop: int, factors: dict[str, float]) -> list[Value]:
    values = []
    for match in _NUMBER.finditer(text, start, stop):
        if _BELOW_MARK.search(text[max(start, match.start() - 20) : match.start()]):
            continue
        number = float(match.group(1))
        unit = _UNIT.match(text, match.end())
        if unit is not None:
            number *= factors.get(unit.group(1).lower(), 1.0)
        values.append(
            Value(
                number,
                match.start(),
                unit.end() if unit else match.end(),
                unit.group(1).lower() if unit else None,
            )
        )
    return values


_WEEK = re.compile(
    r"\b(?:at|after|by)\s+(\d{1,2}(?:\.\d)?)\s*(?:weeks?|wks?|/52)\b|"
    r"\b(\d{1,2}(?:\.\d)?)\s*(?:weeks?|wks?|/52)\s+(?:after|post)",
    re.I,
)
_EARLIER_CLAUSE = re.compile(
    r"\b(?:was|from|previously|down\s+from|up\s+from)\b[^.;,)]*|"
    r"\((?=[^()]*\b(?:day|pod|d)\s?\d)(?=[^()]*\d+\D+\d)[^()]*\)",
    re.I,
)
"""An earlier value's own words ("(was 12 at discharge on D5)"), or a bracket of earlier values
each with its day after today's value ("CRP 145 (D3 190, D7 52)"): the day they name is the
earlier values', not the current one's."""
_DAYS_OVER_SEVEN = re.compile(
    r"(?<![A-Za-z/])(?<!\bx\s)(?<!\bx)(?<!×\s)(?<!×)(?<!\bfor\s)(?<!\bpast\s)(?<!\blast\s)"
    r"\b(\d{1,2})\s*/\s*7\b(?!\s*/)(?!\s+(?:ago|duration|hx|history)\b)"
)
"""Days written over seven, the ward's way ("15/7 post PLIF"); not a symptom's duration written
the same way ("fever x 3/7", "for 2/7", "pain 3/7 ago")."""


def _latest_day(sentence: str) -> int | None:
    """The latest post-operative day the sentence names ("day 2", "POD 9", "at 4 weeks"): a
    series that starts early and ends later is judged by its latest value's day."""
    days = [int(match.group(1)) for match in _DAY.finditer(sentence)]
    days += [int(match.group(1)) for match in _DAYS_OVER_SEVEN.finditer(sentence)]
    days += [int(float(match.group(1) or match.group(2)) * 7) for match in _WEEK.finditer(sentence)]
    return max(days) if days else None


def _day(sentence: str, earlier_day: int | None = None) -> int | None:
    """The post-operative day a sentence's values are from: its own latest day, else the day an
    earlier sentence of the report named ("ESR 65 mm/hr day 3 post-op. CRP 180." is a day-3 CRP)."""
    day = _latest_day(_EARLIER_CLAUSE.sub(" ", sentence))
    if day is None:
        # Only an earlier value's day, if any: today is no earlier than it or the report's day.
        known = [d for d in (earlier_day, _latest_day(sentence)) if d is not None]
        day = max(known) if known else None
    return day


def _early_window(rule: ValueRule, day: int | None) -> _Window | None:
    """The rule's early-day window the day falls in, if any."""
    for window in (rule.early_days, rule.early_days_mid):
        if window is not None and day is not None and day < window.until:
            return window
    return None


def _limit(
    rule: ValueRule, sentence: str, earlier_day: int | None = None, stated: float | None = None
) -> float:
    """The threshold for the sentence's day (``_day``): an early window's, else, after the early
    windows, the upper reference limit the writer states, if any."""
    window = _early_window(rule, _day(sentence, earlier_day))
    if window is not None:
        return window.above
    return rule.above if stated is None else stated


_REFERENCE = re.compile(
    r"(?:\(\s*|\|\s*|\b(?:ref(?:erence)?(?:\s+range)?|normal(?:\s+range)?|nr|uln)\s*[:=]?\s*\(?\s*)"
    r"(?:(?:<|≤|<=)\s*(\d+(?:\.\d+)?)|\d+(?:\.\d+)?\s*[-–]\s*(\d+(?:\.\d+)?))(?![\d.])",
    re.I,
)
"""A reference range the writer gives: "(ref 0-5)", "(<20)", "| 4-11", "normal < 5"."""


def _stated_reference(sentence: str, start: int, stop: int) -> tuple[float | None, str]:
    """The upper reference limit stated in a stretch of the sentence, and the sentence with the
    range blanked out so that its numbers are not read as values."""
    found = _REFERENCE.search(sentence, start, stop)
    if found is None:
        return None, sentence
    limit = float(found.group(1) or found.group(2))
    blank = (
        sentence[: found.start()] + " " * (found.end() - found.start()) + sentence[found.end() :]
    )
    return limit, blank


def _blank_out_of(sentence: str, out_of: int) -> str:
    """The sentence with each "/27" after a score blanked, so "19/27" reads as 19."""
    return re.sub(rf"(?<=\d)\s*/\s*{out_of}\b", lambda match: " " * len(match.group(0)), sentence)


# The reading API other modules use (later_values.py): a rule's stretches and their values,
# read the same way as the threshold rules read them here.


@dataclass(frozen=True, slots=True)
class Stretch:
    """One stretch of a text that a rule's analyte names, from its name to the next other analyte
    or the end: where the name starts and ends and where the stretch stops; the upper reference
    limit the writer states in it, if any; the text with that range blanked (same length, so
    positions hold); and the values the stretch gives, in order."""

    start: int
    named: int
    stop: int
    reference: float | None
    text: str
    values: list[Value]


def without_out_of(rule: ValueRule, text: str) -> str:
    """The text with the score denominators of a rule that has one blanked ("19/27" reads as 19),
    same length; the text itself for other rules."""
    return text if rule.out_of is None else _blank_out_of(text, rule.out_of)


def stretches(rule: ValueRule, text: str) -> Iterator[Stretch]:
    """Each stretch of ``text`` that the rule's analyte names (``without_out_of`` is not applied
    here: a caller that needs it does it first)."""
    analyte = re.compile(rule.analyte, re.I)
    until = re.compile(rule.until, re.I) if rule.until else None
    factors = _factors(rule)
    for start, named, stop in _segments(text, analyte, until):
        reference, blanked = _stated_reference(text, named, stop)
        yield Stretch(
            start, named, stop, reference, blanked, _values(blanked, named, stop, factors)
        )


_SCORE_BEFORE = re.compile(
    r"(?<![\d/.])(\d{1,2})(?:\s*/\s*\d{1,2})?\s+(?:points?\s+)?(?:on|in)\s+(?:the\s+|her\s+|his\s+)?$",
    re.I,
)
"""A score written before the questionnaire's name: "scores 17 on the PHQ-9"."""


_SERIES_STEP = re.compile(r"\s*(?:->|→|>|then|,\s*then|to|down\s+to|up\s+to)\s*$", re.I)


_PEAK_BEFORE = re.compile(
    r"\b(?:peak(?:ed)?|max(?:imum)?|highest)\s*(?:of|at|was|value)?\s*[:=]?\s*$", re.I
)
"""The words that mark a value as the highest one reached, not the current one."""


def _current(sentence: str, values: list[Value]) -> list[Value]:
    """The value a series says is current: the undated first one when the earlier ones follow it
    dated ("40 (D3 180, D5 110)"), the one at the latest day when values are dated
    ("day 2 170, day 7 52, day 21 4"), the last when they are chained ("45 -> 22 -> 60"); else
    every value (a single reading, or a list the rule reads as ``any``)."""
    if len(values) < 2:
        return values
    # tune16e: a peak given beside today's value ("CRP now 4 (peak 180)") is an earlier one
    today = [v for v in values if not _PEAK_BEFORE.search(sentence, max(0, v.start - 16), v.start)]
    if today and len(today) < len(values):
        values = today
        if len(values) < 2:
            return values
    order = time_order(sentence, [(value.start, value.end) for value in values])
    if order is not None and order[-1] == 0:
        # Today's value written first, the earlier ones dated after it ("168 (D3 102, D7 60)").
        return values[:1]
    dated = []
    for value in values:
        day = _DAY.search(sentence, max(0, value.start - 12), value.start)
        if day is not None and not sentence[day.end() : value.start].strip(" :=,"):
            dated.append((int(day.group(1)), value))
    if len(dated) >= 2:
        return [max(dated, key=lambda pair: pair[0])[1]]
    chained = all(
        _SERIES_STEP.search(sentence[before.end : after.start])
        for before, after in itertools.pairwise(values)
    )
    return values[-1:] if chained else values


_MEASURE_BEFORE = re.compile(r"(\d+(?:\.\d+)?)\s*(mm|cm|ml|mls|cc)\s+(?:of\s+)?$", re.I)


def _measure_before(
    sentence: str, start: int, accepted: set[str], factors: dict[str, float]
) -> list[Value]:
    """A length or volume written just before the analyte's name ("3 mm interspinous motion",
    "4 mm of translation"): measurements come first as often as after."""
    found = _MEASURE_BEFORE.search(sentence, max(0, start - 16), start)
    if found is None or found.end() != start or found.group(2).lower() not in accepted:
        return []
    unit = found.group(2).lower()
    number = float(found.group(1)) * factors.get(unit, 1.0)
    return [Value(number, found.start(), found.end(), unit)]


def _in_bar_row(text: str, at: int) -> bool:
    """Whether the line holding the character at ``at`` is a table line: it has a bar, at its
    start ("| CRP | 7 |") or after a name ("CRP (mg/L) | 6 | 3")."""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    return "|" in text[line_start : len(text) if line_end == -1 else line_end]


def _threshold(
    rule: ValueRule, sentence: str, offset: int, earlier_day: int | None = None
) -> Iterator[Reading]:
    analyte = re.compile(rule.analyte, re.I)
    until = re.compile(rule.until, re.I) if rule.until else None
    factors = _factors(rule)
    if rule.out_of is not None:
        sentence = _blank_out_of(sentence, rule.out_of)
    original = sentence
    for start, named, stop in _segments(original, analyte, until):
        stated, sentence = None, original
        if rule.stated_reference:
            stated, sentence = _stated_reference(original, named, stop)
        limit = _limit(rule, sentence, earlier_day, stated)
        early = _early_window(rule, _day(sentence, earlier_day)) is not None
        values = _values(sentence, named, stop, factors)
        before = _SCORE_BEFORE.search(sentence, max(0, start - 20), start)
        if rule.out_of is not None and before is not None and before.end() == start:
            values = [Value(float(before.group(1)), before.start(), before.end())]
        accepted = MEASURED.get((rule.unit or "").lower())
        if accepted is not None:
            # A measure written just before the name is the name's own ("4 mm translation at L4-5
            # (adjacent levels 1 mm)"); the values after it are then other levels' or times'.
            values = _measure_before(sentence, start, accepted, factors) or [
                v for v in values if v.unit in accepted
            ]
        if _in_bar_row(sentence, start):
            # A table row written left to right ("| CRP | 48 | 176 | 77 |"): the last is the latest.
            values = values[-1:]
        else:
            values = values[:1] if rule.reading == "first" else _current(sentence, values)
        for reading in _judged(rule, values, limit, sentence, (offset, start, named)):
            yield replace(reading, early=early)


def _judged(
    rule: ValueRule, values: list[Value], limit: float, sentence: str, at: tuple[int, int, int]
) -> Iterator[Reading]:
    """The reading of the first of ``values`` above the limit (or above ``uncertain_above``);
    ``at`` is (the sentence's offset, the start and the end of the analyte's name)."""
    offset, start, named = at
    reach = value_rules().negation_reach
    for value in values:
        if reach is not None and re.search(reach.within, sentence[named : value.start], re.I):
            return  # "CRP not raised at 38", "WCC normal at 11.5": the writer denies it
        span = (offset + min(start, value.start), offset + max(named, value.end))
        if value.number > limit:
            borderline = rule.borderline is not None and value.number <= rule.borderline
            yield Reading(rule.finding, *span, borderline=borderline)
            return
        if rule.uncertain_above is not None and value.number > rule.uncertain_above:
            # Below the limit itself: never clearer than borderline.
            yield Reading(rule.finding, *span, uncertain=True, borderline=True)
            return


_ROSE_SINCE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:mg/l)?[\s,;(\"'“\u2013-]*(?:and\s+)?(?:(?:it\s+|that\s+)?(?:was|had\s+been)|"
    r"(?:up|risen|rose)\s+from|from|previously)\s+(\d+(?:\.\d+)?)\s*(?:mg/l)?\s*(?:on\s+|at\s+|after\s+)?"
    r"(?:(?:d/c|discharge)\s+)?(?:(?:day|pod|d)\s?(\d{1,3})\b|(?:(\d{1,2}|an?|one|two|three|four|five|six)"
    r"\s*(?:weeks?|wks?)|last\s+week)\b)",
    re.I,
)
"""A value with the earlier one it rose from, dated by a post-operative day ("212, was 40 on day
6", "166 (was 41 at d/c day 5)") or in weeks ("110 (was 45 at two weeks)", "74, risen from 31 last
week", "96, up from 38 a week ago", in a relative's words "55 - it was 20 at two weeks", "85, and it
was 30 last week"): a value a week or more old is past the day-2-3 peak (tune16i, tune16l)."""
_WEEK_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _rose_since_day(rose: re.Match[str]) -> int:
    """The post-operative day (or, for a value dated in weeks, days ago) of the earlier value."""
    if rose.group(3) is not None:
        return int(rose.group(3))
    weeks = rose.group(4)
    if weeks is None:  # "last week"
        return 7
    return 7 * (int(weeks) if weeks.isdigit() else _WEEK_WORDS[weeks.lower()])


def _rise_after_fall(rule: ValueRule, sentence: str, offset: int) -> Iterator[Reading]:
    analyte = re.compile(rule.analyte, re.I)
    until = re.compile(rule.until, re.I) if rule.until else None
    for start, named, stop in _segments(sentence, analyte, until):
        rose = _ROSE_SINCE.search(sentence, named, stop)
        if rose is not None and rule.peak_over_by_day is not None:
            now, before, day = float(rose.group(1)), float(rose.group(2)), _rose_since_day(rose)
            if day >= rule.peak_over_by_day and now > before and now > rule.above:
                yield Reading(rule.finding, offset + start, offset + rose.end())
                return
        series = _values(sentence, named, stop, _factors(rule))
        spans = [(value.start, value.end) for value in series]
        order = time_order(sentence, spans)
        days = [dated(sentence, spans, i) for i in range(len(series))]
        steps = list(range(len(series))) if order is None else order
        fell = False
        for earlier, later in itertools.pairwise(steps):
            older, newer = series[earlier], series[later]
            past_peak = (
                rule.peak_over_by_day is not None
                and order is not None
                and (days[earlier] or 0) >= rule.peak_over_by_day
            )
            if newer.number < older.number:
                fell = True
            elif (fell or past_peak) and older.number < newer.number and newer.number > rule.above:
                # The finding ends at the last value of the rise in the text, not at the end of
                # the stretch: words after it ("with no fever") are other findings', and ConText
                # drops a modifier that lies inside a finding's span.
                end = max(series[i].end for i in steps[: steps.index(later) + 1])
                yield Reading(rule.finding, offset + start, offset + end)
                return


def _own_words(sentence: str, grades: list[re.Match[str]], index: int) -> tuple[str, str]:
    """The words that belong to one grade: before it back to the previous grade (at most 20
    characters), and after it up to the next separator or grade."""
    match = grades[index]
    stop = grades[index + 1].start() if index + 1 < len(grades) else len(sentence)
    begin = grades[index - 1].end() if index > 0 else max(0, match.start() - 20)
    after = re.split(r"[,;(]|\s[-–]\s", sentence[match.end() : stop], maxsplit=1)[0]
    before = re.split(r"[,;]|\s[-–]\s", sentence[begin : match.start()])[-1][-20:]
    return before, after


def _is_earlier(sentence: str, grades: list[re.Match[str]], index: int) -> bool:
    """Whether a grade is a past one: "was 5/5", "(5/5 yesterday)", "5/5 pre-op", "at 2 weeks"."""
    before, after = _own_words(sentence, grades, index)
    if index + 1 < len(grades):
        after = _NEXT_LEAD.sub("", after)  # "was 4/5 last week and is 2/5": "and is" is the next's
    if _CURRENT.search(after[:20]) or re.search(
        r"\b(?:now|is|today)\s*[A-Za-z ]{0,10}$", before, re.I
    ):
        return False
    if _NOW_THEN.match(sentence, grades[index].end()):
        return False
    return bool(_EARLIER_AFTER.search(after) or _EARLIER_BEFORE.search(before))


_NEXT_LEAD = re.compile(
    r"\s(?:and|but|while|whereas)\s+(?:it\s+|she\s+|he\s+)?(?:is|are|was|now)\s*$", re.I
)
"""The words that lead a grade's next one in ("4/5 on Monday and is 2/5 today"): they date the next
grade, not this one."""


_NOW_THEN = re.compile(r"\s*[,;]?\s*(?:was|previously|prev\.?|vs\.?|from)\s+[0-5][+-]?/5", re.I)
"""A grade followed straight by its earlier one ("(2/5, was 4/5 yesterday)") is the current one,
even inside brackets."""


_CHAIN_STEP = re.compile(r"^[^,;()]{0,20}?(?:->|→|=>|>|\bthen\b|\bto\b|\bnow\b)", re.I)


def _chained(sentence: str, grades: list[re.Match[str]]) -> list[bool]:
    """Whether each grade leads by an arrow or "then" to the next one ("2/5 at 2200 -> 1/5 at
    0200 -> 0/5"): in such a series every grade but the last is an earlier one."""
    return [
        index + 1 < len(grades)
        and _CHAIN_STEP.search(sentence[grade.end() : grades[index + 1].start()]) is not None
        for index, grade in enumerate(grades)
    ]


def _grade_groups(
    sentence: str, grades: list[re.Match[str]]
) -> list[tuple[re.Match[str], list[re.Match[str]]]]:
    """Each current grade with the earlier grades that belong to it: those written after it up
    to the next current grade ("EHL 3/5 (was 4/5 at 6 weeks, 5/5 pre-op), DF 4-/5 (was 4+/5)"),
    or before it when the sentence gives the earlier grade first ("was 5/5, now 3/5")."""
    chained = _chained(sentence, grades)
    earlier = [
        chained[i] or (_is_earlier(sentence, grades, i) and not (i > 0 and chained[i - 1]))
        for i in range(len(grades))
    ]
    groups: list[tuple[re.Match[str], list[re.Match[str]]]] = []
    waiting: list[re.Match[str]] = []
    for grade, is_earlier in zip(grades, earlier, strict=True):
        if not is_earlier:
            groups.append((grade, waiting))
            waiting = []
        elif groups:
            groups[-1][1].append(grade)
        else:
            waiting.append(grade)
    return groups


_AT_CLOCK = re.compile(
    r"^[^,;.]{0,25}?\bat\s+\d{1,2}[:.]\d{2}\b|^[^,;.]{0,25}?\bat\s+\d{4}\s*h", re.I
)
"""A grade dated by the clock within its own words ("3/5 bilaterally at 07:00")."""


def _clocked(
    sentence: str, grades: list[re.Match[str]], progression: ValueRule | None
) -> Iterator[Reading]:
    """Grades each dated by the clock in one sentence ("3/5 at 07:00, 2/5 at 09:00"), read in
    the order written as a timed series, like one line per time (``_timed_series``)."""
    if not all(_AT_CLOCK.search(_own_words(sentence, grades, i)[1]) for i in range(len(grades))):
        return
    yield from _series_readings([(mrc_grade(g), g.start(), g.end()) for g in grades], progression)


def _recovering(sentence: str, grades: list[re.Match[str]], offset: int) -> Iterator[Reading]:
    """A series that recovers is never a worsening; a grade still below full power after surgery
    (no pre-operative grade in the sentence) is a new weakness all the same."""
    if mrc_grade(grades[-1]) < 5 and not _PREOP.search(sentence):
        yield Reading("new_weakness", offset + grades[0].start(), offset + grades[-1].end())


def _arrow_trends(sentence: str, offset: int, progression: ValueRule | None) -> Iterator[Reading]:
    """Bare grades chained by arrows after a muscle's name ("quads 4 -> 3"), read as a series;
    the muscle names are the ``grade_grid`` rule's."""
    muscles = next((r.analyte for r in value_rules().rules if r.kind == "grade_grid"), None)
    if muscles is None:
        return
    for run in arrow_runs(sentence, muscles):
        for reading in _series_readings(run, progression):
            yield replace(reading, start=reading.start + offset, end=reading.end + offset)


def _progression(rules: ValueRules) -> ValueRule | None:
    """The rule that says when a fall of muscle grades is a progressive weakness."""
    return next((rule for rule in rules.rules if rule.kind == "grade_progression"), None)


def progressive(earlier: list[float], rule: ValueRule | None) -> bool:
    """Whether a grade below these earlier post-operative ones is a weakness getting worse, not
    only a new one (the ``grade_progression`` rule): the muscle was already weak at an earlier
    examination (below ``normal``), or the series fell through ``drops`` different grades."""
    if rule is None or rule.normal is None or rule.drops is None:
        return False
    return any(grade < rule.normal for grade in earlier) or len(set(earlier)) >= rule.drops


def _grade_trend(
    rule: ValueRule, sentence: str, offset: int, progression: ValueRule | None
) -> Iterator[Reading]:
    steps = labelled_series(sentence)  # each grade dated by its own words (grade_series.py)
    earlier_steps = fall(steps) if steps is not None else None
    if steps is not None and earlier_steps is not None:
        start, end = offset + steps[-1].start, offset + steps[-1].end
        yield Reading("new_weakness", start, end, trend=True)
        if progressive(earlier_steps, progression):
            yield Reading("progressive_weakness", start, end, trend=True)
    yield from _arrow_trends(sentence, offset, progression)
    grades = list(GRADE.finditer(sentence))
    if len(grades) < 2:
        return
    if rising(sentence):
        yield from _recovering(sentence, grades, offset)
        return
    dropped: list[re.Match[str]] = []
    for current, earlier in _grade_groups(sentence, grades):
        dropped += [g for g in earlier if mrc_grade(g) > mrc_grade(current)]
    if not dropped:
        for reading in _clocked(sentence, grades, progression):
            yield replace(reading, start=reading.start + offset, end=reading.end + offset)
        return
    start = min(g.start() for g in grades)
    end = max(g.end() for g in grades)
    yield Reading("new_weakness", offset + start, offset + end, trend=True)
    chained = _chained(sentence, grades)
    for current, earlier in _grade_groups(sentence, grades):
        words = {id(g): "".join(_own_words(sentence, grades, grades.index(g))) for g in earlier}
        after_surgery = [
            g
            for g in earlier
            if mrc_grade(g) > mrc_grade(current) and not _PREOP.search(words[id(g)])
        ]
        # A fall within hours of a full grade, or one the writer draws as a course ("5/5 -> 4/5"),
        # is a deficit evolving (``_HOURS_AGO``).
        evolving = any(
            _HOURS_AGO.search(words[id(g)]) or chained[grades.index(g)] for g in after_surgery
        )
        if evolving or progressive([mrc_grade(g) for g in after_surgery], progression):
            yield Reading("progressive_weakness", offset + start, offset + end, trend=True)
            return


_HOURS_AGO = re.compile(
    r"\b(?:yesterday|last\s+night|overnight|this\s+morning|earlier\s+today|on\s+arrival|"
    r"\d{1,2}\s*(?:h|hrs?|hours?)\s+ago|at\s+\d{1,2}[:.]\d{2}|at\s+\d{4}\s*h?|"
    r"at\s+\d{1,2}\s*(?:am|pm)|(?:d|day|pod)\s?[1-7])\b",
    re.I,
)
"""An earlier examination hours or days back, named as such ("5/5 yesterday", "(5/5 at 6 pm)",
"(5/5 D1)" on day 3): a drop since then is a deficit evolving, which the writers judged
progressive. An earlier grade with no such time ("(was 5/5)", "(5/5 at discharge)", "5/5
post-op") or weeks or months back is a single drop from full power: a new weakness only (corpus FORMAT.md,
fourth set)."""


_CLOCK = re.compile(
    r"^\s*(?:\d{1,2}[:.]\d{2}|\d{4}\s*h(?:rs?)?|\+\s?\d{1,3}\s*(?:h|hrs?|hours?|mins?)|"
    r"(?:on\s+)?arrival|baseline)\b",
    re.I,
)
"""A line that starts with its time: a clock ("14:00", "0200h"), a time since a start ("+2 h",
"+30 min" in recovery), or the first examination ("Arrival:", "Baseline:")."""


def _timed_series(
    sentences: list[tuple[int, str]], progression: ValueRule | None
) -> Iterator[Reading]:
    """Serial examinations written one line per time ("08:00 hip flexion 4/5 ... 12:00 hip flex
    3/5 ... 16:00 hip flex 2/5"): the weakest grade of each timed line, in order. A fall over the
    series is a new weakness; a fall over two steps, or from a grade already below 5, is a
    progressive one. The finding covers the last line's weakest grade."""
    run: list[tuple[float, int, int]] = []
    for offset, sentence in [*sentences, (0, "")]:
        grades = list(GRADE.finditer(sentence)) if _CLOCK.match(sentence) else []
        if grades:
            weakest = min(grades, key=mrc_grade)
            run.append((mrc_grade(weakest), offset + weakest.start(), offset + weakest.end()))
            continue
        yield from _series_readings(run, progression)
        run = []


def _series_readings(
    run: list[tuple[float, int, int]], progression: ValueRule | None
) -> Iterator[Reading]:
    if len(run) < 2 or run[-1][0] >= run[0][0]:
        return
    _, start, end = run[-1]
    yield Reading("new_weakness", start, end, trend=True)
    earlier = [value for value, _, _ in run[:-1] if value > run[-1][0]]
    if progressive(earlier, progression):
        yield Reading("progressive_weakness", start, end, trend=True)


def _relief(sentence: str, two_blocks: str | None = None) -> float | None:
    """The relief a block gave: the best figure, except that where the sentence tells two blocks
    ("MBB x2: 50% and 30%", "90% after the first block, 30% after the confirmatory one") its
    figures are one per block, and comparative blocks are only as good as the weaker."""
    found = [
        m
        for m in _PERCENT.finditer(sentence)
        if not (float(m.group(1)) <= 5 and _STRENGTH.search(sentence[: m.start()]))
    ]
    percents = [float(m.group(1)) for m in found]
    runs: list[list[float]] = []  # figures listed side by side ("right 90% and 85%, left 20%")
    for index, match in enumerate(found):
        joined = index > 0 and _LISTED.fullmatch(sentence[found[index - 1].end() : match.start()])
        if joined:
            runs[-1].append(percents[index])
        else:
            runs.append([percents[index]])
    if len(percents) >= 2 and two_blocks and re.search(two_blocks, sentence, re.I):
        if any(len(run) >= 2 for run in runs):
            return max(min(run) for run in runs)  # one pair of blocks per side or level
        return min(percents)
    if percents:
        return max(percents)
    arrows = [(int(m.group(1)), int(m.group(2))) for m in _PAIN_ARROW.finditer(sentence)]
    if arrows and all(before > 0 for before, _ in arrows):
        return max((before - after) / before * 100 for before, after in arrows)
    scores = [int(m.group(1)) for m in _PAIN.finditer(sentence)]
    if len(scores) >= 2 and scores[0] > 0:
        return max((scores[0] - after) / scores[0] * 100 for after in scores[1:])
    return None


def _topic_distance(rule: ValueRule, sentences: list[tuple[int, str]], index: int) -> int | None:
    """How many sentences away the nearest one naming the rule's topic is: this one (0), up to
    ``topic_reach`` before it, or the next one (1); None when none does."""
    if rule.topic is None:
        return None
    topic = re.compile(rule.topic, re.I)
    for back in range(min(index, rule.topic_reach) + 1):
        if topic.search(sentences[index - back][1]):
            return back
    if index + 1 < len(sentences) and topic.search(sentences[index + 1][1]):
        return 1
    return None


def _other_block(rule: ValueRule, sentence: str) -> bool:
    """Whether the sentence names another block or treatment before its first figure ("the
    epidural gave 80%"); a plan after the figure ("so RF next month") does not count."""
    if rule.other_blocks is None:
        return False
    figure = _PERCENT.search(sentence) or _PAIN.search(sentence)
    told = sentence[: figure.start()] if figure is not None else sentence
    return re.search(rule.other_blocks, told, re.I) is not None


def _named_by_topic(
    rule: ValueRule, sentences: list[tuple[int, str]], index: int, rules: list[ValueRule]
) -> bool:
    """A block the sentence tells without naming it ("both blocks gave 80%") is the rule's when
    the nearest topic named around it is the rule's alone (see ``ValueRule.topic``)."""
    sentence = sentences[index][1]
    if rule.block_words is None or not re.search(rule.block_words, sentence, re.I):
        return False
    if _other_block(rule, sentence):
        return False
    own = _topic_distance(rule, sentences, index)
    if own is None:
        return False
    for other in rules:
        if other is rule or other.kind != "relief" or other.finding == rule.finding:
            continue
        if re.search(other.analyte, sentence, re.I):
            return False
        distance = _topic_distance(other, sentences, index)
        if distance is not None and distance <= own:
            return False
    return True


def _relief_rule(
    rule: ValueRule,
    sentences: list[tuple[int, str]],
    index: int,
    rules: list[ValueRule] | None = None,
) -> Iterator[Reading]:
    """The block is named in this sentence or the one before it, or told by its topic
    (``_named_by_topic``); the relief is in this one."""
    offset, sentence = sentences[index]
    analyte = re.compile(rule.analyte, re.I)
    named = analyte.search(sentence)
    if named is None and not (index > 0 and analyte.search(sentences[index - 1][1])):
        if not _named_by_topic(rule, sentences, index, rules or []):
            return
    elif named is None and _other_block(rule, sentence):
        return  # the block named in the sentence before; this one tells another's relief
    relief = _relief(sentence, rule.two_blocks)
    floor = rule.above if rule.uncertain_above is None else min(rule.above, rule.uncertain_above)
    if relief is not None and relief > floor:
        start = named.start() if named is not None else 0
        first = _PERCENT.search(sentence) or _PAIN.search(sentence) or _PAIN_ARROW.search(sentence)
        between = sentence[start : first.start()] if first is not None else ""
        if rule.not_a_result and re.search(rule.not_a_result, between, re.I):
            return
        if rule.negative_block and any(
            re.search(rule.negative_block, text, re.I) for _, text in sentences[index : index + 2]
        ):
            return  # "... 6/10 after the confirmatory block. Discordant response."
        nearby = sentences[max(0, index - 1) : index + 2]
        # The finding ends with the last figure of relief, not the sentence: a comment after it
        # ("- discordant, not diagnostic") is ConText's to read, and ConText drops a modifier
        # that lies inside a finding's span.
        figures = [
            m.end()
            for m in (
                *_PERCENT.finditer(sentence),
                *_PAIN.finditer(sentence),
                *_PAIN_ARROW.finditer(sentence),
            )
        ]
        end = max([*figures, start + 1])
        single = rule.single_block is not None and any(
            re.search(rule.single_block, text, re.I) for _, text in nearby
        )
        uncertain = relief <= rule.above or single
        yield Reading(rule.finding, offset + start, offset + end, uncertain=uncertain)


_WEIGHT = re.compile(
    r"\bweight\s+(\d+(?:\.\d+)?)\s*kg\b[^.;]{0,10}?\b(?:was|from)\s+(\d+(?:\.\d+)?)\s*kg", re.I
)
_WEIGHT_ARROW = re.compile(
    r"\bweight\s+(?:(?:has\s+)?(?:gone\s+)?(?:down|fallen|dropped)\s+)?(?:from\s+)?"
    r"(\d+(?:\.\d+)?)\s*(?:kg\s*)?(?:->|→|=>|>)\s*(\d+(?:\.\d+)?)\s*kg\b",
    re.I,
)
"""A weight told before then now with an arrow ("Weight 61 -> 56 kg"), as charts write a change."""


def _weight_drop(rule: ValueRule, sentence: str, offset: int) -> Iterator[Reading]:
    for match in _WEIGHT.finditer(sentence):
        now, before = float(match.group(1)), float(match.group(2))
        if before > 0 and (before - now) / before * 100 > rule.above:
            yield Reading(rule.finding, offset + match.start(), offset + match.end(), trend=True)
    for match in _WEIGHT_ARROW.finditer(sentence):
        before, now = float(match.group(1)), float(match.group(2))
        if before > 0 and (before - now) / before * 100 > rule.above:
            yield Reading(rule.finding, offset + match.start(), offset + match.end(), trend=True)


@cache
def _measure_drop_pattern(analyte: str, unit: str) -> re.Pattern[str]:
    """The analyte, a value now, and within a few words an earlier value ("was", "from")."""
    number = r"(\d+(?:\.\d+)?)\s*" + re.escape(unit) + r"\b"
    return re.compile(
        rf"(?:{analyte})[^.;]{{0,30}}?{number}[^.;]{{0,12}}?"
        rf"\b(?:was|from|previously|down\s+from|compared\s+with)\s+{number}",
        re.I,
    )


def _measure_drop(rule: ValueRule, sentence: str, offset: int) -> Iterator[Reading]:
    """A measure now against the same measure before, fallen by more than ``above`` units."""
    if rule.unit is None:
        return
    for match in _measure_drop_pattern(rule.analyte, rule.unit).finditer(sentence):
        now, before = float(match.group(1)), float(match.group(2))
        if before - now > rule.above:
            yield Reading(rule.finding, offset + match.start(), offset + match.end(), trend=True)


@cache
def _measure_worse_pattern(analyte: str) -> re.Pattern[str]:
    """The analyte, a value now (in seconds or points, "38 s", "41/56"), and within a few words an
    earlier value ("(was 24 s)", "from 50")."""
    number = r"(\d+(?:\.\d+)?)(?:\s*(?:s|secs?|seconds?)\b|\s*/\s*\d+)?"
    return re.compile(
        rf"(?:{analyte})[^.;]{{0,30}}?(?<![\d.]){number}[^.;\d]{{0,25}}?"
        rf"\b(?:was|from|previously|compared\s+with)\s+{number}",
        re.I,
    )


def _measure_worse(rule: ValueRule, sentence: str, offset: int) -> Iterator[Reading]:
    """A measure now against the same measure before, worse (``rule.worse``) by more than
    ``above``: per cent of the earlier value when the unit is "%", else in its own points."""
    for match in _measure_worse_pattern(rule.analyte).finditer(sentence):
        now, before = float(match.group(1)), float(match.group(2))
        change = now - before if rule.worse == "higher" else before - now
        if rule.unit == "%":
            change = change / before * 100 if before > 0 else 0.0
        if change > rule.above:
            yield Reading(rule.finding, offset + match.start(), offset + match.end(), trend=True)


_SERIES_NUMBER = re.compile(
    r"(?<![\d./-])(\d+(?:\.\d+)?)(?![\d/%.]|\s*(?:mo(?:nths?)?|m\b|w(?:ee)?ks?|w\b|d(?:ays?)?\b|y(?:ea)?rs?|h(?:ours?|rs?)?\b|/))",
    re.I,
)
"""A value of a series: a number that is not a time ("at 6 months"), a score's maximum or a ratio."""
_SERIES_TIME_BEFORE = re.compile(
    r"\b(?:weeks?|wks?|days?|months?|years?|pod|visit|session|test|time)\s*#?$", re.I
)
"""Words that make the number after them a time or a count ("week 1", "day 3"), not a value."""
_SERIES_BACKWARD = re.compile(r"^[^\d]{0,15}\b(?:was|previously|prev)\b", re.I)
"""Words right after the first value that put the later values before it ("13 (was 16, 17)")."""
_SERIES_SPAN = 90
"""How far (characters) after its name a measure's series may run."""


def _measure_series(rule: ValueRule, sentence: str, offset: int) -> Iterator[Reading]:
    """A measure written as a run of three or more values over time ("grip 32 -> 26 -> 19 kg",
    "peg 61 s last month, 74 s last week and 90 s today", "mJOA 13 (was 16, 17 before)"): worse
    (``rule.worse``) at every interval and by more than ``above`` overall, the worsening is
    documented across two or more intervals, not a single drop."""
    for match in re.finditer(rule.analyte, sentence, re.I):
        window = sentence[match.end() : match.end() + _SERIES_SPAN]
        window = re.split(r"[;.](?:\s|$)", window, maxsplit=1)[0]
        stop = re.search(rule.until, window, re.I) if rule.until else None
        window = window[: stop.start()] if stop else window  # "CRP 22, WCC 12.4 (4-11)"
        values = [
            (float(found.group(1)), found.end())
            for found in _SERIES_NUMBER.finditer(window)
            if not _SERIES_TIME_BEFORE.search(window[: found.start()])
        ]
        if len(values) < 3:
            continue
        series = [value for value, _ in values]
        if _SERIES_BACKWARD.match(window[values[0][1] :]):
            series.reverse()
        steps = [now - before for before, now in itertools.pairwise(series)]
        if rule.worse == "lower":
            steps = [-step for step in steps]
        if any(step <= 0 for step in steps):
            continue
        change = series[-1] - series[0] if rule.worse == "higher" else series[0] - series[-1]
        if rule.unit == "%":
            change = change / series[0] * 100 if series[0] > 0 else 0.0
        if change > rule.above:
            end = match.end() + values[-1][1]
            yield Reading(rule.finding, offset + match.start(), offset + end, trend=True)


_SENTENCE_KINDS: dict[str, Callable[[ValueRule, str, int], Iterator[Reading]]] = {
    "rise_after_fall": _rise_after_fall,
    "measure_drop": _measure_drop,
    "measure_worse": _measure_worse,
    "measure_series": _measure_series,
    "weight_drop": _weight_drop,
}
"""The kinds of rule that read one sentence alone."""


def read_values(sentences: list[tuple[int, str]], rules: ValueRules | None = None) -> list[Reading]:
    """Every finding the numbers in the sentences give; ``sentences`` are (offset, text) pairs."""
    rules = rules or value_rules()
    progression = _progression(rules)
    readings: list[Reading] = []
    earlier_day: int | None = None
    for index, (offset, sentence) in enumerate(sentences):
        if index > 0:
            # the latest day named so far: a smaller day told later ("5 weeks after the TLIF ...
            # Discharged POD3 uneventfully") is a past event's, not the day of the values after it
            day = _latest_day(sentences[index - 1][1])
            earlier_day = day if earlier_day is None or (day or 0) > earlier_day else earlier_day
        for rule in rules.rules:
            if rule.kind == "threshold":
                readings += _threshold(rule, sentence, offset, earlier_day)
            elif rule.kind == "relief":
                readings += _relief_rule(rule, sentences, index, rules.rules)
            elif rule.kind == "grade_trend":
                readings += _grade_trend(rule, sentence, offset, progression)
            elif rule.kind not in ("grade_progression", "grade_grid"):  # read elsewhere
                readings += _SENTENCE_KINDS[rule.kind](rule, sentence, offset)
    if any(rule.kind == "grade_trend" for rule in rules.rules):
        readings += _timed_series(sentences, progression)
    return _early_given_way(readings, rules)


def _early_given_way(readings: list[Reading], rules: ValueRules) -> list[Reading]:
    """The readings without those from an early window whose rule gives way to a finding the
    report also reads (``early_gives_way_to``: "CRP 168 (D3 102, D7 60)" on day 12 is a second
    rise, not a raised CRP)."""
    read = {reading.finding for reading in readings}
    giving_way = {
        rule.finding
        for rule in rules.rules
        if rule.early_gives_way_to is not None and rule.early_gives_way_to in read
    }
    if not giving_way:
        return readings
    return [r for r in readings if not (r.early and r.finding in giving_way)]
