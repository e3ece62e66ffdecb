"""Triage of a stored patient: the case comes from the record, the assessment is kept with its rules
version, and the clinician's conclusion is stored beside it."""

from datetime import UTC, date, datetime, timedelta

import pytest
from tests.conftest import row_counts
from tests.support.records import operated_patient
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput
from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.records.record_response import NewResponse, record_response
from spinetrack.services.triage.assess_patient import (
    AssessmentRequest,
    Conclusion,
    NewFinding,
    assess_patient,
    conclude,
    list_assessments,
    record_finding,
)

SURGERY_DAY = date(2024, 6, 3)


def _answered(
    world: World, patient_id: int, instrument: str, answers: dict[str, int], day: int
) -> None:
    moment = datetime.combine(SURGERY_DAY + timedelta(days=day), datetime.min.time(), UTC)
    record_response(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient_id,
        response=NewResponse(instrument=instrument, completed_at=moment, answers=answers),
    )


def _relapsed_fusion_patient(world: World) -> int:
    """Lumbar fusion; ODI 60 % before, 20 % at 3 months, back to 60 % at 12 months."""
    patient_id = operated_patient(world, SURGERY_DAY)
    for day, level, back in ((-5, 3, 8), (91, 1, 2), (365, 3, 7)):
        _answered(world, patient_id, "odi", {f"odi_{i}": level for i in range(1, 11)}, day)
        _answered(world, patient_id, "nrs_back", {"nrs_back": back}, day)
    return patient_id


def _assess(world: World, patient_id: int, **request: object) -> dict:  # type: ignore[type-arg]
    stored = assess_patient(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient_id,
        request=AssessmentRequest.model_validate({"evaluation_date": "2025-07-01", **request}),
    )
    return stored.model_dump()


def test_the_case_is_built_from_the_record_and_the_relapse_feeds_the_course(world: World) -> None:
    patient_id = _relapsed_fusion_patient(world)
    record_finding(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient_id,
        finding=NewFinding(finding="ct_no_bridging_bone", observed_on=date(2025, 6, 20)),
    )
    stored = _assess(world, patient_id, findings=["mechanical_pain"])
    case = stored["case"]
    assert case["region"] == "lumbar"
    assert case["course"] == "improved_then_recurred"
    assert case["pain_free_interval_days"] == 91
    assert case["pain"] == {"axial": 7.0}
    assert case["findings"] == ["ct_no_bridging_bone", "mechanical_pain"]
    assert stored["assessment"]["causes"][0]["id"] == "pseudarthrosis"
    assert stored["assessment"]["psps2"]["status"] == "met"
    assert stored["rules_version"] == stored["assessment"]["rules_version"]


def test_the_clinicians_conclusion_is_kept_beside_the_assessment(world: World) -> None:
    patient_id = _relapsed_fusion_patient(world)
    stored = _assess(world, patient_id)
    concluded = conclude(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient_id,
        assessment_id=stored["id"],
        conclusion=Conclusion(confirmed_cause="pseudarthrosis", chosen_treatment="revision_fusion"),
    )
    assert concluded.confirmed_by == "clinician@north.example"
    history = list_assessments(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient_id,
    )
    # The first is the automatic assessment made when the 12-month score made the patient relapse.
    assert history[0].assessed_by.startswith("spinetrack (automatic")
    assert [a.confirmed_cause for a in history] == [None, "pseudarthrosis"]


def test_staff_may_read_but_not_assess(world: World) -> None:
    patient_id = _relapsed_fusion_patient(world)
    with pytest.raises(AccessDenied):
        assess_patient(
            sessions=world.database.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            patient_id=patient_id,
            request=AssessmentRequest(),
        )


@pytest.mark.parametrize(
    ("request_data", "field"),
    [
        ({"course": "sideways"}, "course"),
        ({"findings": ["bad_karma"]}, "findings.0"),
        ({"evaluation_date": "2024-01-01"}, "surgeries"),
        ({"pain_free_interval_days": 5000}, "pain_free_interval_days"),
    ],
)
def test_a_bad_assessment_request_names_the_field_and_stores_nothing(
    world: World, request_data: dict[str, object], field: str
) -> None:
    patient_id = _relapsed_fusion_patient(world)
    before = row_counts(world.database)
    with pytest.raises(InvalidInput) as error:
        _assess(world, patient_id, **request_data)
    assert error.value.field == field
    # One automatic assessment (the patient became relapsed), and nothing more from the refusal.
    assert row_counts(world.database)["triage_assessments"] == before["triage_assessments"] == 1


@pytest.mark.parametrize(
    ("conclusion", "field"),
    [
        ({"confirmed_cause": "gremlins"}, "confirmed_cause"),
        ({"chosen_treatment": "rest_forever"}, "chosen_treatment"),
    ],
)
def test_a_conclusion_outside_the_vocabulary_is_refused(
    world: World, conclusion: dict[str, str], field: str
) -> None:
    patient_id = _relapsed_fusion_patient(world)
    stored = _assess(world, patient_id)
    with pytest.raises(InvalidInput) as error:
        conclude(
            sessions=world.database.sessions,
            actor=world.clinician,
            clinic_id=world.clinic,
            patient_id=patient_id,
            assessment_id=stored["id"],
            conclusion=Conclusion.model_validate(conclusion),
        )
    assert error.value.field == field


def test_a_finding_must_come_from_the_vocabulary(world: World) -> None:
    patient_id = _relapsed_fusion_patient(world)
    with pytest.raises(InvalidInput) as error:
        record_finding(
            sessions=world.database.sessions,
            actor=world.clinician,
            clinic_id=world.clinic,
            patient_id=patient_id,
            finding=NewFinding(finding="aura", observed_on=date(2025, 1, 1)),
        )
    assert error.value.field == "finding"
