"""assess(case): the contract's shape, sources everywhere, determinism, and the report seam."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from spinetrack.domain.knowledge import rules_version
from spinetrack.domain.triage import Assessment, assess, engine
from spinetrack.domain.triage.assessment import ExtractedFinding
from spinetrack.domain.triage.extraction import TextFindings, extract_findings

CaseBuilder = Callable[..., dict[str, Any]]
CASES = Path(__file__).parent / "cases"

CONTRACT_KEYS = {
    "case_id",
    "rules_version",
    "months_since_surgery",
    "psps2",
    "red_flags",
    "causes",
    "workup",
    "treatments",
    "extracted_findings",
    "disclaimer",
}


def test_the_json_has_exactly_the_contract_fields(make_case: CaseBuilder) -> None:
    case = make_case(findings=["fever", "ct_no_bridging_bone", "mechanical_pain"])
    data = json.loads(assess(case).model_dump_json())
    # Fields added after version 1 (the contract allows additions, never renames or drops).
    assert set(data) == CONTRACT_KEYS | {"already_known"}
    assert set(data["psps2"]) == {"status", "basis", "sources"}
    assert set(data["red_flags"][0]) == {"id", "urgency", "evidence", "action", "sources"}
    assert set(data["causes"][0]) == {
        "id",
        "rank",
        "likelihood",
        "score",
        "evidence_for",
        "evidence_against",
        "workup",
        "sources",
    }
    assert set(data["workup"][0]) == {"id", "for", "sources"}
    assert set(data["treatments"][0]) == {"id", "for", "step", "sources", "held_back"}


def test_the_assessment_reads_back_from_its_own_json(make_case: CaseBuilder) -> None:
    assessment = assess(make_case(findings=["ct_no_bridging_bone", "mechanical_pain"]))
    assert Assessment.model_validate_json(assessment.model_dump_json()) == assessment


def test_months_since_surgery_and_the_rules_version(make_case: CaseBuilder) -> None:
    assessment = assess(make_case(days=466))
    assert assessment.months_since_surgery == 15.3
    assert assessment.rules_version == rules_version()


def test_case_id_is_echoed_and_may_be_absent(make_case: CaseBuilder) -> None:
    assert assess(make_case()).case_id == "t-1"
    case = make_case()
    del case["case_id"]
    assert assess(case).case_id is None


def test_the_disclaimer_says_it_supports_and_never_replaces_judgement(
    make_case: CaseBuilder,
) -> None:
    text = assess(make_case()).disclaimer
    assert "never replaces" in text and "judgement" in text


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.iterdir()))
def test_every_item_of_every_vignette_carries_a_source(name: str) -> None:
    assessment = assess(json.loads((CASES / name / "case.json").read_text(encoding="utf-8")))
    groups = [
        [assessment.psps2.sources],
        [f.sources for f in assessment.red_flags],
        [c.sources for c in assessment.causes],
        [w.sources for w in assessment.workup],
        [t.sources for t in assessment.treatments],
    ]
    assert all(sources for group in groups for sources in group)


def test_the_same_case_always_gives_the_same_json(make_case: CaseBuilder) -> None:
    case = make_case(findings=["screw_lucency", "mechanical_pain", "psychological_distress"])
    assert len({assess(case).model_dump_json() for _ in range(5)}) == 1


def test_findings_read_from_a_report_join_the_case_and_are_listed(make_case: CaseBuilder) -> None:
    report = "CT L-spine: no bridging bone across L4-5. Lucency around the L5 screws."
    assessment = assess(make_case(reports=[report]))
    assert assessment.extracted_findings == [
        ExtractedFinding(id="ct_no_bridging_bone", text="no bridging bone", report=0),
        ExtractedFinding(id="screw_lucency", text="Lucency around the L5 screws", report=0),
    ]
    assert assessment.causes[0].id == "pseudarthrosis"
    assert "ct_no_bridging_bone" in assessment.causes[0].evidence_for


def test_a_case_without_reports_extracts_nothing() -> None:
    assert extract_findings([]) == TextFindings(extracted=[], uncertain=frozenset())


def test_findings_from_the_report_seam_join_the_case(
    make_case: CaseBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = [ExtractedFinding(id="saddle_anesthesia", text="saddle numbness", report=0)]
    text = TextFindings(extracted=found, uncertain=frozenset())
    monkeypatch.setattr(engine, "extract_findings", lambda reports, rejected=(), surgeries=(): text)
    assessment = assess(make_case(reports=["Saddle numbness since yesterday."]))
    assert assessment.extracted_findings == found
    assert [f.id for f in assessment.red_flags] == ["cauda_equina"]
    assert assessment.red_flags[0].evidence == ["saddle_anesthesia"]
