"""The vectorised path (spinetrack.analytics) agrees exactly with the row-by-row domain on random
data: missing, invalid and fractional answers, window-boundary days, ties, and rounding edges."""

import math
import random
from collections import defaultdict

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from spinetrack.analytics.outcomes import followup_changes
from spinetrack.analytics.points import checked_points
from spinetrack.analytics.scoring import score_table
from spinetrack.analytics.status import classify_table
from spinetrack.domain.errors import SpinetrackError
from spinetrack.domain.instruments import get_instrument, instrument_ids, score
from spinetrack.domain.outcomes import ScorePoint, classify_patient, schedule

EXAMPLES = settings(max_examples=100, deadline=None)


def answer(low: int, high: int) -> st.SearchStrategy[float | None]:
    return st.one_of(
        st.none(),
        st.integers(low - 2, high + 2).map(float),
        st.sampled_from([math.nan, math.inf, -math.inf, 2.5, -0.0, low + 0.5]),
        st.floats(allow_nan=True, allow_infinity=True),
    )


@st.composite
def responses(draw: st.DrawFn) -> tuple[str, list[dict[str, float | None]]]:
    instrument = draw(st.sampled_from(instrument_ids()))
    items = get_instrument(instrument).items
    # Mostly valid answers, so ok and insufficient rows are common too.
    valid = {i.id: st.one_of(st.none(), st.integers(i.min, i.max).map(float)) for i in items}
    anything = {i.id: answer(i.min, i.max) for i in items}
    row = st.one_of(st.fixed_dictionaries(valid), st.fixed_dictionaries(anything))
    return instrument, draw(st.lists(row, min_size=1, max_size=40))


@EXAMPLES
@given(responses())
def test_vectorised_scoring_agrees_with_the_domain_row_by_row(
    case: tuple[str, list[dict[str, float | None]]],
) -> None:
    instrument, rows = case
    schema = {item.id: pl.Float64 for item in get_instrument(instrument).items}
    table = score_table(instrument, pl.DataFrame(rows, schema=schema, orient="row"))
    for row, vectorised in zip(rows, table.iter_rows(named=True), strict=True):
        expected = score(instrument, row)
        assert (
            vectorised["status"],
            vectorised["answered"],
            vectorised["raw"],
            vectorised["percent"],
        ) == (expected.status, expected.answered, expected.raw, expected.percent)


BOUNDARY_DAYS = sorted(
    {d for t in schedule() for d in (t.start - 1, t.start, t.nominal, t.end, t.end + 1)}
)
DAYS = st.one_of(
    st.sampled_from(BOUNDARY_DAYS),
    st.integers(-120, 950),
    st.sampled_from([40, 44, 89, 93, 360, 370]),  # equal distances from nominal days
)
SCALE = {"odi": 100, "ndi": 100}


@st.composite
def point_rows(draw: st.DrawFn) -> tuple[str, str, int, float]:
    patient = draw(st.sampled_from(["1", "2", "10", "p7", "p8"]))
    instrument = draw(st.sampled_from(instrument_ids()))
    top = SCALE.get(instrument, 10)
    hundredths = st.integers(0, top * 100).map(lambda h: h / 100)
    thousandths = st.integers(0, top * 1000).map(lambda h: h / 1000)
    value = draw(st.one_of(st.integers(0, top).map(float), hundredths, thousandths))
    return patient, instrument, draw(DAYS), value


def contract_order(ids: list[str]) -> list[str]:
    """Sorted by patient_id: as numbers when every id is one, else as text."""
    if all(i.isdigit() for i in ids):
        return sorted(ids, key=int)
    return sorted(ids)


def _domain_outcomes(rows: list[tuple[str, str, int, float]]) -> dict[str, object]:
    by_patient: dict[str, list[ScorePoint]] = defaultdict(list)
    for patient, instrument, day, value in rows:
        by_patient[patient].append(ScorePoint(instrument, day, value))
    return {patient: classify_patient(points) for patient, points in by_patient.items()}


