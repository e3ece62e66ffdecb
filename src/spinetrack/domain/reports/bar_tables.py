"""Tables typed with bars between cells ("| CRP | 48 | 176 |"), split into cells with offsets.

Charts, grids and result tables in reports are typed this way as often as in aligned columns;
value_tables.py reads the values and grade_grids.py the muscle grades in them, both from the
cells found here, so a value's finding covers its own cell in the report.
"""

from collections.abc import Iterator
from dataclasses import dataclass

MIN_ROWS = 2
"""A header and at least one row (a lab trend is one row under its times): a single line with bars
is prose that uses a bar, or a row of tick boxes."""


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell's text (stripped) and where it is in the report."""

    text: str
    start: int
    end: int


def cells(line: str, offset: int = 0) -> list[Cell]:
    """The cells between the bars of a table line (outer bars optional), with their offsets."""
    found: list[Cell] = []
    position = 0
    for part in line.split("|"):
        stripped = part.strip()
        begin = position + (len(part) - len(part.lstrip()))
        found.append(Cell(stripped, offset + begin, offset + begin + len(stripped)))
        position += len(part) + 1
    if found and not found[0].text:
        found = found[1:]
    if found and not found[-1].text:
        found = found[:-1]
    return found


def bar_tables(text: str) -> Iterator[tuple[str, list[list[Cell]]]]:
    """Each run of at least ``MIN_ROWS`` lines with a bar, as (the line before it, its rows)."""
    title = ""
    rows: list[list[Cell]] = []
    offset = 0
    for line in [*text.splitlines(keepends=True), ""]:
        if "|" in line:
            row = cells(line.rstrip("\r\n"), offset)
            if not all(set(cell.text) <= set("-:= ") for cell in row):  # a rule line |---|---|
                rows.append(row)
        else:
            if len(rows) >= MIN_ROWS:
                yield title, rows
            rows = []
            title = line
        offset += len(line)
