"""Bulk imports store each new patient's outcome row from the vectorised path: it must agree
column for column with the row the domain gives one patient at a time (`outcome_row`, which
runs `classify_patient`, `losing_ground` and `next_followup`), on the demo cohort and on random
histories with window-boundary days, ties and unscored responses."""

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spinetrack.demo.cohort import generate_cohort
from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.instruments import instrument_ids
from spinetrack.domain.outcomes import schedule
from spinetrack.services.records.patient_status import (
    IndexSurgery,
    assessment_columns,
    outcome_row,
    score_point,
)
from spinetrack.services.records.record_response import NewResponse, checked_row
from spinetrack.services.registry_io.bulk_outcomes import NewPatientRecord, outcome_rows

SCORING = ("instrument", "completed_at", "score_status", "score_raw", "score_percent")


def one_by_one(record: NewPatientRecord, today: date) -> dict[str, Any]:
    """The row as a single entry stores it: the domain, patient by patient."""
    points = []
    if record.index is not None:
        found = (
            score_point(record.index.performed_on, **{k: r[k] for k in SCORING})
            for r in record.responses
        )
        points = [p for p in found if p is not None]
    row = outcome_row(record.patient_id, points, record.index, today)
    return row | assessment_columns(None, None, None)


def assert_agree(records: list[NewPatientRecord], today: date) -> list[dict[str, Any]]:
    bulk = outcome_rows(records, today)
    assert len(bulk) == len(records)
    for record, row in zip(records, bulk, strict=True):
        expected = one_by_one(record, today)
        assert set(row) == set(expected)
        del row["computed_at"], expected["computed_at"]
        assert row == expected, record.patient_id
    return bulk


def test_the_demo_cohorts_outcome_rows_agree_with_the_domain_patient_by_patient() -> None:
    today = date(2026, 6, 1)
    cohort = generate_cohort(1500, seed=3, today=today)
    surgeries: dict[int, list[tuple[int, Any]]] = {}
    for number, surgery in enumerate(cohort.surgeries, start=1):
        surgeries.setdefault(surgery.patient, []).append((number, surgery))
    answers: dict[int, list[dict[str, Any]]] = {}
    for response in cohort.responses:
        new = NewResponse(
            instrument=response.instrument,
            completed_at=response.completed_at,
            answers=dict(response.answers),
            source="import",
        )
        answers.setdefault(response.patient, []).append(checked_row(new))
    records = []
    for p in range(len(cohort.patients)):
        done = [(n, s) for n, s in surgeries.get(p, []) if not s.planned]
        latest = max(done, key=lambda item: (item[1].performed_on, item[0]), default=None)
        index = (
            None
            if latest is None
            else IndexSurgery(
                latest[0],
                latest[1].performed_on,
                latest[1].region,
                latest[1].procedure,
                latest[1].surgeon + 1,
            )
        )
        records.append(NewPatientRecord(1000 + p, index, answers.get(p, [])))
    rows = assert_agree(records, today)
    statuses = Counter(row["status"] for row in rows)
    assert set(statuses) == {"no_baseline", "too_early", "succeeding", "relapsed", "failing"}
    assert {row["losing_ground"] for row in rows} == {True, False}
    assert {row["next_timepoint"] is None for row in rows} == {True, False}


BOUNDARY_DAYS = sorted(
    {d for t in schedule() for d in (t.start - 1, t.start, t.nominal, t.end, t.end + 1)}
)
DAYS = st.one_of(st.sampled_from(BOUNDARY_DAYS), st.integers(-120, 950))
PERCENT = {"odi", "ndi"}


@st.composite
def response_rows(draw: st.DrawFn, surgery_day: date) -> dict[str, Any]:
    instrument = draw(st.sampled_from(instrument_ids()))
    top = 100 if instrument in PERCENT else 10
    value = draw(
        st.one_of(
            st.integers(0, top).map(float),
            st.integers(0, top * 100).map(lambda h: h / 100),
            st.integers(0, top * 1000).map(lambda h: h / 1000),
        )
    )
    moment = datetime.combine(
        surgery_day + timedelta(days=draw(DAYS)), time(draw(st.integers(0, 23)))
    )
    return {
        "instrument": instrument,
        "completed_at": moment.replace(tzinfo=UTC),
        "score_status": draw(st.sampled_from(["ok", "ok", "ok", "insufficient"])),
        "score_raw": value / 2 if instrument in PERCENT else value,
        "score_percent": value if instrument in PERCENT else None,
    }


@st.composite
def patients(draw: st.DrawFn) -> list[NewPatientRecord]:
    records = []
    for number in range(draw(st.integers(1, 6))):
        day = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 1000)))
        operated = draw(st.booleans()) or number == 0
        index = IndexSurgery(50 + number, day, "lumbar", "fusion", None) if operated else None
        rows = draw(st.lists(response_rows(day), max_size=14))
        records.append(NewPatientRecord(number + 1, index, rows))
    return records


@settings(max_examples=150, deadline=None)
@given(patients(), st.integers(0, 1400))
def test_random_histories_agree_with_the_domain(records: list[NewPatientRecord], day: int) -> None:
    assert_agree(records, date(2024, 1, 1) + timedelta(days=day))


def test_a_score_the_domain_refuses_is_refused_with_its_error() -> None:
    day = date(2025, 1, 1)
    row = {
        "instrument": "nrs_back",
        "completed_at": datetime(2025, 3, 1, tzinfo=UTC),
        "score_status": "ok",
        "score_raw": 11.0,
        "score_percent": None,
    }
    index = IndexSurgery(1, day, "lumbar", "fusion", None)
    with pytest.raises(InvalidInput) as error:
        outcome_rows([NewPatientRecord(1, index, [row])], day)
    assert error.value.field == "score"
