"""Red flags the eighth blind set showed missed, by cause (flagsmiss pass).

Serial scores worse at every interval (grip, peg test, mJOA, Berg), a weakness "getting worse"
after a comma, epidural tumour in a patient with cancer, a
day-1 haematoma not evacuated, a fall told by its activity and pain worse "since then" each raise
their flag; the look-alike of each (an improving series, a single drop, an evacuated clot) does
not. The sentences were written for these tests. Rules and sources: knowledge/triage/red_flags.yaml,
knowledge/reports/signs.yaml, value_rules.yaml and finding_terms.yaml (flagsmiss entries).
"""

import pytest
from tests.support.report_cases import flags_reader

PROGRESSIVE = "progressive_neurological_deficit"
_flags = flags_reader(days=60)


@pytest.mark.parametrize(
    "report",
    [
        "Hand therapy: left grip 30 kg -> 24 kg -> 17 kg over the last month.",
        "Nine-hole peg left 40 s in March, 47 s in April and 58 s today.",
        "Study visit: mJOA 12 (was 15 at 6 months, 16 at 3 months).",
        "Berg 50 at week 1, 44 at week 3 and 37 today.",
    ],
)
def test_a_score_worse_at_every_interval_is_a_progressive_deficit(report: str) -> None:
    assert PROGRESSIVE in _flags(report, region="cervical")


@pytest.mark.parametrize(
    "report",
    [
        "Hand therapy: left grip 17 kg -> 24 kg -> 30 kg over the last month.",
        "Nine-hole peg left 58 s in March, 47 s in April and 40 s today.",
        "Study visit: mJOA 16 (was 15 at 6 months, 12 at 3 months).",
        "Berg 50 at week 1, 52 at week 3 and 47 today.",
    ],
)
def test_an_improving_or_mixed_series_is_not_progressive(report: str) -> None:
    assert PROGRESSIVE not in _flags(report, region="cervical")


def test_a_weakness_getting_worse_after_a_comma_is_progressive() -> None:
    report = "Right wrist drop for a fortnight, getting worse, now cannot hold a cup."
    assert PROGRESSIVE in _flags(report, region="cervical")
    assert PROGRESSIVE not in _flags(
        "Right wrist drop for a fortnight, not getting worse.", region="cervical"
    )


def test_epidural_tumour_in_a_patient_with_cancer_is_malignancy() -> None:
    report = "Known renal cell carcinoma. MRI: L1 extradural tumour narrowing the canal."
    assert "malignancy" in _flags(report)
    assert "malignancy" not in _flags(
        "Known renal cell carcinoma in 2009. MRI: no epidural disease."
    )


def test_a_day_one_haematoma_raises_infection_unless_it_was_evacuated() -> None:
    found = "MRI day 1: dorsal epidural haematoma L4-5 narrowing the thecal sac."
    assert "infection" in _flags(found, days=1, procedure="laminectomy")
    evacuated = "Back to theatre 5 h after surgery: epidural clot over L4-5 evacuated, dura intact."
    assert "infection" not in _flags(evacuated, days=1, procedure="laminectomy")


def test_a_fall_told_by_its_activity_with_pain_worse_since_is_fracture() -> None:
    assert "fracture" in _flags("He fell during a football match on Sunday; since then pain worse.")
    assert "fracture" not in _flags("He fell during a football match on Sunday; no new pain.")
