"""A triage case whose only report is one text, for tests of the red flags read from report text.

Several test modules (red-flag conventions, look-alikes, alternative causes, missed causes) build
the same case around a sentence, each with its own default procedure, levels and time since
surgery; the case's shape and the reader each module calls live here once.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from spinetrack.domain.triage import assess

EVALUATION_DATE = dt.date(2026, 6, 1)
LEVELS = {"cervical": ["C5-C6"], "thoracic": ["T7-T8"], "lumbar": ["L4-L5"]}
"""The operated levels of each region, unless a module names its own."""


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


def flags_reader(
    *, days: int, procedure: str = "fusion", levels: dict[str, list[str]] = LEVELS
) -> Callable[..., list[str]]:
    """``red_flags_from`` with a module's defaults: a lumbar case operated ``days`` before, by
    ``procedure``; each call may name another region, time or procedure."""

    def read(
        report: str, *, region: str = "lumbar", days: int = days, procedure: str = procedure
    ) -> list[str]:
        return red_flags_from(report, region=region, days=days, procedure=procedure, levels=levels)

    return read


FlagSentence = tuple[str, dict[str, Any], list[str]]
"""A sentence, the case keywords ``flags_reader``'s reader takes, and the red flags it must raise."""


def flag_sentences_test(sentences: list[FlagSentence], *, days: int) -> Callable[..., None]:
    """The test that each sentence, read as the only report of its case (a lumbar fusion ``days``
    before, unless the case says otherwise), raises exactly its listed red flags; a module assigns
    it to a ``test_`` name. The red-flag modules held one copy of this test each."""
    read = flags_reader(days=days)

    @pytest.mark.parametrize(
        ("text", "case", "flags"),
        [pytest.param(*s, id=f"s{i}") for i, s in enumerate(sentences)],
    )
    def test(text: str, case: dict[str, Any], flags: list[str]) -> None:
        assert read(text, **case) == sorted(flags)

    return test
