"""Standard codes beside ours, from the sourced mapping table: a Procedure carries each SNOMED CT or
CPT code whose whole meaning fits the surgery (none when several would), and a response names the
patient as its source (and author when they entered it themselves)."""

from dataclasses import replace
from datetime import date

from tests.support.bundles import odi, surgery

from spinetrack.domain.outside_codes import outside_codes, standard_procedure_codes
from spinetrack.interop.fhir.procedure import to_procedure
from spinetrack.interop.fhir.questionnaire_response import to_response

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
