"""FHIR import of Bundles shaped by outside systems (a Synthea-style record, a hospital EHR's
export): the patient is matched by a configured MRN system, the surgery read from SNOMED CT and CPT
codes, the complication from ICD-10-CM, the hospital's own ODI form scored by its ordinalValues,
and everything else listed as skipped with the reason — never a crash."""

import json
import re
from typing import Any

import pytest
from tests.support.outside_bundles import (
    HOSPITAL_MRN,
    HOSPITAL_MRN_SYSTEM,
    HOSPITAL_ODI_URL,
    SYNTHEA_MRN,
    SYNTHEA_MRN_SYSTEM,
    hospital_bundle,
    synthea_bundle,
)
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput
from spinetrack.services.records.patient_record import open_record
from spinetrack.services.records.read_models import PatientRecord
from spinetrack.services.registry_io.fhir_settings import (
    add_mrn_system,
    map_questionnaire,
    mrn_systems,
)
from spinetrack.services.registry_io.import_fhir import import_fhir
from spinetrack.services.registry_io.import_records import ImportRejected, ImportReport


def _configure(world: World, *systems: str) -> None:
    for system in systems:
        add_mrn_system(
            sessions=world.database.sessions,
            actor=world.admin,
            clinic_id=world.clinic,
            system=system,
        )


def _import(world: World, raw: bytes, mode: Any = "all-or-nothing") -> ImportReport:
    return import_fhir(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        bundle=raw,
        mode=mode,
    )


def _record(world: World, mrn: str) -> PatientRecord:
    with world.database.sessions() as uow:
        stored = uow.patients(world.clinic).by_mrn(mrn)
        assert stored is not None
        patient_id = stored.id
    return open_record(
        sessions=world.database.sessions,
        actor=world.admin,
        clinic_id=world.clinic,
        patient_id=patient_id,
    )


def _skipped(report: ImportReport) -> dict[str, str]:
    return {_kind(note.resource): note.reason for note in report.skipped}


def _kind(label: str) -> str:
    return re.split("[/ ]", label)[0]


def test_a_synthea_record_gives_its_patient_and_fusion_and_lists_the_rest(world: World) -> None:
    _configure(world, SYNTHEA_MRN_SYSTEM)
    report = _import(world, synthea_bundle())
    record = _record(world, SYNTHEA_MRN)
    assert (record.patient.given_name, record.patient.family_name) == ("Rosa418", "Kertzmann286")
    [fusion] = record.surgeries
    assert (fusion.procedure, fusion.region, fusion.approach) == ("fusion", "lumbar", "posterior")
    assert fusion.levels == ["L4-L5"] and str(fusion.performed_on) == "2024-09-10"
    assert not report.rejected
    skipped = _skipped(report)
    for kind in ("Organization", "Encounter", "Immunization", "Claim"):
        assert "not a resource this registry imports" in skipped[kind]
    assert "no surgeon's account of this clinic has NPI" in skipped["Practitioner"]
    assert "not an outcome score" in skipped["Observation"]  # body weight
    assert "not a complication" in skipped["Condition"]
    assert "procedure mapping" in skipped["Procedure"]
    assert len(report.skipped) == 10


def test_without_the_mrn_system_the_patient_is_refused_and_nothing_stored(world: World) -> None:
    with pytest.raises(ImportRejected) as caught:
        _import(world, synthea_bundle())
    reasons = {_kind(n.resource): n.reason for n in caught.value.report.rejected}
    assert "MRN systems" in reasons["Patient"]
    with world.database.sessions() as uow:
        assert uow.patients(world.clinic).by_mrn(SYNTHEA_MRN) is None


def test_the_clinic_mrn_systems_are_tried_in_the_order_configured(
    world: World,
) -> None:
    _configure(world, "urn:oid:2.16.840.1.113883.3.7418.9.9", HOSPITAL_MRN_SYSTEM)
    report = _import(world, hospital_bundle())
    assert not report.rejected
    with world.database.sessions() as uow:
        # the first configured system the patient carries is not the MRN; the hospital's is tried
        # in the clinic's order, so the entity number matched first here
        assert uow.patients(world.clinic).by_mrn("ENT-0091") is not None


