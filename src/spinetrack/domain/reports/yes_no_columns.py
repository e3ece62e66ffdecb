"""Yes/no columns of a chart: a header cell that names a sign and asks "Y/N" ("Stridor (Y/N)").

Observation charts put a question in the header and the answer in each row below it::

    Time  | RR | SpO2 | Stridor Y/N
    14:30 | 14 | 98   | N
    15:30 | 15 | 98   | N

The sign's name is in the header only, so the reader finds it there, with no word around it that
says whether it is present. The column's latest answer does: "N" (or "No") says the sign is absent
now. The header cells so answered are given here; the value component (value_component.py) marks
the findings named in them as negated. A "Y" leaves the finding as read, and a header that asks
after a normal state ("Swallow OK (Y/N)") is not read, since there "N" affirms a problem.
"""

import re

from spinetrack.domain.reports.bar_tables import bar_tables

_ASKS = re.compile(r"\(?\s*\bY\s*/\s*N\b\s*\)?", re.I)
_NORMAL = re.compile(r"\b(?:ok|okay|normal|intact|good|fine|clear|safe)\b", re.I)
_NO = re.compile(r"^(?:n|no)\b", re.I)


def answered_no(text: str) -> list[tuple[int, int]]:
    """The character ranges of the header cells whose yes/no column ends with "N"."""
    ranges: list[tuple[int, int]] = []
    for _, rows in bar_tables(text):
        header, body = rows[0], rows[1:]
        for index, cell in enumerate(header):
            if not _ASKS.search(cell.text) or _NORMAL.search(cell.text):
                continue
            answers = [row[index].text for row in body if index < len(row) and row[index].text]
            if answers and _NO.match(answers[-1]):
                ranges.append((cell.start, cell.end))
    return ranges
