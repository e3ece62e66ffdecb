"""A raised value that a later normal reading of the same measure ends.

Ward notes, discharge letters and chronologies give a measure more than once: "Temp 38.4 at 04:00,
37.6 at 06:00", "WCC 11.9 -> 8.3", "ESR 48 and CRP 31 ... Re-checked after 2 weeks: CRP 4, ESR 12".
The raised value was true when it was taken; the report's last word on the measure is that it is
normal again, so the raised reading is over (corpus FORMAT.md: present after surgery, since
settled, is resolved). The findings it applies to, and the words that date a reading before the
ones told earlier in the text, are in knowledge/reports/resolution_cues.yaml (``later_normal``);
the thresholds are the value rules' own (value_rules.yaml), so "normal" means at or below the limit
the raised reading was judged against after its early windows, or the reference the writer states.
"""

import re
from functools import cache

from spinetrack.domain.reports.resolution import parse_cues, sentences_now
from spinetrack.domain.reports.rules import READER_FLAGS, alternation
from spinetrack.domain.reports.serial import time_order
from spinetrack.domain.reports.values import (
    Value,
    ValueRule,
    stretches,
    value_rules,
    without_out_of,
)


@cache
def _rules() -> tuple[
    tuple[tuple[ValueRule, bool, float | None, float | None], ...], re.Pattern[str] | None
]:
    """The threshold rules of the findings a later normal reading ends, each with whether only
    a reading timed later the same day does, the reading that ends it on any day and the lowest
    number taken as a reading of it; and the words that date a reading earlier."""
    entry = parse_cues().later_normal
    if entry is None:
        return (), None
    wanted, same_day = set(entry.findings), set(entry.same_day)
    rules = tuple(
        (
            rule,
            rule.finding in same_day,
            entry.settled.get(rule.finding),
            entry.lowest.get(rule.finding),
        )
        for rule in value_rules().rules
        if rule.kind == "threshold" and rule.finding in wanted
    )
    return rules, re.compile(alternation(entry.earlier), READER_FLAGS)


_NOW = re.compile(
    r"\b(?:now|today|currently|latest|repeat(?:ed)?|re-?check(?:ed)?)\b", READER_FLAGS
)
_WITHIN_A_DAY = re.compile(
    r"\b(?:t\s?max|yesterday|last\s+(?:night|evening)|overnight|this\s+(?:morning|afternoon)|"
    r"earlier\s+today|\d+\s*(?:h|hrs?|hours?)\s+ago)\b",
    READER_FLAGS,
)
"""Words that date the raised reading within the last day: a lower one now is a swing."""
_NOW_AFTER = re.compile(
    r"\s*(?:°\s*c?|c\b)?\s*(?:now|today|this\s+morning|currently)\b", READER_FLAGS
)
"""A reading dated now by the words right after it ("38.2 on Monday and 36.9 today")."""
_OWN_WORDS = 24
"""How far after a value its own words run ("8 on admission", "8 previously")."""


_STEP = re.compile(
    r"^\s*(?:->|→|>|then|,\s*then|down\s+to|fell\s+to|falling\s+to)\s*$", READER_FLAGS
)
_CLOCK = re.compile(
    r"\s*(?:at\s+|@\s*|\(\s*)?(?:(\d{1,2})[:.h](\d{2})\b|(midnight|noon|midday))", READER_FLAGS
)
_CLOCK_DIGITS = re.compile(r"\b\d{1,2}[:.h]\d{2}\b")


def _clock(text: str, value: Value) -> float | None:
    """The clock time written right after a value ("38.4 at 04:00", "37.4 at midnight"), in hours."""
    found = _CLOCK.match(text, value.end)
    if found is None:
        return None
    if found.group(3):
        return 24.0 if found.group(3).lower() == "midnight" else 12.0
    return int(found.group(1)) + int(found.group(2)) / 60


