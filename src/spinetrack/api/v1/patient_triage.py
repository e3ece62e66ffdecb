"""Triage of stored patients: findings, assessments from the record, and the clinician's conclusion."""

from fastapi import APIRouter, status

from spinetrack.api.deps import ClinicScope, CurrentActor, RecordId, SessionsDep
from spinetrack.services.triage.assess_patient import (
    AssessmentRequest,
    Conclusion,
    FindingView,
    NewFinding,
    StoredAssessment,
    assess_patient,
    conclude,
    list_assessments,
    record_finding,
)

router = APIRouter(prefix="/patients/{patient_id}", tags=["patient triage"])


@router.post(
    "/findings",
    response_model=FindingView,
    status_code=status.HTTP_201_CREATED,
    summary="Record a clinical finding (symptom, sign, test result) in the triage vocabulary",
)
def post_finding(
    patient_id: RecordId,
    body: NewFinding,
    actor: CurrentActor,
    sessions: SessionsDep,
    clinic: ClinicScope,
) -> FindingView:
    return record_finding(
        sessions=sessions, actor=actor, clinic_id=clinic, patient_id=patient_id, finding=body
    )


@router.post(
    "/assessments",
    response_model=StoredAssessment,
    status_code=status.HTTP_201_CREATED,
    summary="Assess the patient from the stored record (plus anything added here) and store it",
)
def post_assessment(
    patient_id: RecordId,
    body: AssessmentRequest,
    actor: CurrentActor,
    sessions: SessionsDep,
    clinic: ClinicScope,
) -> StoredAssessment:
    return assess_patient(
        sessions=sessions, actor=actor, clinic_id=clinic, patient_id=patient_id, request=body
    )


@router.get(
    "/assessments",
    response_model=list[StoredAssessment],
    summary="Every stored assessment of the patient, oldest first",
)
def get_assessments(
    patient_id: RecordId, actor: CurrentActor, sessions: SessionsDep, clinic: ClinicScope
) -> list[StoredAssessment]:
    return list_assessments(sessions=sessions, actor=actor, clinic_id=clinic, patient_id=patient_id)


@router.put(
    "/assessments/{assessment_id}/conclusion",
    response_model=StoredAssessment,
    summary="Record the confirmed cause and the chosen treatment",
)
def put_conclusion(
    patient_id: RecordId,
    assessment_id: RecordId,
    body: Conclusion,
    actor: CurrentActor,
    sessions: SessionsDep,
    clinic: ClinicScope,
) -> StoredAssessment:
    return conclude(
        sessions=sessions,
        actor=actor,
        clinic_id=clinic,
        patient_id=patient_id,
        assessment_id=assessment_id,
        conclusion=body,
    )
