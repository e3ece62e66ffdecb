"""Report text in a triage case: findings join the case, uncertain ones weigh less, red flags from
text add to the structured findings, and the vignettes read from text reach the same leading cause.
"""

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from spinetrack.domain.reports.implied import implications
from spinetrack.domain.triage import assess
from spinetrack.domain.triage.rules_check import checked_rules

CASES = Path(__file__).resolve().parents[1] / "triage" / "cases"
SENTENCES: dict[str, str] = yaml.safe_load(
    (Path(__file__).parent / "vignette_sentences.yaml").read_text(encoding="utf-8")
)


def _case(**fields: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "evaluation_date": "2026-03-01",
        "region": "lumbar",
        "surgeries": [
            {"date": "2025-01-10", "procedure": "fusion", "levels": ["L4-L5"], "instrumented": True}
        ],
        "pain": {"axial": 7, "limb": 2},
    }
    case.update(fields)
    return case


def _score(case: dict[str, Any], cause: str) -> float:
    return next(c.score for c in assess(case).causes if c.id == cause)


def test_an_uncertain_finding_counts_but_weighs_less_than_an_affirmed_one() -> None:
    affirmed = _score(_case(reports=["CT: pseudarthrosis at L4-5."]), "pseudarthrosis")
    uncertain = _score(_case(reports=["CT: possible pseudarthrosis at L4-5."]), "pseudarthrosis")
    listed = _score(_case(findings=["ct_no_bridging_bone"]), "pseudarthrosis")
    assert uncertain < affirmed == listed


def test_the_uncertain_weight_is_the_factor_in_the_rules_data() -> None:
    assert checked_rules().causes.scoring.uncertain_weight == 0.5


def test_a_finding_the_case_lists_is_certain_whatever_a_report_says_of_it() -> None:
    both = _case(findings=["ct_no_bridging_bone"], reports=["Possible pseudarthrosis."])
    assert _score(both, "pseudarthrosis") == _score(
        _case(findings=["ct_no_bridging_bone"]), "pseudarthrosis"
    )


def test_an_affirmed_mention_in_any_report_outweighs_a_hedged_one_elsewhere() -> None:
    reports = ["Possible pseudarthrosis.", "Fine-cut CT: established nonunion at L4-5."]
    assert _score(_case(reports=reports), "pseudarthrosis") == _score(
        _case(reports=["Nonunion at L4-5."]), "pseudarthrosis"
    )


def test_red_flags_from_text_add_to_the_structured_findings() -> None:
    assessment = assess(_case(findings=["fever"], reports=["New saddle numbness since Monday."]))
    assert [f.id for f in assessment.red_flags] == ["cauda_equina", "infection"]


def test_a_report_that_denies_a_red_flag_never_removes_the_structured_one() -> None:
    case = _case(findings=["saddle_anesthesia"], reports=["Denies saddle numbness."])
    assessment = assess(case)
    assert [f.id for f in assessment.red_flags] == ["cauda_equina"]
    assert assessment.extracted_findings == []


def test_a_possible_red_flag_finding_still_raises_the_flag() -> None:
    assessment = assess(_case(reports=["Possible urinary retention, bladder scan pending."]))
    assert [f.id for f in assessment.red_flags] == ["cauda_equina"]


def _vignettes_in_text() -> list[str]:
    names = []
    for folder in sorted(CASES.iterdir()):
        findings = json.loads((folder / "case.json").read_text(encoding="utf-8"))["findings"]
        if findings and all(f in SENTENCES for f in findings):
            names.append(folder.name)
    return names


VIGNETTES = _vignettes_in_text()


def test_nearly_every_vignette_can_be_written_as_report_text() -> None:
    # Left out: vignettes with no findings, and those relying on normal_imaging.
    assert len(VIGNETTES) >= 45


