"""Disclosure control on the published dashboard: the 6-patient thoracic leak of issue 20 is closed,
a one-patient selection shows nothing about its patient (issue 22, point 12), small counts inside
large groups are withheld, and an attacker who reads every page of every filter combination and
solves the linear equations the shown counts form cannot recover any withheld small count."""

import itertools
import re
from dataclasses import replace
from datetime import date

import numpy as np
import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spinetrack.analytics.cohort import PreparedRegistry
from spinetrack.analytics.dashboard import Dashboard, DashboardFilters, publish
from spinetrack.analytics.disclosure import DisclosureCube, build
from spinetrack.services.reporting.rendering import environment
from spinetrack.services.reporting.report_layout import context, figures

READ_ON = date(2026, 6, 1)
FOLLOWUPS = {
    "patient_id": pl.Int64,
    "rank": pl.Int8,
    "instrument": pl.String,
    "score": pl.Float64,
    "mcid": pl.Boolean,
    "passed": pl.Boolean,
}


def registry(rows: list[dict[str, object]]) -> PreparedRegistry:
    """A prepared registry from one dict per patient (the columns the dashboard reads)."""
    base = {
        "index_date": date(2025, 3, 1),
        "year": 2025,
        "region": "lumbar",
        "procedure": "fusion",
        "surgeon": "Dr A",
        "status": "succeeding",
        "cause": None,
        "primary_procedure": None,
        "duration": -1,
        "revised": False,
        "age": 60,
        "levels": 1,
        "baseline": 50.0,
        "sex": "female",
        "revision": False,
    }
    full = [{"patient_id": i + 1, **base, **row} for i, row in enumerate(rows)]
    patients = pl.DataFrame(
        full,
        schema={
            "patient_id": pl.Int64,
            "index_date": pl.Date,
            "year": pl.Int32,
            "region": pl.String,
            "procedure": pl.String,
            "surgeon": pl.String,
            "status": pl.String,
            "cause": pl.String,
            "primary_procedure": pl.String,
            "duration": pl.Int64,
            "revised": pl.Boolean,
            "age": pl.Int32,
            "levels": pl.Int64,
            "baseline": pl.Float64,
            "sex": pl.String,
            "revision": pl.Boolean,
        },
    )
    return PreparedRegistry(patients, pl.DataFrame(schema=FOLLOWUPS), READ_ON)


def page_html(dashboard: Dashboard) -> str:
    images = figures(dashboard, adjusted=False).data_uris()
    body = environment().get_template("reports/_body.html")
    return body.render(**context(dashboard, adjusted=False, images=images))


def thoracic_practice() -> PreparedRegistry:
    """Issue 20's demo finding: 6 thoracic patients, 1 of them failing (16.7 %), 3 of them with a
    thoracic fusion of whom 2 were revised (survival falling to 33 %); beside 120 lumbar and 40
    cervical patients, with a surgeon whose 13 judged patients include exactly 1 failing."""
    rows: list[dict[str, object]] = []
    for i in range(6):
        rows.append(
            {
                "region": "thoracic",
                "procedure": "fusion" if i < 3 else "decompression",
                "primary_procedure": "fusion" if i < 3 else "decompression",
                "surgeon": "Dr A" if i % 2 else "Dr B",
                "status": "failing" if i == 0 else "succeeding",
                "duration": 100 * (i + 1),
                "revised": i in (0, 1),
                "cause": "pseudarthrosis" if i == 0 else None,
            }
        )
    for i in range(120):
        rows.append(
            {
                "surgeon": ("Dr A", "Dr B")[i % 2],
                "status": ("failing", "relapsed", "succeeding", "succeeding", "too_early")[i % 5],
                "primary_procedure": "decompression",
                "duration": 200 + i,
                "revised": i % 7 == 0,
                "cause": "adjacent_segment_disease" if i % 5 == 0 else None,
            }
        )
    for i in range(40):
        rows.append(
            {
                "region": "cervical",
                "procedure": "discectomy",
                "primary_procedure": "discectomy",
                "surgeon": "Dr C" if i < 13 else "Dr A",
                "status": "failing" if i in (0, 20, 21, 22) else "succeeding",
                "duration": 300 + i,
            }
        )
    return registry(rows)


