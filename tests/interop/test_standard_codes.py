"""Standard codes beside ours, from the sourced mapping tables: a Procedure carries each SNOMED CT or
CPT code whose whole meaning fits the surgery (none when several would) and its region's SNOMED CT
body structure, a pain score the SNOMED CT site of its pain; a Practitioner carries the account and
NPI; a response names the patient as its source and whoever entered it as its author."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from tests.support.bundles import odi, surgery

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.outside_codes import outside_codes, standard_procedure_codes
from spinetrack.domain.vocabulary import vocabulary
from spinetrack.interop.fhir.body_sites import body_site_codes
from spinetrack.interop.fhir.codes import US_NPI
from spinetrack.interop.fhir.ids import practitioner_id
from spinetrack.interop.fhir.observation import to_observation
from spinetrack.interop.fhir.practitioner import ACCOUNT, checked_npi, to_practitioner
from spinetrack.interop.fhir.procedure import to_procedure
from spinetrack.interop.fhir.questionnaire import to_questionnaire
from spinetrack.interop.fhir.questionnaire_response import to_response
from spinetrack.interop.records import PractitionerRecord, ResponseRecord, ScoreRecord

CPT = "http://www.ama-assn.org/go/cpt"
SNOMED = "http://snomed.info/sct"


def _codes(procedure: str, region: str = "lumbar", approach: str = "posterior") -> set[str]:
    record = replace(surgery(procedure=procedure), region=region, approach=approach)
    built = to_procedure(record, today=date(2026, 1, 1))
    return {f"{c.system}|{c.code}" for c in built.code.coding or []}


def test_a_lumbar_microdiscectomy_gets_its_cpt_code_beside_ours() -> None:
    codes = _codes("discectomy")
    assert f"{CPT}|63030" in codes
    assert any(c.endswith("/CodeSystem/procedure|discectomy") for c in codes)


def test_a_fusion_gets_snomed_ct_and_no_cpt_when_several_would_fit() -> None:
    codes = _codes("fusion")
    assert f"{SNOMED}|55705006" in codes
    assert not any(c.startswith(CPT) for c in codes)
    assert f"{CPT}|22558" in _codes("fusion", approach="anterior")


def test_every_code_given_is_in_the_sourced_table() -> None:
    table = outside_codes()
    for procedure in ("discectomy", "laminectomy", "fusion", "disc_replacement"):
        for region in ("cervical", "thoracic", "lumbar"):
            for system, code in standard_procedure_codes(procedure, region, "anterior"):
                name = next(n for n, url in table.systems.items() if url == system)
                assert table.procedures[name][code].procedure == procedure
    assert table.sources


def test_a_response_names_the_patient_as_source_and_author_when_self_entered() -> None:
    clinic = to_response(odi())
    assert clinic.source is not None and clinic.source.reference == clinic.subject.reference
    assert clinic.author is None
    linked = to_response(replace(odi(), source="patient_link"))
    assert linked.author is not None and linked.author.reference == linked.subject.reference


def test_codes_read_on_import_only_are_never_exported() -> None:
    assert standard_procedure_codes("decompression", "cervical", "posterior") == []
    assert standard_procedure_codes("dynamic_stabilization", "lumbar", "posterior") == []
    assert (CPT, "63046") in standard_procedure_codes("laminectomy", "thoracic", "posterior")
    assert not any(
        s == SNOMED for s, _ in standard_procedure_codes("discectomy", "lumbar", "posterior")
    )


def test_questionnaires_carry_confirmed_item_codes_and_a_calculated_score() -> None:
    ndi, odi_form = to_questionnaire("ndi"), to_questionnaire("odi")
    assert [c.code for c in ndi.item[0].code or []] == ["82227-0"]
    assert all(item.code is None for item in odi_form.item[:-1])  # no confirmed ODI item codes
    score = odi_form.item[-1]
    assert score.linkId == "odi_score" and score.readOnly and score.type == "decimal"
    assert (score.code or [])[0].code == "97909-6"
    [calculated] = score.extension or []
    assert "calculatedExpression" in calculated.url
    assert "%answers.count() >= 8" in str(calculated.valueExpression.expression)
    assert to_questionnaire("nrs_back").extension is None  # a single item: no calculated score


def test_a_pain_score_says_where_it_hurts_in_its_body_site() -> None:
    record = ResponseRecord(
        mrn="M1",
        instrument="nrs_leg",
        completed_at=datetime(2026, 1, 5, 9, tzinfo=UTC),
        answers={"nrs_leg": 6},
        score=ScoreRecord(status="ok", answered=1, raw=6.0, percent=None, reason=""),
    )
    observation = to_observation(record)
    assert observation is not None and observation.bodySite is not None
    assert observation.bodySite.text == "Leg"
    assert [(c.system, c.code) for c in observation.bodySite.coding or []] == [(SNOMED, "61685007")]


def test_body_site_codes_are_sourced_and_say_what_is_left_uncoded() -> None:
    table = body_site_codes()
    assert table.sources
    assert set(table.regions) == set(vocabulary().regions)
    assert set(table.pain_sites) == {"nrs_back", "nrs_leg", "nrs_neck", "nrs_arm"}
    assert {"approach", "spinal_level"} <= set(table.not_coded)
    sources = " ".join(str(s) for s in table.sources)
    for concept in [*table.regions.values(), *table.pain_sites.values()]:
        assert concept.code in sources  # each code is named by a source


def test_a_procedure_codes_its_region_in_snomed_ct_but_not_its_approach() -> None:
    procedure = to_procedure(surgery(), today=date(2026, 1, 1))
    region, *levels = procedure.bodySite or []
    assert (SNOMED, "122496007") in [(c.system, c.code) for c in region.coding or []]
    assert all(c.system != SNOMED for level in levels for c in level.coding or [])
    approach = [e for e in procedure.extension or [] if e.url.endswith("surgical-approach")]
    assert approach[0].valueCoding is not None and approach[0].valueCoding.system != SNOMED


def test_an_npi_must_pass_its_check_digit() -> None:
    assert checked_npi(" 1234567893 ") == "1234567893"
    for wrong in ("1234567890", "123456789", "12345678AB"):
        with pytest.raises(InvalidInput):
            checked_npi(wrong)


def test_a_practitioner_carries_the_account_and_npi_unless_deidentified() -> None:
    record = PractitionerRecord("Dr.Okafor@north.example", "Daniel Okafor", "1234567893")
    shown = to_practitioner(record)
    assert [(i.system, i.value) for i in shown.identifier or []] == [
        (US_NPI, "1234567893"),
        (ACCOUNT, "Dr.Okafor@north.example"),
    ]
    assert shown.id == practitioner_id("dr.okafor@north.example")
    hidden = to_practitioner(record, deidentified=True)
    assert hidden.name is None and [i.system for i in hidden.identifier or []] == [ACCOUNT]


def test_a_response_typed_in_by_staff_names_them_as_author() -> None:
    typed = to_response(replace(odi(), source="clinic", entered_by="staff@north.example"))
    assert typed.author is not None
    assert typed.author.reference == f"Practitioner/{practitioner_id('staff@north.example')}"
    assert typed.source is not None and typed.source.reference == typed.subject.reference
