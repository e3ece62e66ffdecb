"""Warning signs read from report text raise the red flags the vocabulary alone could not.

Sentences written for these tests in the styles of radiology reports and ward notes; the red-flag
decisions they exercise are in knowledge/triage/red_flags.yaml with their sources.
"""

import datetime as dt
from typing import Any

import pytest

from spinetrack.domain.reports import find_in_reports, is_sign
from spinetrack.domain.triage import assess


def _case(
    report: str, *, region: str = "lumbar", days: int = 200, procedure: str = "laminectomy"
) -> dict[str, Any]:
    levels = {"cervical": ["C5-C6"], "thoracic": ["T10-T11"], "lumbar": ["L4-L5"]}[region]
    surgery = dt.date(2026, 6, 1) - dt.timedelta(days=days)
    return {
        "evaluation_date": "2026-06-01",
        "region": region,
        "surgeries": [
            {
                "date": surgery.isoformat(),
                "procedure": procedure,
                "levels": levels,
            }
        ],
        "reports": [report],
    }


def _flags(report: str, **context: Any) -> list[str]:
    return sorted(flag.id for flag in assess(_case(report, **context)).red_flags)


def test_signs_never_reach_extracted_findings() -> None:
    case = _case(
        "MRI: myelomalacia at C5 with the cord compressed by a residual bar.", region="cervical"
    )
    assessment = assess(case)
    assert assessment.red_flags[0].id == "myelopathy"
    assert not any(is_sign(f.id) for f in assessment.extracted_findings)


@pytest.mark.parametrize(
    ("report", "region", "flag"),
    [
        (
            "MRI T-spine: residual disc indenting the cord with T2 hyperintensity.",
            "thoracic",
            "myelopathy",
        ),
        ("Exam: sensory level at T10, power 5/5 throughout.", "thoracic", "myelopathy"),
        ("Reduced pinprick below the umbilicus.", "lumbar", "myelopathy"),
        (
            "MRI: dorsal epidural haematoma L3-L5 markedly compressing the thecal sac.",
            "lumbar",
            "cauda_equina",
        ),
        (
            "MRI: haematoma at T8 compressing the cord, with cord oedema.",
            "thoracic",
            "myelopathy",
        ),
        ("Rim-enhancing collection in the laminectomy bed.", "lumbar", "infection"),
        ("Collection at L4/5, ?abscess.", "lumbar", "infection"),
    ],
)
def test_a_sign_in_the_text_raises_its_flag(report: str, region: str, flag: str) -> None:
    assert flag in _flags(report, region=region)


@pytest.mark.parametrize(
    ("report", "region"),
    [
        (
            "MRI C-spine: disc bulge at C6/7 effacing CSF, no cord compression or signal change.",
            "cervical",
        ),
        ("Moderate compression of the thecal sac by the L4/5 disc bulge.", "lumbar"),
        ("Small postoperative seroma, no abscess.", "lumbar"),
        ("No sensory level. Reflexes normal.", "thoracic"),
    ],
)
def test_ordinary_wording_and_negated_signs_raise_nothing(report: str, region: str) -> None:
    assert _flags(report, region=region) == []


def test_a_thoracic_bladder_sign_with_a_sensory_level_is_myelopathy_not_cauda_equina() -> None:
    report = (
        "New urgency and a bladder scan of 650 mL; sensory level at T9, saddle sensation intact."
    )
    assert _flags(report, region="thoracic") == ["myelopathy"]


def test_one_raised_crp_after_a_fusion_escalates_from_four_weeks_to_three_months() -> None:
    assert _flags("CRP 48 mg/L.", days=40, procedure="fusion") == ["infection"]
    assert _flags("CRP 48 mg/L.", days=21, procedure="fusion") == []
    assert _flags("CRP 48 mg/L.", days=300, procedure="fusion") == []


def test_a_single_raised_crp_after_a_decompression_escalates_from_two_weeks() -> None:
    assert _flags("CRP 48 mg/L.", days=21, procedure="discectomy") == ["infection"]
    assert _flags("CRP 48 mg/L.", days=10, procedure="discectomy") == []
    assert _flags("CRP 48 mg/L.", days=300, procedure="laminectomy") == []


def test_night_sweats_escalate_early_after_surgery_or_with_immunosuppression() -> None:
    assert _flags("Drenching night sweats this week.", days=30) == ["infection"]
    assert _flags("Drenching night sweats this week.", days=300) == []
    assert _flags("On tacrolimus after a renal transplant; night sweats.", days=300) == [
        "infection"
    ]


def test_signs_are_read_with_their_certainty() -> None:
    found = {m.id: m.status for m in find_in_reports(["An early abscess cannot be excluded."])}
    assert found["infected_collection"] == "uncertain"


def test_hand_clumsiness_in_the_neck_is_myelopathy_unless_it_is_improving() -> None:
    assert _flags("Dropping things and struggling with buttons.", region="cervical") == [
        "myelopathy"
    ]
    assert _flags("Hand clumsiness: improving since surgery.", region="cervical") == []


def test_bilateral_sciatica_with_difficulty_passing_urine_is_cauda_equina() -> None:
    assert _flags("Bilateral sciatica and new difficulty passing urine.") == ["cauda_equina"]
    assert _flags("No difficulty passing urine.") == []