def _last_reading(
    text: str, values: list[Value], clocked: str, same_day: bool = False
) -> Value | None:
    """The reading a stretch says is its latest, when it says so: its only value (a new reading,
    "Repeat: WCC 8.4"), the last of values dated by day or date ("d2 180, d9 30, d16 8"), chained
    by arrows ("11.9 -> 8.3") or taken at rising clock times ("38.4 at 04:00, 37.6 at 06:00");
    else None (a list of numbers whose order in time the words do not give). ``clocked`` is the
    text with its clock times still written; ``same_day``: only rising clock times tell it."""
    if len(values) == 1:
        return None if same_day else values[0]
    order = time_order(text, [(v.start, v.end) for v in values])
    if order is not None and not same_day:
        return values[order[-1]]
    last, previous = values[-1], values[-2]
    between = text[previous.end : last.start]
    if not same_day and (_STEP.match(between) or _told_now(text, previous, last)):
        return last
    clocks = [c for c in (_clock(clocked, value) for value in values) if c is not None]
    if len(clocks) == len(values) and clocks == sorted(clocks) and len(set(clocks)) > 1:
        return last
    return None


def _told_now(text: str, previous: Value, last: Value) -> bool:
    """Whether the last reading's own words date it now: before it since the last comma ("now
    37.0") or right after it ("36.9 today")."""
    before = re.split(r"[,;(]", text[previous.end : last.start])[-1]
    return bool(_NOW.search(before) or _NOW_AFTER.match(text, last.end))


def _latest_normal(
    rule: ValueRule,
    piece: str,
    earlier: re.Pattern[str],
    same_day: bool = False,
    settled: float | None = None,
    lowest: float | None = None,
) -> list[int]:
    """Where, in one piece of a report, the latest value of a stretch the rule's analyte names
    is normal: at or below the limit (the stated reference, else the rule's ``above``); for a
    same-day finding, also a latest reading of any day at or below ``settled`` (and not below
    ``lowest``: a smaller number is a time or a count)."""
    piece = without_out_of(rule, piece)
    # clock times are not values ("38.4 at 04:00"): their digits are blanked, same length
    blanked = _CLOCK_DIGITS.sub(lambda m: re.sub(r"\d", "#", m.group(0)), piece)
    found: list[int] = []
    for stretch in stretches(rule, blanked):  # a stated range's numbers are not values
        stated, text, values = stretch.reference, stretch.text, stretch.values
        latest = _last_reading(text, values, piece, same_day) if values else None
        limit = rule.above if stated is None or not rule.stated_reference else stated
        if latest is None and same_day and settled is not None and len(values) > 1:
            # only a reading told as now's ("now 37.0", "36.9 today"); one dated by the day of
            # a charted illness ("37.1 on day 6") may swing back (test_later_values.py)
            latest = values[-1] if _told_now(text, values[-2], values[-1]) else None
            if _WITHIN_A_DAY.search(text, 0, values[-1].start):
                continue  # "Tmax 38.2 last evening, 37.1 now": a swing (dev10 writer)
            limit = min(limit, settled)
            if latest is not None and lowest is not None and latest.number < lowest:
                continue  # a clock's or a count's digits ("38.6 ... at 3am"), not a reading
        if latest is None:
            continue
        if latest.number > limit:
            continue
        if rule.uncertain_above is not None and latest.number > rule.uncertain_above:
            continue
        if _dated_earlier(text, values, latest, earlier):
            continue  # "CRP 45, previously 8": the normal value is the older one
        found.append(latest.start)
    return found


def _dated_earlier(text: str, values: list[Value], latest: Value, earlier: re.Pattern[str]) -> bool:
    """Whether the last value written is dated before the ones written before it: earlier words
    in the words before it since the last comma, or just after it, and no word of now before it ("Temp 38.1
    on admission, now 37.0" is now; "CRP 45, previously 8" and "CRP 45, 8 on admission" are not)."""
    index = values.index(latest)
    before = text[values[index - 1].end if index else 0 : latest.start]
    before = re.split(r"[,;(]", before)[-1]  # the latest value's own words
    if _NOW.search(before):
        return False
    after = re.split(r"[,;.]", text[latest.end : latest.end + _OWN_WORDS], maxsplit=1)[0]
    return bool(earlier.search(before) or earlier.search(after))


def normal_later(text: str) -> list[tuple[str, int]]:
    """Each value finding a normal reading in ``text`` ends, with where that reading stands:
    the finding's mentions that end before it are over."""
    rules, earlier = _rules()
    if earlier is None:
        return []
    found: list[tuple[str, int]] = []
    for start, end, _ in sentences_now(text):
        piece = text[start:end]
        for rule, same_day, settled, lowest in rules:
            if not re.search(rule.analyte, piece, READER_FLAGS):
                continue
            found += [
                (rule.finding, start + at)
                for at in _latest_normal(rule, piece, earlier, same_day, settled, lowest)
            ]
    return found
