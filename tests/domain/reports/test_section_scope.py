"""Section scope: a label such as "Advice:" or "PMH:" gives its status to what it heads."""

import copy
from typing import Any

import pytest

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import load_yaml
from spinetrack.domain.reports import read_mentions
from spinetrack.domain.reports.section_scope import (
    SECTIONS_FILE,
    parse_section_rules,
    sections,
)


def _statuses(text: str) -> dict[str, str]:
    return {m.id: m.status for m in read_mentions([text])}


def test_warning_signs_listed_under_advice_are_hypothetical_in_every_sentence() -> None:
    text = (
        "Advice: return to ED if you develop problems passing urine.\n"
        "Increasing redness or discharge from the wound, or fever, please contact the ward."
    )
    statuses = _statuses(text)
    assert statuses["wound_drainage"] == "hypothetical"
    assert statuses["fever"] == "hypothetical"


def test_an_advice_section_ends_at_the_next_label() -> None:
    text = "Advice: fever or wound discharge, call us. Today: wound discharging pus."
    mentions = [m for m in read_mentions([text]) if m.id == "wound_drainage"]
    assert mentions[0].status == "hypothetical"
    assert {m.status for m in mentions if m.start > text.index("Today")} == {"affirmed"}


def test_a_past_history_list_is_historical_but_lasting_states_stay_current() -> None:
    statuses = _statuses("PMH: L5/S1 discectomy 2015 for sciatica, T2DM, prostate Ca 2019.")
    assert statuses["diabetes"] == "affirmed"
    assert statuses["history_of_cancer"] == "affirmed"


def test_a_past_history_list_reaches_only_its_own_sentence() -> None:
    text = "PMH: wound infection after a hernia repair. Now febrile, 38.6."
    mentions = read_mentions([text])
    assert [m.status for m in mentions if m.id == "fever"] == ["affirmed"]


def test_a_label_inside_a_sentence_opens_no_section() -> None:
    assert sections("He was given advice: rest.") == []
    assert [s.status for s in sections("Wound dry. Advice: rest.")] == ["hypothetical"]


def test_an_unknown_finding_or_a_broken_label_is_a_load_error() -> None:
    data: Any = copy.deepcopy(load_yaml(SECTIONS_FILE))
    data["sections"][1]["excluded_findings"].append("no_such_finding")
    with pytest.raises(KnowledgeError):
        parse_section_rules(data)
    data = copy.deepcopy(load_yaml(SECTIONS_FILE))
    data["sections"][0]["label"] = "advice("
    with pytest.raises(KnowledgeError):
        parse_section_rules(data)


def test_an_operation_note_s_indication_is_history_but_its_red_flag_findings_stay_current() -> None:
    note = (
        "Procedure: interspinous device insertion L3-4. Indication: neurogenic claudication with"
        " moderate stenosis. Findings: as expected."
    )
    assert _statuses(note)["neurogenic_claudication"] == "historical"
    urgent = "Return to theatre. Indication: new weakness of the right ankle and retention."
    statuses = _statuses(urgent)
    assert statuses["new_weakness"] == "affirmed"
    assert statuses["urinary_retention"] == "affirmed"


def test_what_was_seen_at_surgery_is_not_an_imaging_finding() -> None:
    note = "OPERATION NOTE\nFindings: L5 screws loose and toggling. Frank pus deep to the fascia."
    statuses = _statuses(note)
    assert statuses["screw_lucency"] == "historical"
    assert statuses["wound_drainage"] == "affirmed"


def test_an_indication_outside_an_operation_note_changes_nothing() -> None:
    report = "CT LUMBAR SPINE\nIndication: neurogenic claudication.\nFindings: screws loose."
    statuses = _statuses(report)
    assert statuses["neurogenic_claudication"] == "affirmed"
    assert statuses["screw_lucency"] == "affirmed"


def test_the_diagnoses_of_an_operation_summary_are_the_state_before_it() -> None:
    summary = "Procedure: L4/5 microdiscectomy. Diagnoses: L4/5 disc prolapse; T2DM; hypertension."
    statuses = {m.id: m.status for m in read_mentions([summary])}
    assert statuses["mri_disc_material"] == "historical"
    assert statuses["diabetes"] == "affirmed"


def test_the_indication_of_an_index_operation_is_history_red_flag_findings_included() -> None:
    note = (
        "OPERATION NOTE\nIndication: cauda equina syndrome from a massive L4/5 disc, saddle"
        " anaesthesia and retention on admission.\nProcedure: L4/5 laminectomy and discectomy."
    )
    statuses = _statuses(note)
    assert statuses["saddle_anesthesia"] == "historical"
    assert statuses["urinary_retention"] == "historical"


