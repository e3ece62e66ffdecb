"""Muscle grades written as a grid: one axis gives times, the other muscles, each cell a grade.

Neuro observation charts and physio myotome charts are typed as tables with cells between bars,
in either orientation::

    Time  | R grip | L grip          Myotome   | 4 months | 5 months | today
    06:00 |   4    |   4             L L4 quad |   5      |   4      |   3
    12:00 |   4-   |   3             L L5 EHL  |   5      |   5      |   4

Read sentence by sentence, a row is a run of bare digits with no name and no time. Here a table
whose header cells after the first are times (a clock, "D2", "POD 3", "6 wk", "pre-op", "today")
is read row by row, and one whose rows start with a time is read column by column: each muscle's
grades in the order written are a series, judged like a series written in one line
(grade_series.fall, and the grade_progression rule for a progressive weakness). Only a series
named as a muscle or power (the ``grade_grid`` rule of value_rules.yaml), or in a table so titled,
is read: a column of pain scores falling from 5 to 2 is not a weakness.
"""

import re
from collections.abc import Iterator

from spinetrack.domain.reports.bar_tables import Cell, bar_tables
from spinetrack.domain.reports.grade_series import Step, fall, mrc_grade
from spinetrack.domain.reports.values import Reading, ValueRules, progressive, value_rules

_GRADE_CELL = re.compile(r"^([0-5])([+-]?)(?:\s*/\s*5)?$")
"""A cell that is one MRC grade: "4", "4-", "3+/5"."""
_TIME_CELL = re.compile(
    r"^(?:\d{1,2}[:.]\d{2}|\d{4}\s*h?|(?:day|pod|d)\s?\d{1,3}|\d{1,2}/\d{1,2}(?:/\d{2,4})?|"
    r"\+?\s?\d{1,3}\s*(?:h|hrs?|hours?|d|days?|w|wks?|weeks?|m|mo|months?|/52|/12)\b.*|"
    r"pre-?op\w*|post-?op\w*|admission|discharge|baseline|today|now|visit\s?\d+)$",
    re.I,
)
"""A cell that names a time: a clock, a post-operative day, a date, a time since surgery, or the
words for before surgery, admission and today."""
_PREOP = re.compile(r"^pre-?op|^baseline", re.I)


def _grade(cell: Cell) -> float | None:
    match = _GRADE_CELL.match(cell.text)
    return None if match is None else mrc_grade(match)


def _series(name: str, times: list[str], cells: list[Cell]) -> list[Step] | None:
    """A muscle's grades at the given times as a series, or None when fewer than two are grades."""
    steps = []
    for time, cell in zip(times, cells, strict=False):
        grade = _grade(cell)
        if grade is not None:
            steps.append(Step(grade, bool(_PREOP.match(time)), cell.start, cell.end))
    return steps if len(steps) >= 2 else None


def _all_series(rows: list[list[Cell]]) -> Iterator[tuple[str, list[Step]]]:
    """Every (muscle name, series) of a table with times along its header or down its rows."""
    header, body = rows[0], rows[1:]
    times = [cell.text for cell in header[1:]]
    if sum(bool(_TIME_CELL.match(time)) for time in times) >= 2:
        for row in body:
            if row and not _TIME_CELL.match(row[0].text):
                steps = _series(row[0].text, times, row[1:])
                if steps is not None:
                    yield row[0].text, steps
        return
    timed = [row for row in body if row and _TIME_CELL.match(row[0].text)]
    if len(timed) < 2:
        return
    labels = [row[0].text for row in timed]
    for column, name in enumerate(header[1:], start=1):
        cells = [row[column] if column < len(row) else Cell("", 0, 0) for row in timed]
        steps = _series(name.text, labels, cells)
        if steps is not None:
            yield name.text, steps


def read_grade_grids(text: str, rules: ValueRules | None = None) -> Iterator[Reading]:
    """The new and progressive weaknesses the grade grids of ``text`` show, spans in ``text``."""
    rules = rules or value_rules()
    grid = next((rule for rule in rules.rules if rule.kind == "grade_grid"), None)
    if grid is None:
        return
    progression = next((rule for rule in rules.rules if rule.kind == "grade_progression"), None)
    muscle = re.compile(grid.analyte, re.I)
    power = re.compile(grid.title or r"(?!)", re.I)
    for title, rows in bar_tables(text):
        titled = bool(power.search(title)) or bool(rows[0] and power.search(rows[0][0].text))
        for name, steps in _all_series(rows):
            if not (titled or muscle.search(name)):
                continue
            earlier = fall(steps)
            if earlier is None:
                continue
            latest = steps[-1]
            yield Reading("new_weakness", latest.start, latest.end, trend=True)
            if progressive(earlier, progression):
                yield Reading("progressive_weakness", latest.start, latest.end, trend=True)