def test_the_hospital_mrn_system_matches_and_reads_every_part(world: World) -> None:
    _configure(world, HOSPITAL_MRN_SYSTEM)
    report = _import(world, hospital_bundle())
    record = _record(world, HOSPITAL_MRN)
    assert record.patient.given_name == "Elise Anne"
    [fusion] = record.surgeries
    assert (fusion.procedure, fusion.region, fusion.approach) == ("fusion", "lumbar", "posterior")
    assert fusion.levels == ["L4-L5"]
    assert "cpt 22630" in (fusion.notes or "") and "snomed 55705006" in (fusion.notes or "")
    [tear] = record.complications
    assert (tear.kind, tear.reported_by) == ("dural_tear", "surgeon")
    scores = sorted((r.completed_at.date().isoformat(), r.score_percent) for r in record.responses)
    assert scores == [("2025-01-06", 44.0), ("2025-04-15", 14.0)]
    assert {r.instrument for r in record.responses} == {"odi"}
    skipped = _skipped(report)
    assert set(skipped) == {
        "Practitioner",
        "Encounter",
        "Condition",
        "Questionnaire",
        "Observation",
        "Location",
    }
    assert report.created["responses"] == 2 and report.created["surgeries"] == 1


def test_unknown_and_r4_only_resource_types_are_skipped_not_a_crash(world: World) -> None:
    _configure(world, HOSPITAL_MRN_SYSTEM)
    extra = [
        {"resourceType": "Foo", "id": "x"},
        {"resourceType": "EffectEvidenceSynthesis", "status": "draft"},
        {"resourceType": "Coding", "code": "x"},
        {"id": "no-type"},
    ]
    report = _import(world, hospital_bundle(extra=extra))
    reasons = {_kind(n.resource): n.reason for n in report.skipped}
    assert "not a FHIR R4 resource type" in reasons["Foo"]
    assert "not a FHIR R4 resource type" in reasons["EffectEvidenceSynthesis"]
    assert "not a resource this registry imports" in reasons["Coding"]
    assert "needs a resource" in reasons["entry"]
    assert len(_record(world, HOSPITAL_MRN).responses) == 2


def test_accept_valid_stores_what_passed_and_all_or_nothing_stores_nothing(world: World) -> None:
    _configure(world, HOSPITAL_MRN_SYSTEM)
    raw = json.loads(hospital_bundle())
    late = next(
        e["resource"]
        for e in raw["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    late["item"][0]["item"][0]["answer"][0]["valueCoding"] = {"system": "urn:x", "code": "9"}
    broken = json.dumps(raw).encode()
    with pytest.raises(ImportRejected) as caught:
        _import(world, broken)
    assert "no ordinalValue" in caught.value.report.rejected[0].reason
    with world.database.sessions() as uow:
        assert uow.patients(world.clinic).by_mrn(HOSPITAL_MRN) is None
    report = _import(world, broken, mode="accept-valid")
    assert len(report.rejected) == 1
    assert len(_record(world, HOSPITAL_MRN).responses) == 1


def test_a_clinic_mapping_reads_an_unlabelled_form_and_checks_its_items(world: World) -> None:
    _configure(world, HOSPITAL_MRN_SYSTEM)
    raw = json.loads(hospital_bundle())
    raw["entry"] = [e for e in raw["entry"] if e["resource"]["resourceType"] != "Questionnaire"]
    unlabelled = json.dumps(raw).encode()
    report = _import(world, unlabelled, mode="accept-valid")
    assert "not a questionnaire configured" in _skipped(report)["QuestionnaireResponse"]
    with pytest.raises(InvalidInput):
        map_questionnaire(
            sessions=world.database.sessions,
            actor=world.admin,
            clinic_id=world.clinic,
            canonical=HOSPITAL_ODI_URL,
            instrument="odi",
            items={"odi.s1": "ndi_1"},
        )
    map_questionnaire(
        sessions=world.database.sessions,
        actor=world.admin,
        clinic_id=world.clinic,
        canonical=HOSPITAL_ODI_URL,
        instrument="odi",
        items={f"odi.s{n}": f"odi_{n}" for n in range(1, 11)},
    )
    report = _import(world, unlabelled, mode="accept-valid")
    # without the Questionnaire only the answers carrying their ordinalValue can be scored
    assert "no ordinalValue" in report.rejected[0].reason
    percents = [r.score_percent for r in _record(world, HOSPITAL_MRN).responses]
    assert percents == [44.0]


def test_only_admins_configure_mrn_systems(world: World) -> None:
    from spinetrack.services.access.errors import AccessDenied

    with pytest.raises(AccessDenied):
        add_mrn_system(
            sessions=world.database.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            system=HOSPITAL_MRN_SYSTEM,
        )
    with pytest.raises(InvalidInput):
        _configure(world, "not a uri")
    _configure(world, HOSPITAL_MRN_SYSTEM)
    systems = mrn_systems(
        sessions=world.database.sessions, actor=world.admin, clinic_id=world.clinic
    )
    assert systems[1:] == [HOSPITAL_MRN_SYSTEM] and systems[0].endswith("/clinic/north/mrn")
