"""A raised value that a later normal reading of the same measure ends (issue 16, leaks16c).

Rules: domain/reports/later_values.py and knowledge/reports/resolution_cues.yaml
(``later_normal``). Our own sentences, each beside one where the raised value stays current.
"""

import copy
from typing import Any

import pytest

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import load_yaml
from spinetrack.domain.reports import find_in_reports
from spinetrack.domain.reports.later_values import normal_later
from spinetrack.domain.reports.resolution import CUES_FILE, parse_cues


def _found(text: str) -> set[str]:
    return {m.id for m in find_in_reports([text])}


@pytest.mark.parametrize(
    ("text", "over"),
    [
        # a chain of values that ends normal
        ("Bloods on the ward: WCC 13.4 -> 7.9 by Friday.", "wbc_elevated"),
        # values dated by day, the latest normal against the stated reference
        ("CRP series d3 150, d8 44, d20 6 mg/L (ref <10).", "crp_elevated"),
        # a new reading of the measure later in the report
        ("ESR 55 mm/h at six weeks. Repeated a month later: ESR 14.", "esr_elevated"),
        (
            "Bladder scan 640 mL this morning. After the catheter came out, PVR 40 mL.",
            "urinary_retention",
        ),
        # a temperature spike followed the same day by a normal reading
        ("Temp 38.6 at 02:00, 36.9 at 07:30; eating breakfast.", "fever"),
    ],
)
def test_a_later_normal_reading_ends_the_raised_one(text: str, over: str) -> None:
    assert over not in _found(text)


@pytest.mark.parametrize(
    ("text", "current"),
    [
        # the later reading is raised
        ("WCC 8.1 on Monday, WCC 14.6 on Friday.", "wbc_elevated"),
        ("CRP 6 in clinic. Repeat a week later: CRP 58.", "crp_elevated"),
        # the normal value is the older one, by its own words
        ("CRP 64 this week, previously 5.", "crp_elevated"),
        ("CRP 64 this week, 5 on admission.", "crp_elevated"),
        # numbers whose order in time the words do not give
        ("ESR 72 mm/h at 3 months.", "esr_elevated"),
        # a reference range is not a reading
        ("ESR 72 mm/h (ref 0-20).", "esr_elevated"),
        # a fever swings: a lower reading the next day does not end it
        ("Temp 38.4 yesterday, 37.7 today, chest crackles.", "fever"),
        ("Temperature 38.9 on day 4. Temperature 37.1 on day 6.", "fever"),
    ],
)
def test_a_raised_value_stays_when_no_later_normal_reading_ends_it(text: str, current: str) -> None:
    assert current in _found(text)


def test_a_fever_told_in_words_is_not_corrected_by_a_later_reading() -> None:
    assert "fever" in _found("Feverish and shivering last night; temp in clinic 37.2.")


def test_the_normal_reading_is_placed_where_it_is_written() -> None:
    text = "WCC 15 -> 9."
    assert normal_later(text) == [("wbc_elevated", text.index("9"))]


def _shipped() -> dict[str, Any]:
    return copy.deepcopy(load_yaml(CUES_FILE))


def test_an_unknown_finding_in_later_normal_is_refused() -> None:
    data = _shipped()
    data["later_normal"]["same_day"] = ["fevre"]
    with pytest.raises(KnowledgeError) as error:
        parse_cues(data)
    assert error.value.field == "later_normal.same_day.0"
