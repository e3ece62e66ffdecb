"""The pre-operative record's checks: ranges from knowledge/, distress from a yes/no or a score."""

import pytest

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.registry.preop import PreopRecord, check_preop, preop_knowledge


def test_the_questionnaire_cutoffs_are_the_published_ones_with_sources() -> None:
    known = preop_knowledge().questionnaires
    assert (known["phq9"].cutoff, known["gad7"].cutoff) == (10, 10)
    assert "Kroenke" in known["phq9"].sources[0]
    assert "Spitzer" in known["gad7"].sources[0]


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (PreopRecord(), None),
        (PreopRecord(phq9=9), False),
        (PreopRecord(phq9=10), True),
        (PreopRecord(phq9=4, gad7=12), True),
        (PreopRecord(psychological_distress=False, phq9=20), False),
    ],
)
def test_distress_is_the_answer_or_a_score_at_its_cutoff(
    record: PreopRecord, expected: bool | None
) -> None:
    assert record.distress() is expected


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (PreopRecord(bmi=5.0), "bmi"),
        (PreopRecord(asa=5), "asa"),
        (PreopRecord(symptom_duration_months=-1.0), "symptom_duration_months"),
        (PreopRecord(baseline_pain_limb=11), "baseline_pain_limb"),
        (PreopRecord(phq9=28), "phq9"),
        (PreopRecord(gad7=22), "gad7"),
    ],
)
def test_a_value_out_of_range_names_its_field(record: PreopRecord, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_preop(record)
    assert caught.value.field == field


def test_values_are_tidied_as_the_forms_show_them() -> None:
    checked = check_preop(PreopRecord(bmi=27.349, symptom_duration_months=6.04))
    assert (checked.bmi, checked.symptom_duration_months) == (27.3, 6.0)
    tidy = PreopRecord(bmi=27.3, asa=2, symptom_duration_months=6.0, phq9=4)
    assert check_preop(tidy) == tidy
    one = check_preop(PreopRecord(bmi=27.3, symptom_duration_months=6.04, gad7=3))
    assert one == PreopRecord(bmi=27.3, symptom_duration_months=6.0, gad7=3)