def _points(rows: list[tuple[str, str, int, float]]) -> pl.DataFrame:
    schema = {
        "patient_id": pl.String,
        "instrument": pl.String,
        "days_after_surgery": pl.Int64,
        "score": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


@EXAMPLES
@given(st.lists(point_rows(), max_size=60))
def test_vectorised_classification_agrees_with_the_domain_per_patient(
    rows: list[tuple[str, str, int, float]],
) -> None:
    expected = _domain_outcomes(rows)
    table = classify_table(_points(rows))
    assert table["patient_id"].to_list() == contract_order(list(expected))
    for row in table.iter_rows(named=True):
        outcome = expected[row["patient_id"]]
        assert (
            row["status"],
            row["latest_timepoint"],
            row["disability_instrument"],
            row["disability_improvement"],
            row["pain_improvement"],
        ) == (
            outcome.status,  # type: ignore[attr-defined]
            outcome.latest_timepoint,  # type: ignore[attr-defined]
            outcome.disability_instrument,  # type: ignore[attr-defined]
            outcome.disability_improvement,  # type: ignore[attr-defined]
            outcome.pain_improvement,  # type: ignore[attr-defined]
        )


@EXAMPLES
@given(st.lists(point_rows(), max_size=60))
def test_vectorised_follow_up_changes_agree_with_the_domain(
    rows: list[tuple[str, str, int, float]],
) -> None:
    expected = [
        (patient, c.instrument, c.timepoint, c.score, c.improvement, c.change, c.within_pass)
        for patient, outcome in sorted(_domain_outcomes(rows).items())
        for c in outcome.timepoints  # type: ignore[attr-defined]
    ]
    assert followup_changes(_points(rows)).rows() == expected


def test_a_seeded_cohort_of_two_thousand_patients_classifies_identically() -> None:
    # Realistic histories (a baseline, then follow-ups drifting around it), where every status
    # occurs, next to the random ones above.
    rng = random.Random(7)
    rows = []
    for patient in range(2000):
        for instrument in rng.sample(["odi", "ndi", "nrs_back", "nrs_leg", "comi_back"], 3):
            top = SCALE.get(instrument, 10)
            start = rng.uniform(0.3, 0.9) * top
            for day in rng.sample([*BOUNDARY_DAYS, -30, 42, 91, 182, 365, 730], 4):
                drift = rng.uniform(-0.6, 0.3) * start
                rows.append((str(patient), instrument, day, round(min(top, start + drift), 2)))
    expected = _domain_outcomes(rows)
    statuses = set()
    for row in classify_table(_points(rows)).iter_rows(named=True):
        outcome = expected[row["patient_id"]]
        statuses.add(row["status"])
        assert row["status"] == outcome.status  # type: ignore[attr-defined]
        assert row["disability_improvement"] == outcome.disability_improvement  # type: ignore[attr-defined]
        assert row["pain_improvement"] == outcome.pain_improvement  # type: ignore[attr-defined]
    assert statuses == {"no_baseline", "too_early", "succeeding", "relapsed", "failing"}


@st.composite
def raw_rows(draw: st.DrawFn) -> tuple[str, str, float, float]:
    instrument = draw(st.sampled_from([*instrument_ids(), "eq5d", "ODI"]))
    day = draw(st.one_of(DAYS.map(float), st.sampled_from([1.5, math.nan, -math.inf, 1e6])))
    value = draw(
        st.one_of(
            st.floats(-5, 105),
            st.sampled_from([math.nan, math.inf, 100.0, 10.0, 0.0, 100.01, 10.01, -0.01]),
        )
    )
    return draw(st.sampled_from(["1", "2", ""])), instrument, day, value


def _accepted_by_domain(instrument: str, day: float, value: float) -> bool:
    try:
        whole = int(day) if math.isfinite(day) and day.is_integer() else day
        ScorePoint(instrument, whole, value)  # type: ignore[arg-type]
    except SpinetrackError:
        return False
    return True


@EXAMPLES
@given(st.lists(raw_rows(), max_size=40))
def test_the_rows_the_vectorised_path_keeps_are_the_points_the_domain_accepts(
    rows: list[tuple[str, str, float, float]],
) -> None:
    text = pl.DataFrame(
        [(p, i, repr(d), repr(v)) for p, i, d, v in rows],
        schema=dict.fromkeys(
            ["patient_id", "instrument", "days_after_surgery", "score"], pl.String
        ),
        orient="row",
    )
    kept, rejected = checked_points(text)
    # The command reads instrument ids case-insensitively; the domain takes them as written.
    expected = [
        (p, i.lower(), int(d), v)
        for p, i, d, v in rows
        if p and _accepted_by_domain(i.lower(), d, v)
    ]
    assert kept.rows() == expected
    assert kept.height + rejected.height == len(rows)
