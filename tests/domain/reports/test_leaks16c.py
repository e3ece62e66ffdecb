"""Scope rules of leaks16c (issue 16) in our own sentences: a relative called "late" is someone
else (knowledge/reports/context_modifiers.yaml, the leaks16c block)."""

import pytest

from spinetrack.domain.reports import find_in_reports


def _found(text: str) -> set[str]:
    return {m.id for m in find_in_reports([text])}


@pytest.mark.parametrize(
    "text",
    [
        "My late husband had cancer of the bladder.",
        "Her late father was diabetic and lost a leg to it.",
    ],
)
def test_a_late_relatives_condition_is_not_the_patients(text: str) -> None:
    assert not _found(text) & {"history_of_cancer", "diabetes"}


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("A late complication: wound discharging pus.", "wound_drainage"),
        ("My husband is late today; I had breast cancer in 2019.", "history_of_cancer"),
    ],
)
def test_late_in_its_other_senses_changes_nothing(text: str, finding: str) -> None:
    assert finding in _found(text)
