"""The dashboard's figures on a small cohort worked out by hand: statuses, response by time point,
MCID and PASS shares, the trajectory quantiles, the funnel, small-cell withholding, revision-free
survival and the confirmed causes."""

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest

from spinetrack.analytics.cohort import (
    CAUSES_SCHEMA,
    PATIENTS_SCHEMA,
    RESPONSES_SCHEMA,
    SURGERIES_SCHEMA,
    RegistryFrames,
    prepare,
)
from spinetrack.analytics.dashboard import MIN_CELL, DashboardFilters, summarise

READ_ON = date(2026, 6, 1)
OPERATED = date(2025, 1, 10)

# ODI by day after surgery. ODI: MCID 10 points or 30 % of baseline; PASS at most 22.
TRAJECTORIES = {
    1: {-5: 60.0, 91: 20.0},  # improved and within PASS -> succeeding
    2: {-5: 50.0, 91: 48.0},  # never improved -> failing
    3: {-5: 60.0, 42: 30.0, 91: 58.0},  # improved at 6w, lost it by 3m -> relapsed
    4: {-5: 40.0, 42: 36.0},  # nothing from 3 months on -> too_early
    5: {42: 30.0, 91: 30.0},  # no baseline -> no_baseline
}


def frames(extra_patients: int = 0) -> RegistryFrames:
    ids = list(TRAJECTORIES) + [100 + i for i in range(extra_patients)]
    patients = pl.DataFrame(
        {
            "patient_id": ids,
            "sex": ["female", "male"] * (len(ids) // 2) + ["female"] * (len(ids) % 2),
            "birth_date": [date(1960, 6, 1)] * len(ids),
        },
        schema=PATIENTS_SCHEMA,
    )
    surgeries = pl.DataFrame(
        {
            "surgery_id": ids,
            "patient_id": ids,
            "performed_on": [OPERATED] * len(ids),
            "region": ["lumbar"] * len(ids),
            "procedure": ["fusion", "fusion", "discectomy", "discectomy", "fusion"]
            + ["fusion"] * extra_patients,
            "levels": [1] * len(ids),
            "surgeon": ["Dr A", "Dr A", "Dr B", "Dr B", "Dr A"] + ["Dr C"] * extra_patients,
            "revision_of": [None] * len(ids),
        },
        schema=SURGERIES_SCHEMA,
    )
    # Patient 2 is revised 200 days after the first operation (after its follow-ups above).
    revision = pl.DataFrame(
        [(900, 2, OPERATED + timedelta(days=200), "lumbar", "fusion", 1, "Dr A", 2)],
        schema=SURGERIES_SCHEMA,
        orient="row",
    )
    rows = [
        (pid, "odi", OPERATED + timedelta(days=day), score)
        for pid, points in TRAJECTORIES.items()
        for day, score in points.items()
    ]
    rows += [(100 + i, "odi", OPERATED - timedelta(days=3), 50.0) for i in range(extra_patients)]
    rows += [(100 + i, "odi", OPERATED + timedelta(days=91), 20.0) for i in range(extra_patients)]
    responses = pl.DataFrame(rows, schema=RESPONSES_SCHEMA, orient="row")
    causes = pl.DataFrame(
        [(2, "wrong_diagnosis_or_level"), (3, "pseudarthrosis"), (3, "adjacent_segment_disease")],
        schema=CAUSES_SCHEMA,
        orient="row",
    )
    return RegistryFrames(patients, pl.concat([surgeries, revision]), responses, causes, READ_ON)


def test_statuses_and_failure_shares_by_hand() -> None:
    # Patient 2's index operation is now the revision (day 200 on), so its earlier scores fall
    # before that operation: 2 is judged from the revision and has only pre-operative scores.
    prepared = prepare(frames())
    status = dict(prepared.patients.select("patient_id", "status").iter_rows())
    assert status == {
        1: "succeeding",
        2: "no_baseline",
        3: "relapsed",
        4: "too_early",
        5: "no_baseline",
    }
    d = summarise(prepared, DashboardFilters())
    assert d.patients == 5 and d.judged == 2
    assert (d.relapsed.k, d.relapsed.n) == (1, 2)
    assert (d.failing.k, d.failed.k) == (0, 1)


def test_revision_status_and_time_to_revision() -> None:
    prepared = prepare(frames())
    two = prepared.patients.filter(pl.col("patient_id") == 2).row(0, named=True)
    assert two["revision"] is True and two["revised"] is True and two["duration"] == 200
    one = prepared.patients.filter(pl.col("patient_id") == 1).row(0, named=True)
    assert one["revised"] is False and one["duration"] == (READ_ON - OPERATED).days
    assert one["age"] == 64  # born 1960-06-01, operated 2025-01-10
    curves = {c.group: c for c in summarise(prepared, DashboardFilters()).survival}
    assert curves["fusion"].patients == 3 and curves["fusion"].revisions == 1
    assert curves["fusion"].at(199) == 1.0 and curves["fusion"].at(200) == pytest.approx(2 / 3)
    assert curves["discectomy"].revisions == 0


def cohort_without_revision() -> RegistryFrames:
    base = frames()
    return RegistryFrames(
        base.patients,
        base.surgeries.filter(pl.col("surgery_id") != 900),
        base.responses,
        base.causes,
        READ_ON,
    )


def test_response_mcid_and_pass_by_time_point_by_hand() -> None:
    prepared = prepare(cohort_without_revision())
    d = summarise(prepared, DashboardFilters())
    rows = {r.timepoint: r for r in d.timepoints}
    # Baseline: 1-4 answered, 5 did not. Everyone was operated 507 days before reading, so every
    # window up to 12m (ends day 455) has closed; 24m (ends day 900) is not due for anyone.
    assert (rows["baseline"].responded.k, rows["baseline"].responded.n) == (4, 5)
    assert (rows["6w"].responded.k, rows["6w"].responded.n) == (3, 5)  # 3, 4, 5
    assert (rows["3m"].responded.k, rows["3m"].responded.n) == (4, 5)  # 1, 2, 3, 5
    assert rows["24m"].eligible == 0
    # 3m MCID among those with a baseline: 1 improved 40 points; 2 by 2; 3 by 2 -> 1 of 3.
    assert (rows["3m"].mcid.k, rows["3m"].mcid.n) == (1, 3)
    # 6w: 3 improved 30 (of 60), 4 improved 4 (of 40, 10 % < 30 %) -> 1 of 2.
    assert (rows["6w"].mcid.k, rows["6w"].mcid.n) == (1, 2)
    # PASS (ODI <= 22) among all answers at 3m: only patient 1 (20) -> 1 of 4.
    assert (rows["3m"].passed.k, rows["3m"].passed.n) == (1, 4)
    assert rows["3m"].mcid.low == pytest.approx(0.0615, abs=1e-4)  # Wilson 1 of 3


def test_small_cells_are_withheld_and_large_ones_shown() -> None:
    small = summarise(prepare(cohort_without_revision()), DashboardFilters())
    assert small.trajectory == []  # no time point has MIN_CELL answers
    assert small.funnel.points == [] and small.funnel.withheld == ["Dr A", "Dr B"]
    large = summarise(prepare(frames(extra_patients=MIN_CELL)), DashboardFilters())
    assert [p.unit for p in large.funnel.points] == ["Dr C"]
    point = large.funnel.points[0]
    assert (point.n, point.events, point.position) == (MIN_CELL, 0, "within")


def test_trajectory_quantiles_match_numpy() -> None:
    extra = 2 * MIN_CELL
    prepared = prepare(frames(extra_patients=extra))
    d = summarise(prepared, DashboardFilters())
    baseline = next(r for r in d.trajectory if r.timepoint == "baseline")
    scores = np.array([60.0, 50.0, 60.0, 40.0] + [50.0] * extra)
    assert baseline.patients == len(scores) - 1  # patient 2's baseline precedes its revision
    without_two = np.delete(scores, 1)
    assert (baseline.q25, baseline.median, baseline.q75) == pytest.approx(
        tuple(np.percentile(without_two, [25, 50, 75]))
    )


def test_filters_select_period_region_procedure_and_surgeon() -> None:
    prepared = prepare(cohort_without_revision())
    assert summarise(prepared, DashboardFilters(period=2025)).patients == 5
    assert summarise(prepared, DashboardFilters(period=2024)).patients == 0
    assert summarise(prepared, DashboardFilters(procedure="discectomy")).patients == 2
    assert summarise(prepared, DashboardFilters(surgeon="Dr A")).patients == 3
    assert summarise(prepared, DashboardFilters(region="cervical")).patients == 0


def test_leading_confirmed_causes_count_the_latest_per_patient() -> None:
    d = summarise(prepare(frames()), DashboardFilters())
    assert d.causes_confirmed == 2
    assert {(c.cause, c.patients) for c in d.causes} == {
        ("wrong_diagnosis_or_level", 1),
        ("adjacent_segment_disease", 1),
    }
