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

from spinetrack.domain.reports.bar_tables import Cell, bar_tables
from spinetrack.domain.reports.values import Reading, ValueRule, ValueRules, _threshold, value_rules

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
    yield from _read_bar_tables(text, rules)
    offset = 0
    columns: list[tuple[int, str, int | None]] | None = None
    for line in text.splitlines(keepends=True):
        cells = _cells(line)
        if "|" in line:  # a table with bars is read by its cells (_read_bar_tables)
            columns = None
        elif columns is not None and cells and _ROW_LABEL.match(cells[0][2]):
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


_HEADER_UNIT = re.compile(r"\(?\s*\b(mm|cm|ml|mls|mg/l|mg/dl|mm/hr?|x\s?10\^?9(?:/l)?)\s*\)?", re.I)
"""A unit written in a column's or row's name ("Translation (mm)", "CRP mg/L")."""
_REFERENCE_NAME = re.compile(r"^(?:ref(?:erence)?(?:\s+range)?|normal(?:\s+range)?|nr)$", re.I)
_SINCE = re.compile(r"^\d{1,3}\s*(?:h|d|days?|w|wks?|weeks?|m|mo|mths?|months?|/52|/12)\b", re.I)
"""A header cell giving the time since surgery ("6 wk", "3 mo", "12/52")."""
_TIMED_ROW = re.compile(
    _ROW_LABEL.pattern[:-1] + r"(?:\s*(?:am|pm|eve(?:ning)?|night|morning))?$", re.I
)
"""A bar table's row label: a time, a day or a date, perhaps with the part of the day ("D8 am")."""
_DAY_CORNER = re.compile(r"^(?:day|pod|d)$", re.I)
_LEVEL = re.compile(r"^[CTLS]\d{1,2}\s*(?:[/-]\s*[CTLS]?\d{1,2})?$", re.I)
"""A row named by a spinal level ("L3/4"): each level is its own measurement."""


def _bar_rule(rules: ValueRules, name: str) -> ValueRule | None:
    """The threshold rule whose analyte a bar table's cell starts with ("CRP (mg/L)", "Temp max")."""
    for rule in rules.rules:
        if rule.kind == "threshold" and re.match(rule.analyte, f"{name} 0", re.I):
            return rule
    return None


def _written(label: str, name: str, value: str, reference: str | None = None) -> str:
    """A cell's value written out as a sentence would give it: "POD 36 CRP 96 mg/L (ref <5)"."""
    unit = _HEADER_UNIT.search(name)
    bare = _HEADER_UNIT.sub(" ", name) if unit else name
    if unit is not None and re.fullmatch(r"[\d.]+", value):
        value = f"{value} {unit.group(1)}"
    ref = f" (ref {reference})" if reference else ""
    return f"{label} {bare} {value}{ref}"


def _read(rule: ValueRule, written: str, cell: Cell) -> Iterator[Reading]:
    for reading in _threshold(rule, written, 0):
        yield replace(reading, start=cell.start, end=cell.end)
        break


def _is_number(cell: Cell) -> bool:
    return bool(cell.text) and bool(_NUMBER.match(cell.text.split()[0]))


def _read_bar_tables(text: str, rules: ValueRules) -> Iterator[Reading]:
    """Values in tables typed with bars: rows named by an analyte under a header of times (a lab
    trend), or columns named by an analyte over rows that start with a time or a level."""
    for title, rows in bar_tables(text):
        names = [cell.text for cell in rows[0]]
        named = [_bar_rule(rules, name) for name in names]
        named += [_bar_rule(rules, row[0].text) for row in rows[1:] if row]
        if all(rule is None for rule in named):
            yield from _titled(title, rows, rules)
            continue
        corner = names[0] if names else ""
        times = [
            index
            for index, name in enumerate(names[1:], start=1)
            if _ROW_LABEL.match(name)
            or _SINCE.match(name)
            or (_DAY_CORNER.match(corner) and name.isdigit())
        ]
        if len(times) >= 2:
            yield from _trend_rows(rows, times, rules)
        else:
            yield from _measure_columns(rows, rules)


def _titled(title: str, rows: list[list[Cell]], rules: ValueRules) -> Iterator[Reading]:
    """A table whose title names the analyte and whose cells name none ("HOME TEMPERATURE LOG"
    over "Mon | 37.0 | 37.6"): its values are the analyte's, read at the last one written."""
    for rule in rules.rules:
        name = re.search(rule.analyte, title, re.I) if rule.kind == "threshold" else None
        if name is None:
            continue
        cells = [cell for row in rows[1:] for cell in row[1:] if _is_number(cell)]
        if cells:
            yield from _read(rule, f"{name.group(0)} {cells[-1].text}", cells[-1])
        return


def _trend_rows(rows: list[list[Cell]], times: list[int], rules: ValueRules) -> Iterator[Reading]:
    """Each row named by an analyte, read at its latest time with a value, with a "Ref" column's
    range as the writer's reference ("CRP (mg/L) | 6 | 18 | 44 | < 5")."""
    names = [cell.text for cell in rows[0]]
    reference = next((i for i, name in enumerate(names) if _REFERENCE_NAME.match(name)), None)
    for row in rows[1:]:
        rule = _bar_rule(rules, row[0].text) if row else None
        values = [i for i in times if i < len(row) and _is_number(row[i])]
        if rule is None or not values:
            continue
        latest = values[-1]
        label = names[latest] if not names[latest].isdigit() else f"day {names[latest]}"
        ref = row[reference].text if reference is not None and reference < len(row) else None
        yield from _read(rule, _written(label, row[0].text, row[latest].text, ref), row[latest])


def _measure_columns(rows: list[list[Cell]], rules: ValueRules) -> Iterator[Reading]:
    """Each column named by an analyte: read at its latest value when the rows are times
    ("POD 36 | 96 | 14.2"), at every row when the rows are spinal levels ("L3/4 | 5")."""
    names = [cell.text for cell in rows[0]]
    columns = [_bar_rule(rules, name) for name in names]
    latest: dict[int, tuple[str, Cell]] = {}
    for row in rows[1:]:
        timed = bool(row) and bool(_TIMED_ROW.match(row[0].text))
        if not row or not (timed or _LEVEL.match(row[0].text)):
            continue
        for index, cell in enumerate(row[1:], start=1):
            rule = columns[index] if index < len(columns) else None
            if rule is None or not _is_number(cell):
                continue
            if timed:
                latest[index] = (row[0].text, cell)
            else:
                yield from _read(rule, _written(row[0].text, names[index], cell.text), cell)
    for index, (label, cell) in latest.items():
        rule = columns[index]
        if rule is not None:
            yield from _read(rule, _written(label, names[index], cell.text), cell)
