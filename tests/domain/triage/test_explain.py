"""The text summary puts red flags first and explains ids in words."""

from collections.abc import Callable
from typing import Any

from spinetrack.domain.triage import assess
from spinetrack.domain.triage.case import parse_case
from spinetrack.domain.triage.explain import render_text

CaseBuilder = Callable[..., dict[str, Any]]


def text_of(case: dict[str, Any]) -> str:
    return render_text(parse_case(case), assess(case))


def test_red_flags_come_before_causes_work_up_and_options(make_case: CaseBuilder) -> None:
    text = text_of(
        make_case(findings=["saddle_anesthesia", "ct_no_bridging_bone", "mechanical_pain"])
    )
    order = [
        text.index("RED FLAGS"),
        text.index("[EMERGENCY] cauda_equina"),
        text.index("LIKELY CAUSES"),
        text.index("WORK-UP"),
        text.index("TREATMENT OPTIONS"),
        text.index("Decision support only"),
    ]
    assert order == sorted(order)


def test_findings_are_explained_and_timing_is_given_in_words(make_case: CaseBuilder) -> None:
    text = text_of(
        make_case(days=466, findings=["ct_no_bridging_bone"], course="gradual_worsening")
    )
    assert "ct_no_bridging_bone (no bridging bone across a fused segment on fine-cut CT)" in text
    assert "timing: 6 months to 3 years after fusion" in text
    assert "15.3 months ago; phase: months after surgery" in text
    assert "Course: partial relief that has slowly eroded" in text
    assert "PSPS-2: met" in text


def test_the_treatments_show_their_evidence(make_case: CaseBuilder) -> None:
    text = text_of(
        make_case(findings=["mbb_positive", "extension_pain"], pain={"axial": 6, "limb": 1})
    )
    assert "step 2 (interventional) medial_branch_radiofrequency" in text
    assert "positive diagnostic medial branch block" in text


def test_a_quiet_case_says_so(make_case: CaseBuilder) -> None:
    text = text_of(make_case(days=30, findings=[]))
    assert "RED FLAGS: none found" in text
    assert "LIKELY CAUSES: none has enough evidence" in text
    assert "PSPS-2: too early" in text
    assert "WORK-UP" not in text