def test_the_six_patient_thoracic_selection_leaks_nothing() -> None:
    prepared = thoracic_practice()
    cube = build(prepared, 11)
    shown = publish(prepared, cube, DashboardFilters(region="thoracic"))
    assert shown.patients is None and shown.judged is None
    assert shown.failed.withheld and shown.failing.withheld and shown.failed.share is None
    assert shown.funnel.practice_rate is None and shown.funnel.points == []
    assert shown.survival == [] and shown.withheld_curves
    assert shown.causes == [] and shown.causes_confirmed is None
    html = page_html(shown)
    assert "16.7" not in html and "33.3" not in html and "pseudarthrosis" not in html
    assert "withheld" in html
    # ... and the other regions do not give thoracic away by subtraction from "every region".
    every = publish(prepared, cube, DashboardFilters())
    others = [publish(prepared, cube, DashboardFilters(region=r)) for r in ("lumbar", "cervical")]
    for figure in ("patients", "judged"):
        values = [getattr(d, figure) for d in (every, *others)]
        assert None in values
    for figure in ("failing", "relapsed", "failed"):
        counts = [getattr(d, figure).k for d in (every, *others)]
        assert None in counts


def test_one_failing_patient_inside_a_group_of_thirteen_is_withheld() -> None:
    prepared = thoracic_practice()
    shown = publish(prepared, build(prepared, 11), DashboardFilters(surgeon="Dr C"))
    assert shown.patients == 13 and shown.judged == 13
    assert shown.failing.withheld  # 1 of 13 (7.7 %) would point at one patient
    assert "7.7" not in page_html(shown)


def test_a_selection_of_one_patient_shows_nothing_about_its_patient() -> None:
    rows: list[dict[str, object]] = [{"surgeon": "Dr A"} for _ in range(30)]
    rows.append({"surgeon": "Dr Solo", "status": "failing", "cause": "wrong_diagnosis_or_level"})
    prepared = registry(rows)
    shown = publish(prepared, build(prepared, 11), DashboardFilters(surgeon="Dr Solo"))
    assert shown.patients is None and shown.failing.withheld
    assert shown.causes == [] and shown.causes_confirmed is None
    html = page_html(shown)
    assert "wrong diagnosis" not in html and not re.search(r"\b1 patients", html)


def test_counts_are_worded_for_one_and_for_many() -> None:
    rows: list[dict[str, object]] = [{"cause": "pseudarthrosis"} for _ in range(11)]
    rows += [{"cause": None} for _ in range(11)]
    prepared = registry(rows)
    html = page_html(publish(prepared, build(prepared, 11), DashboardFilters()))
    assert "11 patients in this selection" in html
    assert not re.search(r"\b1 patients", html)


def test_the_threshold_is_the_clinics_choice() -> None:
    prepared = registry([{"status": "failing"} for _ in range(3)] + [{} for _ in range(20)])
    assert publish(prepared, build(prepared, 11), DashboardFilters()).failing.withheld
    assert publish(prepared, build(prepared, 3), DashboardFilters()).failing.k == 3


# The attack: every page of every filter combination, read as linear equations over the atoms
# (for each combination of year, region, procedure and surgeon: failing, relapsed, succeeding,
# not judged), solved as far as they go. A withheld small count must stay out of their span.
YEARS, REGIONS, PROCEDURES, SURGEONS = (2024, 2025), ("a", "b", "c"), ("x", "y"), ("s", "t", "u")
STATUSES = ("failing", "relapsed", "succeeding", "too_early")
ATOMS = {"patients": (0, 1, 2, 3), "judged": (0, 1, 2), "failed": (0, 1), "failing": (0,)}
ATOMS |= {"relapsed": (1,)}
LEAVES = list(itertools.product(YEARS, REGIONS, PROCEDURES, SURGEONS))


def _vector(measure: str, selection: tuple[object | None, ...]) -> np.ndarray:
    row = np.zeros(len(LEAVES) * 4)
    for index, leaf in enumerate(LEAVES):
        if all(want is None or want == have for want, have in zip(selection, leaf, strict=True)):
            for atom in ATOMS[measure]:
                row[index * 4 + atom] = 1.0
    return row


