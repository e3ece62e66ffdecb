"""A triage case whose only report is one text, for tests of the red flags read from report text.

Two test modules (red-flag conventions and look-alikes) build the same case around a sentence,
each with its own default procedure and time since surgery; the case's shape lives here once.
"""

import datetime as dt
from typing import Any

from spinetrack.domain.triage import assess

EVALUATION_DATE = dt.date(2026, 6, 1)


def red_flags_from(
    report: str, *, region: str, days: int, procedure: str, levels: dict[str, list[str]]
) -> list[str]:
    """The red-flag ids raised for a case in ``region`` operated ``days`` before the evaluation
    date at the region's levels, with ``report`` as its only report."""
    surgery = EVALUATION_DATE - dt.timedelta(days=days)
    case: dict[str, Any] = {
        "evaluation_date": EVALUATION_DATE.isoformat(),
        "region": region,
        "surgeries": [
            {"date": surgery.isoformat(), "procedure": procedure, "levels": levels[region]}
        ],
        "reports": [report],
    }
    return sorted(flag.id for flag in assess(case).red_flags)
