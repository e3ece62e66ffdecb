"""FHIR import of a hospital's Practitioner (matched to a surgeon's account by NPI, else skipped
with why), of pre-operative Observations (BMI, smoking status by LOINC, or a hospital-local code the
clinic mapped) into the pre-operative record, and of a pain score under a mapped local code."""

from typing import Any

import pytest
from tests.support.outside_bundles import HOSPITAL_MRN, HOSPITAL_MRN_SYSTEM, hospital_bundle
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput
from spinetrack.services.registry_io.fhir_settings import (
    add_mrn_system,
    map_observation,
    set_npi,
)
from spinetrack.services.registry_io.import_fhir import import_fhir
from spinetrack.services.registry_io.import_records import ImportReport
from spinetrack.services.risk.preop_record import read_preop

LOCAL = "urn:oid:2.16.840.1.113883.3.7418.5.2"
SUBJECT = {"reference": "Patient/pt-77120"}


def _observation(code: dict[str, Any], when: str, **value: Any) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": code,
        "subject": SUBJECT,
        "effectiveDateTime": when,
        **value,
    }


def _loinc(code: str) -> dict[str, Any]:
    return {"coding": [{"system": "http://loinc.org", "code": code}]}


def _import(world: World, extra: list[dict[str, Any]] | None = None) -> ImportReport:
    add_mrn_system(
        sessions=world.database.sessions,
        actor=world.admin,
        clinic_id=world.clinic,
        system=HOSPITAL_MRN_SYSTEM,
    )
    return import_fhir(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        bundle=hospital_bundle(extra=extra),
        mode="accept-valid",
    )


def _surgeon_email(world: World) -> str | None:
    with world.database.sessions() as uow:
        patient = uow.patients(world.clinic).by_mrn(HOSPITAL_MRN)
        assert patient is not None
        [surgery] = uow.patients(world.clinic).surgeries(patient.id)
        user = uow.users.get(surgery.surgeon_id) if surgery.surgeon_id else None
        return user.email if user else None


def _preop(world: World) -> Any:
    with world.database.sessions() as uow:
        patient = uow.patients(world.clinic).by_mrn(HOSPITAL_MRN)
        assert patient is not None
        patient_id = patient.id
    return read_preop(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient_id,
    )


def test_a_practitioner_with_a_known_npi_is_the_surgery_s_surgeon(world: World) -> None:
    set_npi(
        sessions=world.database.sessions,
        actor=world.admin,
        clinic_id=world.clinic,
        email="clinician@north.example",
        npi="1234567893",
    )
    report = _import(world)
    assert report.unchanged["practitioners"] == 1
    assert not [n for n in report.skipped if n.resource.startswith("Practitioner")]
    assert _surgeon_email(world) == "clinician@north.example"


def test_an_unknown_practitioner_is_skipped_with_its_npi_and_the_surgery_has_no_surgeon(
    world: World,
) -> None:
    report = _import(world)
    [note] = [n for n in report.skipped if n.resource.startswith("Practitioner")]
    assert note.field == "identifier" and "NPI 1234567893" in note.reason
    assert report.created["surgeries"] == 1
    assert _surgeon_email(world) is None


def test_npis_are_checked_and_belong_to_one_member(world: World) -> None:
    def set_(email: str, npi: str) -> None:
        set_npi(
            sessions=world.database.sessions,
            actor=world.admin,
            clinic_id=world.clinic,
            email=email,
            npi=npi,
        )

    with pytest.raises(InvalidInput, match="check digit"):
        set_("clinician@north.example", "1234567890")
    with pytest.raises(InvalidInput, match="not an account of this clinic"):
        set_("clinician@south.example", "1234567893")
    set_("clinician@north.example", "1234567893")
    with pytest.raises(InvalidInput, match="another account"):
        set_("admin@north.example", "1234567893")


def test_pre_operative_observations_fill_the_record_the_latest_value_winning(
    world: World,
) -> None:
    smoker = {"coding": [{"system": "http://snomed.info/sct", "code": "449868002"}]}
    report = _import(
        world,
        [
            _observation(_loinc("39156-5"), "2024-11-20", valueQuantity={"value": 31.46}),
            _observation(_loinc("39156-5"), "2024-12-01", valueQuantity={"value": 29.04}),
            _observation(_loinc("72166-2"), "2024-12-01", valueCodeableConcept=smoker),
            _observation(_loinc("44261-6"), "2024-12-01", valueInteger=12),
        ],
    )
    preop = _preop(world)
    assert (preop.bmi, preop.smoker, preop.phq9) == (29.0, True, 12)
    assert preop.updated_by == "FHIR import"
    assert report.created["pre-operative records"] == 1
    earlier = [n for n in report.skipped if "an earlier bmi" in n.reason]
    assert len(earlier) == 1
    again = _import(world, [_observation(_loinc("44261-6"), "2024-12-01", valueInteger=12)])
    assert again.unchanged["pre-operative records"] == 1
    assert _preop(world).bmi == 29.0  # a field the Bundle does not give is kept


def test_an_out_of_range_pre_operative_value_is_rejected_and_nothing_else_changes(
    world: World,
) -> None:
    report = _import(world, [_observation(_loinc("44261-6"), "2024-12-01", valueInteger=40)])
    [note] = [n for n in report.rejected if n.resource.startswith("Observation")]
    assert note.field == "phq9"
    assert _preop(world).phq9 is None


def test_hospital_local_codes_are_read_as_the_clinic_mapped_them(world: World) -> None:
    for code, target in (("BMI-CALC", "bmi"), ("PAIN-LEG", "nrs_leg")):
        map_observation(
            sessions=world.database.sessions,
            actor=world.admin,
            clinic_id=world.clinic,
            system=LOCAL,
            code=code,
            target=target,
        )
    local = {"coding": [{"system": LOCAL, "code": "BMI-CALC"}]}
    pain = {"coding": [{"system": LOCAL, "code": "PAIN-LEG"}], "text": "Pain score"}
    unmapped = {"coding": [{"system": LOCAL, "code": "PAIN-NOT-MAPPED"}]}
    report = _import(
        world,
        [
            _observation(local, "2024-12-02", valueQuantity={"value": 27.5}),
            _observation(pain, "2025-01-06T09:00:00Z", valueInteger=6),
            _observation(unmapped, "2025-01-06T09:00:00Z", valueInteger=5),
        ],
    )
    assert _preop(world).bmi == 27.5
    with world.database.sessions() as uow:
        patient = uow.patients(world.clinic).by_mrn(HOSPITAL_MRN)
        assert patient is not None
        legs = [
            r.answers
            for r in uow.patients(world.clinic).responses(patient.id)
            if r.instrument == "nrs_leg"
        ]
    assert legs == [{"nrs_leg": 6}]
    skipped = [n.reason for n in report.skipped if n.resource.startswith("Observation")]
    assert any("not an outcome score" in r for r in skipped)


def test_only_known_targets_and_admins_map_observation_codes(world: World) -> None:
    with pytest.raises(InvalidInput, match="expected one of"):
        map_observation(
            sessions=world.database.sessions,
            actor=world.admin,
            clinic_id=world.clinic,
            system=LOCAL,
            code="X",
            target="weight",
        )
    with pytest.raises(Exception, match="may not"):
        map_observation(
            sessions=world.database.sessions,
            actor=world.clinician,
            clinic_id=world.clinic,
            system=LOCAL,
            code="X",
            target="bmi",
        )
