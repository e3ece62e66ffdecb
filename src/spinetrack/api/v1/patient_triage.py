"""Triage of stored patients: findings, assessments from the record, the reports stored with them and
what was read from those, and the clinician's conclusion."""

from fastapi import APIRouter, status

from spinetrack.api.deps import ClinicScope, CurrentActor, RecordId, SessionsDep
from spinetrack.services.triage.assess_patient import (
    AssessmentRequest,
    Conclusion,
    FindingView,
    NewFinding,
    PatientReports,
    StoredAssessment,
    assess_patient,
    conclude,
    list_assessments,
    list_reports,
    record_finding,
    reject_report_finding,
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


@router.get(
    "/reports",
    response_model=PatientReports,
    summary="The patient's stored reports and every finding read from them, rejected ones included",
)
def get_reports(
    patient_id: RecordId, actor: CurrentActor, sessions: SessionsDep, clinic: ClinicScope
) -> PatientReports:
    reports, readings = list_reports(
        sessions=sessions, actor=actor, clinic_id=clinic, patient_id=patient_id
    )
    return PatientReports(reports=reports, readings=readings)


@router.post(
    "/report-findings/{finding_id}/rejection",
    response_model=StoredAssessment,
    status_code=status.HTTP_201_CREATED,
    summary="Reject a finding the reader got wrong; the patient is assessed again without it",
    description=(
        "The reading is kept, marked rejected with who and when; the answer is the new assessment "
        "stored in the same transaction. A reading already rejected is refused (422)."
    ),
)
def post_rejection(
    patient_id: RecordId,
    finding_id: RecordId,
    actor: CurrentActor,
    sessions: SessionsDep,
    clinic: ClinicScope,
) -> StoredAssessment:
    return reject_report_finding(
        sessions=sessions,
        actor=actor,
        clinic_id=clinic,
        patient_id=patient_id,
        finding_id=finding_id,
    )