def test_the_indication_of_a_reoperation_is_current_but_the_scans_it_quotes_are_history() -> None:
    note = (
        "OP NOTE. Revision for PJK.\nIndication: new bilateral leg numbness and brisk reflexes;"
        " CT: no bridging bone at L5/S1.\nFindings: T10 screws pulled out."
    )
    statuses = _statuses(note)
    assert statuses["bilateral_limb_symptoms"] == "affirmed"
    assert statuses["ct_no_bridging_bone"] == "historical"


def test_an_initial_does_not_end_a_sentence_section() -> None:
    note = (
        "OP NOTE\nDiagnosis: T10/11 epidural abscess, S. aureus bacteraemia, progressive"
        " paraparesis.\nProcedure: T10-11 laminectomy."
    )
    assert _statuses(note)["progressive_weakness"] == "historical"


def test_the_presenting_complaint_of_the_operation_s_own_stay_is_history() -> None:
    summary = (
        "DISCHARGE SUMMARY\nPresenting problem: cauda equina syndrome (saddle anaesthesia,"
        " painless retention); emergency decompression within 12 h.\nAt discharge: voiding."
    )
    assert _statuses(summary)["urinary_retention"] == "historical"


def test_the_presenting_complaint_of_a_return_after_the_operation_is_current() -> None:
    readmitted = (
        "DISCHARGE SUMMARY (readmission)\nPresenting complaint: wound discharge and fever."
        "\nProcedure: washout."
    )
    assert _statuses(readmitted)["fever"] == "affirmed"
    dated = (
        "Discharge summary.\nPresenting complaint: 2/52 post L4-S1 PLIF, fever.\nPost-op course:"
        " IV antibiotics."
    )
    assert _statuses(dated)["fever"] == "affirmed"
    ed_note = "ED NOTE\nPC: 2 weeks post-op, not passed urine for 10 h. Discharged? No."
    assert _statuses(ed_note)["urinary_retention"] == "affirmed"


def test_the_imaging_finding_an_operation_s_title_names_is_what_it_treated() -> None:
    text = (
        "Operation: revision fusion L4-5 for established non-union.\n"
        "Indication: ongoing back pain.\n"
        "Findings: loose interbody cage; new cage and rods placed."
    )
    assert _statuses(text)["ct_no_bridging_bone"] == "historical"
    # a symptom in the title is left as it reads, and a title outside an operation note is no title
    title = "Operation: washout of the wound for fever and purulent discharge.\nHaemostasis."
    assert _statuses(title)["fever"] == "affirmed"
    assert _statuses("Operation: none planned. CT shows established non-union at L4-5.") == {
        "ct_no_bridging_bone": "affirmed"
    }


def test_a_bracketed_aside_between_a_label_and_its_colon_keeps_the_label() -> None:
    statuses = _statuses("PMH (per GP letter): lumbar discitis. Walks unsteadily with a stick.")
    assert statuses == {"mri_discitis": "historical", "gait_disturbance": "affirmed"}


def test_a_sentence_section_runs_on_over_a_line_wrapped_by_hand() -> None:
    # leaks16c: a writer who wraps lines carries the indication's sentence onto the next line
    text = (
        "Operation note (index). L4-5 laminectomy. Indication: claudication at 50 m, bilateral leg\n"
        "numbness on walking. Findings: thick ligamentum flavum."
    )
    assert _statuses(text)["bilateral_limb_symptoms"] == "historical"


def test_a_line_that_opens_with_a_capital_still_ends_a_sentence_section() -> None:
    text = "PMH: lumbar discectomy 2015\nBoth legs numb since Tuesday."
    assert _statuses(text)["bilateral_limb_symptoms"] == "affirmed"


@pytest.mark.parametrize(
    ("text", "listed", "after"),
    [
        ("Negative for: 1) fever 2) rigors. Foot drop today.", "1) fever 2) rigors", "Foot"),
        ("Denies:\n1. fever\n2. rigors\nFoot drop today.", "1. fever\n2. rigors", "Foot"),
        (
            "ROS negative for: (a) fever, (b) rigors; foot drop today.",
            "(a) fever, (b) rigors",
            "foot",
        ),
    ],
)
def test_a_denial_over_a_numbered_list_covers_the_list_and_stops_after_it(
    text: str, listed: str, after: str
) -> None:
    (section,) = [s for s in sections(text) if s.status == "negated"]
    assert listed in text[section.start : section.end]
    assert section.end <= text.index(after)


def test_a_denial_label_without_a_list_is_no_section() -> None:
    assert not [s for s in sections("Negative for: fever, rigors.") if s.status == "negated"]
