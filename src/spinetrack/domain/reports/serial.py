"""The order in time of serial values written in one stretch of a report.

Clinicians write a run of results in more than one order: oldest first along arrows or a list
("CRP 45 -> 120", "day 2 140 / day 4 95 / day 7 130"), or today's value first with the earlier
ones after it in brackets ("CRP 168 (D3 102, D7 60)", "WCC 14.2 (yesterday 9.1)"). A rule that
asks whether a value fell and rose again must read them oldest first, so this module gives each
value the time its own words name (a post-operative day, a date, "yesterday", "today") and sorts
by it. A value with no time of its own written first, before a bracket of dated ones, is the
current one: that is the point of writing it first.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from spinetrack.domain.reports.time_words import parse_time_words

_DAY_BEFORE = re.compile(r"\b(?:day|pod|d)\s?(\d{1,3})\s*(?:[:=]|\bwas\b)?\s*$", re.I)
_DAY_AFTER = re.compile(
    r"^\s*(?:mg/l|mg/dl)?\s*\(?\s*(?:(?!since|after|from|until|before)[a-z]+\s+){0,3}?(?:day|pod|d)\s?(\d{1,3})\b(?!\s*(?:[:=]|was\b)?\s*\d)",
    re.I,
)
_DATE_BEFORE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})(?:[/.](?:\d{2}|\d{4}))?\s*[:=]?\s*$")
_RELATIVE_BEFORE = re.compile(r"\b(yesterday|today|now|currently)\s*[:=]?\s*$", re.I)
_RELATIVE_AFTER = re.compile(r"^\s*(?:mg/l|mg/dl)?\s*\(?\s*(yesterday|today|now)\b", re.I)
_RELATIVE = {"yesterday": -1.0, "today": 0.0, "now": 0.0, "currently": 0.0}
_WEEK_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "eight": 8}
_WEEKS_AFTER = re.compile(
    r"^\s*(?:mg/l|mg/dl)?\s*\(?\s*(?:at|after|by)\s+(\d{1,2}|one|two|three|four|five|six|eight)"
    r"\s*(?:weeks?|wks?|/52)\b(?!\s+(?:ago|before|pre))",
    re.I,
)
"""A value dated in weeks after the operation by the words after it ("CRP 9 at two weeks, 46 at
five weeks"): on the post-operative day clock, seven days a week (tune16q)."""
_DISCHARGE_AFTER = re.compile(
    r"^\s*(?:mg/l|mg/dl)?\s*\(?\s*(?:at|on|by)\s+(?:(?:his|her|the)\s+)?(?:discharge|d/c)\b", re.I
)
"""A value dated at discharge by the words after it ("CRP was 15 at discharge and is 62 today",
"CRP 22 (4 at discharge)"): placed on the post-operative day clock where time_words.yaml places a
grade at discharge (tune16q)."""


@dataclass(frozen=True, slots=True)
class Timed:
    """A value's place in time: ``kind`` says which clock (post-operative day, calendar date, or
    days relative to today); values on different clocks are not compared."""

    kind: str
    when: float


def _time_of(text: str, start: int, end: int, floor: int) -> Timed | None:
    """The time named in the words right before a value, or right after it when none is
    before; ``floor`` is where the previous value ended, so a label is never borrowed from it."""
    before = text[max(floor, start - 14) : start]
    after = text[end : end + 32]
    if (day := _DAY_BEFORE.search(before)) is not None:
        return Timed("day", float(day.group(1)))
    if (date := _DATE_BEFORE.search(before)) is not None:
        return Timed("date", int(date.group(2)) * 31.0 + int(date.group(1)))
    if (word := _RELATIVE_BEFORE.search(before)) is not None:
        return Timed("relative", _RELATIVE[word.group(1).lower()])
    if (day := _DAY_AFTER.match(after)) is not None:
        return Timed("day", float(day.group(1)))
    if (word := _RELATIVE_AFTER.match(after)) is not None:
        return Timed("relative", _RELATIVE[word.group(1).lower()])
    if (weeks := _WEEKS_AFTER.match(after)) is not None:
        count = weeks.group(1).lower()
        return Timed("day", 7.0 * (int(count) if count.isdigit() else _WEEK_NUMBERS[count]))
    if _DISCHARGE_AFTER.match(after) is not None:
        return Timed("day", _discharge_day())
    return None


@cache
def _discharge_day() -> float:
    days = parse_time_words().discharge.days
    assert days is not None  # time_words.py validates that discharge is placed
    return days


_NOW = Timed("relative", 0.0)


def _now_after_dated(times: list[Timed | None]) -> bool:
    """Whether one value is of now ("now", "today") and every other is dated on one clock that
    is not a relative one (post-operative days, or dates)."""
    others = [t for t in times if t != _NOW]
    kinds = {t.kind if t is not None else "" for t in others}
    return times.count(_NOW) == 1 and len(kinds) == 1 and not kinds & {"", "relative"}


def time_order(text: str, spans: Sequence[tuple[int, int]]) -> list[int] | None:
    """The indices of ``spans`` (start, end of each value in ``text``, left to right) oldest
    first, or None when the values do not date themselves and the order written is the only
    order there is. Dates are day/month (the writers' convention). Values dated on two
    different clocks, or more than one undated value, leave the order unknown: None."""
    if len(spans) < 2:
        return None
    floors = [0, *(end for _, end in spans[:-1])]
    times = [_time_of(text, s, e, f) for (s, e), f in zip(spans, floors, strict=True)]
    dated = [t for t in times if t is not None]
    if _now_after_dated(times):
        # "CRP 40 at day 10, now 65": a value of now is later than any dated one, whatever clock
        # the others are on
        now = max(t.when for t in dated if t != _NOW) + 1
        keys = [now if t == _NOW else t.when for t in dated]
        if len(set(keys)) == len(keys):
            return sorted(range(len(spans)), key=lambda i: keys[i])
    if len(dated) < 1 or len({t.kind for t in dated}) > 1:
        return None
    undated = [i for i, t in enumerate(times) if t is None]
    if undated and (undated != [0] or "(" not in text[spans[0][1] : spans[1][0]]):
        return None
    latest = max(t.when for t in dated) + 1
    keys = [latest if t is None else t.when for t in times]
    if len(set(keys)) < len(keys):
        return None
    return sorted(range(len(spans)), key=lambda i: keys[i])


def dated(text: str, spans: Sequence[tuple[int, int]], index: int) -> float | None:
    """The post-operative day the value at ``index`` names for itself, if it names one."""
    floor = spans[index - 1][1] if index > 0 else 0
    time = _time_of(text, spans[index][0], spans[index][1], floor)
    return time.when if time is not None and time.kind == "day" else None
