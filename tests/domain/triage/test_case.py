"""A case is checked once, in the domain: every kind of bad input names the field at fault."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from spinetrack.domain.errors import InvalidCase
from spinetrack.domain.triage import Case, assess
from spinetrack.domain.triage.case import parse_case

CaseBuilder = Callable[..., dict[str, Any]]


def test_a_valid_case_parses_with_defaults(make_case: CaseBuilder) -> None:
    data = make_case()
    del data["findings"]
    del data["surgeries"][0]["instrumented"]
    case = parse_case(data)
    assert case.findings == [] and case.reports == [] and case.course is None
    assert case.surgeries[0].instrumented is False


def test_levels_are_normalised_to_upper_case(make_case: CaseBuilder) -> None:
    case = parse_case(make_case(levels=("l5-s1",)))
    assert case.surgeries[0].levels == ["L5-S1"]


def test_the_most_recent_surgery_is_the_index(make_case: CaseBuilder) -> None:
    data = make_case(days=100, procedure="discectomy")
    data["surgeries"].append({"date": "2015-06-01", "procedure": "fusion"})
    case = parse_case(data)
    assert case.index_surgery.procedure == "discectomy"


def test_on_a_shared_date_the_surgery_listed_last_is_the_index(make_case: CaseBuilder) -> None:
    data = make_case(procedure="discectomy")
    data["surgeries"].append({**data["surgeries"][0], "procedure": "fusion"})
    assert parse_case(data).index_surgery.procedure == "fusion"


def test_a_parsed_case_passes_through_unchanged(make_case: CaseBuilder) -> None:
    case = parse_case(make_case())
    assert parse_case(case) is case


def _surgery(data: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data["surgeries"][0].update(changes)
    return data


BAD_INPUTS: list[tuple[str, Callable[[dict[str, Any]], Any], str, str]] = [
    (
        "unknown procedure",
        lambda d: _surgery(d, procedure="fusoin"),
        "surgeries.0.procedure",
        "unknown procedure 'fusoin'",
    ),
    (
        "unknown finding",
        lambda d: {**d, "findings": ["smoker", "smokr"]},
        "findings.1",
        "unknown finding 'smokr'",
    ),
    ("unknown region", lambda d: {**d, "region": "sacral"}, "region", "unknown region 'sacral'"),
    ("unknown course", lambda d: {**d, "course": "worse"}, "course", "unknown course 'worse'"),
    (
        "date not ISO",
        lambda d: {**d, "evaluation_date": "01/03/2026"},
        "evaluation_date",
        "expected an ISO date",
    ),
    (
        "date not real",
        lambda d: {**d, "evaluation_date": "2026-02-30"},
        "evaluation_date",
        "is not a real date",
    ),
    (
        "date as a number",
        lambda d: _surgery(d, date=20240101),
        "surgeries.0.date",
        "expected an ISO date",
    ),
    (
        "surgery after evaluation",
        lambda d: _surgery(d, date="2026-03-02"),
        "surgeries.0.date",
        "is after evaluation_date",
    ),
    (
        "interval longer than possible",
        lambda d: {**d, "pain_free_interval_days": 401},
        "pain_free_interval_days",
        "longer than the 400 days",
    ),
    (
        "negative interval",
        lambda d: {**d, "pain_free_interval_days": -1},
        "pain_free_interval_days",
        "greater than or equal to 0",
    ),
    (
        "missing evaluation date",
        lambda d: {k: v for k, v in d.items() if k != "evaluation_date"},
        "evaluation_date",
        "required field is missing",
    ),
    (
        "missing region",
        lambda d: {k: v for k, v in d.items() if k != "region"},
        "region",
        "required field is missing",
    ),
    (
        "missing procedure",
        lambda d: {**d, "surgeries": [{"date": "2025-01-01"}]},
        "surgeries.0.procedure",
        "required field is missing",
    ),
    ("no surgery", lambda d: {**d, "surgeries": []}, "surgeries", "must not be empty"),
    ("age as text", lambda d: {**d, "age": "61"}, "age", "valid integer"),
    ("age impossible", lambda d: {**d, "age": 130}, "age", "less than or equal to 120"),
    (
        "instrumented as text",
        lambda d: _surgery(d, instrumented="yes"),
        "surgeries.0.instrumented",
        "valid boolean",
    ),
    (
        "pain above 10",
        lambda d: {**d, "pain": {"axial": 11}},
        "pain.axial",
        "less than or equal to 10",
    ),
    ("pain as text", lambda d: {**d, "pain": {"limb": "7"}}, "pain.limb", "valid number"),
    ("unknown pain site", lambda d: {**d, "pain": {"leg": 7}}, "pain.leg", "unknown field"),
    (
        "misspelt field",
        lambda d: {**d, "findngs": ["saddle_anesthesia"]},
        "findngs",
        "unknown field",
    ),
    ("findings not a list", lambda d: {**d, "findings": "smoker"}, "findings", "valid list"),
    ("report not text", lambda d: {**d, "reports": [42]}, "reports.0", "valid string"),
    (
        "level not a level",
        lambda d: _surgery(d, levels=["L4"]),
        "surgeries.0.levels.0",
        "not a spinal level",
    ),
    (
        "level not adjacent",
        lambda d: _surgery(d, levels=["L3-L5"]),
        "surgeries.0.levels.0",
        "must be adjacent",
    ),
    ("case id a number", lambda d: {**d, "case_id": 7}, "case_id", "valid string"),
]


@pytest.mark.parametrize(
    ("change", "field", "words"), [b[1:] for b in BAD_INPUTS], ids=[b[0] for b in BAD_INPUTS]
)
def test_a_bad_case_names_its_field(
    make_case: CaseBuilder, change: Callable[[dict[str, Any]], Any], field: str, words: str
) -> None:
    with pytest.raises(InvalidCase) as error:
        assess(change(make_case()))
    assert error.value.field == field
    assert error.value.message.startswith(f"{field}: ")
    assert words in error.value.message


def test_a_case_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(InvalidCase) as error:
        assess(["not", "a", "case"])  # type: ignore[arg-type]
    assert error.value.field == "case"


def test_a_short_vocabulary_lists_the_choices_but_findings_do_not(make_case: CaseBuilder) -> None:
    with pytest.raises(InvalidCase) as error:
        parse_case(make_case(region="neck"))
    assert "expected one of cervical, thoracic, lumbar" in error.value.message
    with pytest.raises(InvalidCase) as error:
        parse_case(make_case(findings=["pain"]))
    assert "expected one of" not in error.value.message


def test_a_surgery_on_the_evaluation_day_is_allowed(make_case: CaseBuilder) -> None:
    case = parse_case(make_case(days=0))
    assert case.index_surgery.date == date(2026, 3, 1)


def test_building_a_case_in_python_checks_dates_too() -> None:
    with pytest.raises(InvalidCase) as error:
        Case(
            evaluation_date=date(2026, 1, 1),
            region="lumbar",
            surgeries=[{"date": date(2026, 2, 1), "procedure": "fusion"}],
        )
    assert error.value.field == "surgeries.0.date"
