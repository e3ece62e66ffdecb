"""Values written in the columns of a chart: a header line names the measures, each row below it
gives a time and the values under them.

Observation charts and bladder-scan logs are typed as aligned columns::

    Time   Voided   PVR
    06:10  90 mL    480 mL
    12:00  --       810 mL (no void)

Read sentence by sentence, "PVR" and its values are lines apart, so no threshold rule of
value_rules.yaml sees them together. Here a header line whose cells name a threshold rule's
analyte ("PVR", "T", "Temp") starts a chart; each following line that starts with a time or a day
is a row, and a number under an analyte's column (aligned by where it starts on the line, as a
reader's eye aligns it) is read against that rule as if written "PVR 480 mL", with the row's time
or day in front, so a rule's early-day threshold still applies. The finding covers the value in the
report, where ConText reads its context as for any value.
"""

import re
from collections.abc import Iterator
from dataclasses import replace

from spinetrack.domain.reports.values import Reading, ValueRules, _threshold, value_rules

_TOKEN = re.compile(r"\S+")
_UNIT_TOKEN = re.compile(r"^(?:ml|mls|mg/l|mg/dl|mm/hr?|%|°c|c|x10\^9/l|mmol/l|kg|bpm)$", re.I)
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")
_ROW_LABEL = re.compile(
    r"^(?:\d{1,2}[:.]\d{2}|\d{4}h?|(?:day|pod|d)\s?\d{1,3}|\d{1,2}/\d{1,2}(?:/\d{2,4})?)$", re.I
)
"""The first cell of a chart row: a clock time, a post-operative day or a date."""
_MAX_HEADER_CELL = 12
"""A header cell names a measure in a word or two; a longer cell is a sentence, not a header."""
_ALIGN = 2
"""How many characters left of its header a value may start and still sit under it."""


def _cells(line: str) -> list[tuple[int, int, str]]:
    """The line's cells: its words, a unit joined to the number before it ("480 mL")."""
    cells: list[tuple[int, int, str]] = []
    for token in _TOKEN.finditer(line):
        if cells and _UNIT_TOKEN.match(token.group(0)) and _NUMBER.match(cells[-1][2]):
            start, _, text = cells[-1]
            cells[-1] = (start, token.end(), f"{text} {token.group(0)}")
        else:
            cells.append((token.start(), token.end(), token.group(0)))
    return cells


def _header(line: str, rules: ValueRules) -> list[tuple[int, str, int | None]] | None:
    """The columns of a header line, (start, name, index of the threshold rule it names or None),
    or None when the line is not a chart header: at least three short cells, one an analyte."""
    cells = _cells(line)
    if len(cells) < 3 or any(len(text) > _MAX_HEADER_CELL for _, _, text in cells):
        return None
    columns: list[tuple[int, str, int | None]] = []
    for start, _, text in cells:
        named = next(
            (
                index
                for index, rule in enumerate(rules.rules)
                if rule.kind == "threshold" and _names(rule.analyte, text)
            ),
            None,
        )
        columns.append((start, text, named))
    if all(named is None for _, _, named in columns):
        return None
    return columns


def _names(analyte: str, cell: str) -> bool:
    """Whether a header cell is the analyte's whole name. A value is put after it first, since
    some names are read only before a number (a bare "T" is a temperature only as "T 38.4")."""
    match = re.match(analyte, f"{cell} 0", re.I)
    return match is not None and match.end() >= len(cell)


def _column(columns: list[tuple[int, str, int | None]], start: int) -> int | None:
    """The column a cell starting at ``start`` sits under, if any."""
    for index, (begin, _, _) in enumerate(columns):
        end = columns[index + 1][0] if index + 1 < len(columns) else 10**6
        if begin - _ALIGN <= start < end - _ALIGN:
            return index
    return None


def read_tables(text: str, rules: ValueRules | None = None) -> Iterator[Reading]:
    """Every finding the charts of ``text`` give, with spans in ``text``."""
    rules = rules or value_rules()
    offset = 0
    columns: list[tuple[int, str, int | None]] | None = None
    for line in text.splitlines(keepends=True):
        cells = _cells(line)
        if columns is not None and cells and _ROW_LABEL.match(cells[0][2]):
            yield from _row(line, offset, cells, columns, rules)
        else:
            columns = _header(line, rules)
        offset += len(line)


def _row(
    line: str,
    offset: int,
    cells: list[tuple[int, int, str]],
    columns: list[tuple[int, str, int | None]],
    rules: ValueRules,
) -> Iterator[Reading]:
    label = cells[0][2]
    for start, end, text in cells[1:]:
        index = _column(columns, start)
        named = columns[index][2] if index is not None else None
        if index is None or named is None or not _NUMBER.match(text.split()[0]):
            continue
        rule = rules.rules[named]
        written = f"{label} {columns[index][1]} {text}"
        for reading in _threshold(rule, written, 0):
            yield replace(reading, start=offset + start, end=offset + end)
            break
