"""How numbers, changes, record numbers, dates and time points read on every page, written once.

A surgeon saw "-14.0 points from baseline" for a patient 14 points worse, 48.89 in a table beside
48.9 on the chart, "MRN MRN0000009", and dates both as "02 Dec 2026" and "2026-12-02"; each of
these is now one function, registered for every template (`web.templating`).
"""

from datetime import date, datetime

from spinetrack.web.charts import timepoint_label

DATE_FORMAT = "%d %b %Y"
"""The clinic's default date format (`storage.tables.clinics.Clinic.date_format`); pages that
are not about one clinic's patients use it too, so a date reads the same everywhere."""
MOMENT_FORMAT = f"{DATE_FORMAT} %H:%M"

__all__ = ["change", "day", "moment", "mrn", "score", "timepoint_label"]


def score(value: float | None) -> str:
    """A score as the charts print it: whole numbers bare, others to one decimal."""
    if value is None:
        return "—"
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def change(points: float | None, since: str = "baseline") -> str:
    """A change in points in words: "14 points worse than baseline", never "-14.0 points"."""
    if points is None:
        return "not measured"
    if points == 0:
        return f"no change from {since}"
    size = score(abs(points))
    unit = "point" if size == "1" else "points"
    direction = "better" if points > 0 else "worse"
    return f"{size} {unit} {direction} than {since}"


def mrn(number: str) -> str:
    """The record number with its label, once: "MRN 12345", and "MRN0000009" left as it is."""
    return number if number.upper().startswith("MRN") else f"MRN {number}"


def day(value: date | datetime | None, pattern: str = DATE_FORMAT) -> str:
    return value.strftime(pattern) if value is not None else "—"


def moment(value: datetime | None) -> str:
    return day(value, MOMENT_FORMAT)