@pytest.mark.parametrize("name", VIGNETTES)
def test_a_vignette_told_in_report_text_reaches_the_same_leading_cause(name: str) -> None:
    case = json.loads((CASES / name / "case.json").read_text(encoding="utf-8"))
    text_case = {
        **case,
        "findings": [],
        "reports": [" ".join(SENTENCES[finding] for finding in case["findings"])],
    }
    from_ids, from_text = assess(case), assess(text_case)
    told = set(case["findings"])
    told |= {wider for finding in told for wider in implications().get(finding, ())}
    assert sorted(e.id for e in from_text.extracted_findings) == sorted(told)
    assert from_text.causes[0].id == from_ids.causes[0].id
    assert [f.id for f in from_text.red_flags] == [f.id for f in from_ids.red_flags]


def _flags(case: dict[str, Any]) -> list[str]:
    return sorted(f.id for f in assess(case).red_flags)


def test_cord_compression_above_the_conus_is_myelopathy_not_cauda_equina() -> None:
    thoracic = _case(
        region="thoracic",
        surgeries=[{"date": "2026-02-20", "procedure": "decompression", "levels": ["T9-T10"]}],
        reports=[
            "Bladder urgency. Sustained ankle clonus, upgoing plantars. Saddle sensation normal."
        ],
    )
    assert _flags(thoracic) == ["myelopathy"]


def test_the_same_bladder_sign_in_a_lumbar_case_is_cauda_equina() -> None:
    assert "cauda_equina" in _flags(_case(reports=["New urinary incontinence since Monday."]))


def test_retention_that_has_settled_raises_no_cauda_equina() -> None:
    report = "Catheterised on day 1 for retention, which settled once he was mobilising."
    assert _flags(_case(reports=[report])) == []


def test_psychological_distress_is_no_cause_in_the_first_days_after_surgery() -> None:
    case = _case(
        region="cervical",
        evaluation_date="2026-03-01",
        surgeries=[{"date": "2026-02-28", "procedure": "fusion", "levels": ["C5-C6"]}],
        reports=["Very anxious. Neck visibly swollen, audible stridor."],
    )
    assessment = assess(case)
    assert [f.id for f in assessment.red_flags] == ["airway_compromise"]
    assert "psychosocial_factors" not in [c.id for c in assessment.causes]


def test_extracted_findings_carry_their_certainty() -> None:
    report = "No bridging bone at L4-5. Possible lucency around the L5 screws."
    extracted = {f.id: f.certainty for f in assess(_case(reports=[report])).extracted_findings}
    assert extracted == {"ct_no_bridging_bone": "affirmed", "screw_lucency": "uncertain"}


def test_a_hedged_screw_lucency_after_fusion_keeps_implant_failure_in_the_top_three() -> None:
    """Issue 16: uncertain is weaker evidence, never none."""
    case = _case(reports=["CT: possible lucency around the L5 screws. Mechanical back pain."])
    top = [cause.id for cause in assess(case).causes[:3]]
    assert "implant_failure" in top
    hedged = _score(case, "implant_failure")
    stated = _score(
        _case(reports=["CT: lucency around the L5 screws. Mechanical back pain."]),
        "implant_failure",
    )
    assert 0 < hedged < stated


def test_extracted_findings_carry_their_certainty_words_and_report() -> None:
    case = _case(
        reports=["Wound clean.", "MRI: cannot exclude a recurrent disc herniation at L4/5."]
    )
    [finding] = assess(case).extracted_findings
    assert (finding.id, finding.certainty, finding.report) == ("mri_disc_material", "uncertain", 1)
    assert finding.text == "recurrent disc herniation"


@pytest.mark.parametrize(
    ("report", "raised"),
    [
        ("New soiling twice this week. PR: sphincter tone lax; saddle sensation intact.", True),
        ("Bowel accidents since Monday. Anal squeeze weak, perineal sensation normal.", True),
        (
            "One bowel accident with diarrhoea. PR: anal tone normal, saddle sensation intact.",
            False,
        ),
        ("PR exam: no reduced anal tone, perianal sensation intact.", False),
    ],
)
def test_a_sphincter_found_weak_raises_cauda_equina_even_with_saddle_sensation_intact(
    report: str, raised: bool
) -> None:
    flags = {flag.id for flag in assess(_case(reports=[report])).red_flags}
    assert ("cauda_equina" in flags) is raised
