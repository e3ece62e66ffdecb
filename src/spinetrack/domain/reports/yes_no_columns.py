"""Yes/no columns of a chart: a header cell that names a sign and asks "Y/N" ("Stridor (Y/N)").

Observation charts put a question in the header and the answer in each row below it::

    Time  | RR | SpO2 | Stridor Y/N
    14:30 | 14 | 98   | N
    15:30 | 15 | 98   | N

The sign's name is in the header only, so the reader finds it there, with no word around it that
says whether it is present. The column's latest answer does: "N" (or "No") says the sign is absent
now. The header cells so answered are given here; the value component (value_component.py) marks
the findings named in them as negated. A "Y" leaves the finding as read, and a header that asks
after a normal state ("Swallow OK (Y/N)") is not read, since there "N" affirms a problem. A header
without "Y/N" asks the same when every answer below it is a yes or a no ("| stridor |" over rows
of "N").

Forms put the question in the row and the answer in a column headed "Y" or "N" instead::

    Question          | Y | N
    Previous cancer   | x |
    Night sweats      |   | x

A row ticked under "N" answers its question no; its question cell is given too.
"""

import re

from spinetrack.domain.reports.bar_tables import Cell, bar_tables

_ASKS = re.compile(r"\(?\s*\bY\s*/\s*N\b\s*\)?", re.I)
_NORMAL = re.compile(r"\b(?:ok|okay|normal|intact|good|fine|clear|safe)\b", re.I)
_NO = re.compile(r"^(?:n|no)\b", re.I)
_YES_NO = re.compile(r"^(?:y|n|yes|no)$", re.I)
_NO_HEADER = re.compile(r"^(?:n|no)$", re.I)
_YES_HEADER = re.compile(r"^(?:y|yes)$", re.I)
_MARK = re.compile(r"^(?:x|✓|✔|\+|\*|yes|y|ticked)$", re.I)


def answered_no(text: str) -> list[tuple[int, int]]:
    """The character ranges of the header cells whose yes/no column ends with "N"."""
    ranges: list[tuple[int, int]] = []
    for _, rows in bar_tables(text):
        header, body = rows[0], rows[1:]
        for index, cell in enumerate(header):
            if _NORMAL.search(cell.text):
                continue
            answers = [row[index].text for row in body if index < len(row) and row[index].text]
            asks = _ASKS.search(cell.text) or (
                answers and all(_YES_NO.match(answer) for answer in answers)
            )
            if asks and answers and _NO.match(answers[-1]):
                ranges.append((cell.start, cell.end))
        ranges += _ticked_no(header, body)
    return ranges


def _ticked_no(header: list[Cell], body: list[list[Cell]]) -> list[tuple[int, int]]:
    """The question cells of the rows ticked under an "N" column, when the header has both a "Y"
    and an "N" column and the question is the row's first cell."""
    names = [cell.text for cell in header]
    no = [i for i, name in enumerate(names) if _NO_HEADER.match(name)]
    yes = [i for i, name in enumerate(names) if _YES_HEADER.match(name)]
    if len(no) != 1 or len(yes) != 1:
        return []
    ranges = []
    for row in body:
        marked = [
            i
            for i, cell in enumerate(row)
            if cell.text and _MARK.match(cell.text.split()[0] if cell.text.split() else "")
        ]
        if row and no[0] in marked and yes[0] not in marked and row[0].text:
            ranges.append((row[0].start, row[0].end))
    return ranges