def _page_equations(dashboard: Dashboard, selection: tuple[object | None, ...]) -> list[np.ndarray]:
    seen = {
        "patients": dashboard.patients,
        "judged": dashboard.judged,
        "failing": dashboard.failing.k,
        "relapsed": dashboard.relapsed.k,
        "failed": dashboard.failed.k,
    }
    rows = [_vector(measure, selection) for measure, value in seen.items() if value is not None]
    peers = (*selection[:3], None)
    if dashboard.funnel.practice_rate is not None:
        rows += [_vector("judged", peers), _vector("failed", peers)]
    for point in dashboard.funnel.points:
        rows += [
            _vector("judged", (*peers[:3], point.unit)),
            _vector("failed", (*peers[:3], point.unit)),
        ]
    return rows


patients = st.lists(
    st.tuples(
        st.sampled_from(YEARS),
        st.sampled_from(REGIONS),
        st.sampled_from(PROCEDURES),
        st.sampled_from(SURGEONS),
        st.sampled_from(STATUSES),
    ),
    min_size=1,
    max_size=90,
)


def recovered(prepared: PreparedRegistry, cube: DisclosureCube) -> list[str]:
    """The withheld small counts that the shown counts of every page pin down."""
    choices = [(None, *values) for values in (YEARS, REGIONS, PROCEDURES, SURGEONS)]
    equations: list[np.ndarray] = []
    withheld: list[tuple[str, tuple[object | None, ...]]] = []
    for selection in itertools.product(*choices):
        year, region, procedure, surgeon = selection
        dashboard = publish(
            prepared,
            cube,
            DashboardFilters(year, region, procedure, surgeon),  # type: ignore[arg-type]
        )
        equations += _page_equations(dashboard, selection)
        for measure in ATOMS:
            true = cube.true_count(measure, selection)
            if 0 < true < cube.threshold:
                withheld.append((measure, selection))
    if not equations:
        return []
    _, singular, rows = np.linalg.svd(np.array(equations), full_matrices=False)
    basis = rows[singular > 1e-9]
    found = []
    for measure, selection in withheld:
        target = _vector(measure, selection)
        if np.linalg.norm(target - basis.T @ (basis @ target)) < 1e-6:
            found.append(f"{measure} at {selection}")
    return found


def _practice(rows: list[tuple[int, str, str, str, str]]) -> PreparedRegistry:
    return registry(
        [
            {"year": y, "index_date": date(y, 3, 1), "region": r, "procedure": p, "surgeon": s}
            | {"status": status}
            for y, r, p, s, status in rows
        ]
    )


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patients, st.sampled_from([3, 5, 11]))
def test_no_withheld_count_can_be_recovered_from_every_page(
    rows: list[tuple[int, str, str, str, str]], threshold: int
) -> None:
    prepared = _practice(rows)
    assert recovered(prepared, build(prepared, threshold)) == []


def test_the_recovery_attack_finds_what_primary_suppression_alone_leaks() -> None:
    # 20 lumbar-like patients in region a and 1 failing patient in region b: with only the small
    # cells hidden, "every region" minus "region a" gives region b's single patient away.
    rows = [(2025, "a", "x", "s", "succeeding")] * 20 + [(2025, "b", "x", "s", "failing")]
    prepared = _practice(rows)
    cube = build(prepared, 11)
    primary_only = replace(cube, hidden=(cube.counts > 0) & (cube.counts < 11))
    assert recovered(prepared, primary_only)
    assert recovered(prepared, cube) == []


def test_survival_curves_stop_where_fewer_than_the_threshold_remain_at_risk() -> None:
    rows: list[dict[str, object]] = [
        {"primary_procedure": "fusion", "duration": 10 * (i + 1), "revised": i % 3 == 0}
        for i in range(40)
    ]
    prepared = registry(rows)
    (curve,) = publish(prepared, build(prepared, 11), DashboardFilters()).survival
    assert min(curve.at_risk) == 11  # on day 300, 11 of the 40 are still followed
    assert curve.days[-1] == 300
    assert curve.at(310) is None
