"""The demo cohort looks like a clinic: reproducible, on schedule, with realistic failure rates."""

from collections import Counter
from datetime import date, timedelta

import pytest

from spinetrack.demo.cohort import generate_cohort

TODAY = date(2026, 6, 1)


@pytest.fixture(scope="module")
def cohort():  # type: ignore[no-untyped-def]
    return generate_cohort(3000, seed=11, today=TODAY)


def test_the_same_seed_gives_the_same_clinic() -> None:
    one, two = generate_cohort(200, 5, TODAY), generate_cohort(200, 5, TODAY)
    assert one.patients == two.patients
    assert one.responses == two.responses
    assert generate_cohort(200, 6, TODAY).patients != one.patients


def test_every_procedure_and_both_main_regions_appear(cohort) -> None:  # type: ignore[no-untyped-def]
    procedures = Counter(s.procedure for s in cohort.surgeries)
    assert set(procedures) == {
        "discectomy",
        "laminectomy",
        "decompression",
        "fusion",
        "disc_replacement",
        "dynamic_stabilization",
    }
    regions = Counter(s.region for s in cohort.surgeries)
    assert regions["lumbar"] > regions["cervical"] > 0


def test_about_one_patient_in_five_does_not_do_well(cohort) -> None:  # type: ignore[no-untyped-def]
    trajectories = Counter(p.trajectory for p in cohort.patients)
    share = (trajectories["failing"] + trajectories["relapsed"]) / len(cohort.patients)
    assert 0.15 < share < 0.32


def test_nothing_happens_after_today_and_responses_follow_surgery(cohort) -> None:  # type: ignore[no-untyped-def]
    first_surgery = {}
    for s in cohort.surgeries:
        first_surgery.setdefault(s.patient, s.performed_on)
    for r in cohort.responses:
        assert r.completed_at.date() <= TODAY
        assert r.completed_at.date() >= first_surgery[r.patient] - timedelta(days=90)


def test_revisions_come_after_what_they_revise_and_name_a_cause(cohort) -> None:  # type: ignore[no-untyped-def]
    revisions = [s for s in cohort.surgeries if s.revision_of is not None]
    assert revisions
    for revision in revisions:
        original = cohort.surgeries[revision.revision_of]
        assert original.patient == revision.patient
        assert original.performed_on < revision.performed_on
        assert revision.revision_reason


def test_follow_up_thins_out_with_time(cohort) -> None:  # type: ignore[no-untyped-def]
    first_surgery = {}
    for s in cohort.surgeries:
        first_surgery.setdefault(s.patient, s.performed_on)
    days = Counter()
    for r in cohort.responses:
        if r.instrument in {"odi", "ndi"}:
            offset = (r.completed_at.date() - first_surgery[r.patient]).days
            days["baseline" if offset <= 0 else "3m" if 70 <= offset <= 135 else "other"] += 1
    assert days["baseline"] > days["3m"] > 0


def test_surgeon_and_patient_complication_reports_both_occur(cohort) -> None:  # type: ignore[no-untyped-def]
    reporters = Counter(c.reported_by for c in cohort.complications)
    assert reporters["surgeon"] > 0 and reporters["patient"] > 0
