"""A later clause that dates what it takes up to before the operation (fix16m, issue 16).

Rules: domain/reports/resolution.py (``taken_up_before``) and knowledge/reports/resolution_cues.yaml.
"""

import pytest

from spinetrack.domain.reports.resolution import taken_up_before


@pytest.mark.parametrize(
    ("text", "dated"),
    [
        ("She had a fall in May but that was before the operation.", "She had a fall in May "),
        ("Tripped on a kerb; new foot drop, but it was years ago.", " new foot drop, "),
        ("Fell off a ladder. This was prior to his surgery.", "Fell off a ladder"),
    ],
)
def test_the_clause_taken_up_is_dated_and_nothing_before_its_boundary(
    text: str, dated: str
) -> None:
    keeps, ranges = taken_up_before(text)
    assert [text[a:b] for a, b in ranges] == [dated]
    assert "diabetes" in keeps


@pytest.mark.parametrize(
    "text",
    [
        "She had a fall in May but that was after the operation.",
        "She had a fall before the operation.",
        "It was a bad fall, and she is worse since the surgery.",
    ],
)
def test_no_pronoun_clause_dating_the_event_before_surgery_dates_nothing(text: str) -> None:
    assert taken_up_before(text)[1] == []
