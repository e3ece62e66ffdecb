"""What the record adds to a case: recorded complications rank their cause, a test whose result is
known is not suggested again, conservative care waits behind a red flag, and a finding a clinician
rejected is left out of what the reports give (issue 18, points 1, 2 and 14)."""

import pytest
from tests.domain.triage.conftest import CaseBuilder

from spinetrack.domain.errors import InvalidCase
from spinetrack.domain.triage import assess
from spinetrack.domain.triage.record_context import complication_rules, plan_context


def test_a_recorded_nerve_root_injury_reaches_the_ranked_causes(make_case: CaseBuilder) -> None:
    case = make_case(days=200, procedure="discectomy", instrumented=False, levels=("L5-S1",))
    before = [c.id for c in assess(case).causes]
    assert "nerve_root_injury" not in before
    after = assess({**case, "complications": ["nerve_root_injury"]})
    cause = next(c for c in after.causes if c.id == "nerve_root_injury")
    assert "complication: nerve root injury during surgery" in cause.evidence_for
    rule_sources = complication_rules().complications["nerve_root_injury"].sources
    assert set(rule_sources) <= set(cause.sources)


def test_an_unknown_complication_is_refused_naming_the_field(make_case: CaseBuilder) -> None:
    with pytest.raises(InvalidCase) as refused:
        assess(make_case(complications=["broken_heart"]))
    assert refused.value.field == "complications.0"


def test_an_mri_finding_on_record_means_mri_is_already_known(make_case: CaseBuilder) -> None:
    case = make_case(days=200, procedure="laminectomy", instrumented=False)
    plain = assess({**case, "findings": ["neurogenic_claudication"]})
    assert "mri" in [w.id for w in plain.workup]
    assert plain.already_known == []
    known = assess({**case, "findings": ["neurogenic_claudication", "mri_disc_material"]})
    assert "mri" not in [w.id for w in known.workup]
    assert all("mri" not in c.workup for c in known.causes)
    [item] = [k for k in known.already_known if k.id == "mri"]
    assert item.findings == ["mri_disc_material"]
    assert item.sources


def test_physical_therapy_is_held_back_after_escalation_while_a_red_flag_is_raised(
    make_case: CaseBuilder,
) -> None:
    case = make_case(days=200, procedure="laminectomy", instrumented=False)
    case["findings"] = ["neurogenic_claudication"]
    calm = assess(case)
    assert not calm.red_flags
    assert calm.treatments[0].id == "physical_therapy"
    assert not calm.treatments[0].held_back
    flagged = assess({**case, "findings": [*case["findings"], "fever", "wound_drainage"]})
    assert flagged.red_flags
    ids = [t.id for t in flagged.treatments]
    assert "physical_therapy" in ids
    held = [t for t in flagged.treatments if t.held_back]
    assert {t.id for t in held} <= set(plan_context().held_back_during_red_flag.treatments)
    assert "physical_therapy" in {t.id for t in held}
    first_held = ids.index(held[0].id)
    assert all(not t.held_back for t in flagged.treatments[:first_held])
    assert all(t.held_back for t in flagged.treatments[first_held:])


def test_a_rejected_reading_is_left_out_of_the_assessment(make_case: CaseBuilder) -> None:
    report = "CT: no bridging bone across L4-L5. Lucency around the L5 screws."
    case = make_case(days=400, reports=[report])
    read = assess(case)
    assert "ct_no_bridging_bone" in [f.id for f in read.extracted_findings]
    rejected = assess(
        {**case, "rejected_report_findings": [{"report": 0, "id": "ct_no_bridging_bone"}]}
    )
    assert "ct_no_bridging_bone" not in [f.id for f in rejected.extracted_findings]


def test_a_rejection_must_name_one_of_the_case_reports(make_case: CaseBuilder) -> None:
    with pytest.raises(InvalidCase) as refused:
        assess(make_case(rejected_report_findings=[{"report": 0, "id": "fever"}]))
    assert refused.value.field == "rejected_report_findings.0.report"
