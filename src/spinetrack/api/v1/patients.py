"""Patients and what is recorded about them: registration, surgeries, complications, responses."""

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, status
from starlette.concurrency import run_in_threadpool

from spinetrack.api.deps import (
    MAX_ID,
    ClinicChoice,
    ClinicScope,
    Credentials,
    CurrentActor,
    RecordId,
    SessionsDep,
    actor_of,
    clinic_of,
    database_of,
)
from spinetrack.services.records.enrol_patient import NewPatient, list_patients, register_patient
from spinetrack.services.records.patient_record import open_record
from spinetrack.services.records.patient_search import search_patients
from spinetrack.services.records.read_models import (
    ComplicationView,
    PatientPage,
    PatientRecord,
    PatientSearch,
    PatientView,
    ResponseView,
    SurgeryView,
)
from spinetrack.services.records.record_response import (
    KEY_FIELD,
    NewResponse,
    record_response,
    record_response_by_token,
)
from spinetrack.services.records.register_surgery import (
    NewComplication,
    NewSurgery,
    PerformedOn,
    record_complication,
    record_performed,
    register_surgery,
)

router = APIRouter(prefix="/patients", tags=["patients"])

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=KEY_FIELD,
        pattern=r"^[\x21-\x7e]{1,200}$",
        description=(
            "Any unique token (a UUID will do). A retry with the same key and body returns the "
            "stored response and writes nothing; the same key with another body is refused (422)."
        ),
    ),
]


@router.get("", response_model=PatientPage, summary="List the clinic's patients")
def get_patients(
    actor: CurrentActor,
    sessions: SessionsDep,
    clinic: ClinicScope,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> PatientPage:
    return list_patients(
        sessions=sessions, actor=actor, clinic_id=clinic, offset=offset, limit=limit
    )


@router.get(
    "/search",
    response_model=PatientSearch,
    summary="Find the clinic's patients by name, MRN or birth date",
)
def get_patient_search(
    actor: CurrentActor,
    sessions: SessionsDep,
    clinic: ClinicScope,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            description=(
                "Words starting the given or family name (accents and case ignored), an MRN or "
                "its beginning, or a birth date in the clinic's date format or as YYYY-MM-DD"
            ),
        ),
    ],
) -> PatientSearch:
    return search_patients(sessions=sessions, actor=actor, clinic_id=clinic, text=q).results


@router.post(
    "",
    response_model=PatientView,
    status_code=status.HTTP_201_CREATED,
    summary="Register a patient",
)
def post_patient(
    body: NewPatient, actor: CurrentActor, sessions: SessionsDep, clinic: ClinicScope
) -> PatientView:
    return register_patient(sessions=sessions, actor=actor, clinic_id=clinic, patient=body)


@router.get("/{patient_id}", response_model=PatientRecord, summary="Open a patient's whole record")
def get_patient(
    patient_id: RecordId, actor: CurrentActor, sessions: SessionsDep, clinic: ClinicScope
) -> PatientRecord:
    return open_record(sessions=sessions, actor=actor, clinic_id=clinic, patient_id=patient_id)


@router.post(
    "/{patient_id}/surgeries",
    response_model=SurgeryView,
    status_code=status.HTTP_201_CREATED,
    summary="Record a surgery or a revision",
)
def post_surgery(
    patient_id: RecordId,
    body: NewSurgery,
    actor: CurrentActor,
    sessions: SessionsDep,
    clinic: ClinicScope,
) -> SurgeryView:
    return register_surgery(
        sessions=sessions, actor=actor, clinic_id=clinic, patient_id=patient_id, surgery=body
    )


@router.post(
    "/{patient_id}/surgeries/{surgery_id}/performed",
    response_model=SurgeryView,
    summary="Record that a planned operation was performed, on its real date",
    description=(
        "The operation starts counting in outcomes and follow-up from that date. A date after "
        "the clinic's today, before birth or not after the surgery it revises is refused (422), "
        "as is an operation already recorded as performed."
    ),
)
def post_performed(
    patient_id: RecordId,
    surgery_id: RecordId,
    body: PerformedOn,
    actor: CurrentActor,
    sessions: SessionsDep,
    clinic: ClinicScope,
) -> SurgeryView:
    return record_performed(
        sessions=sessions,
        actor=actor,
        clinic_id=clinic,
        patient_id=patient_id,
        surgery_id=surgery_id,
        performed_on=body.performed_on,
    )


@router.post(
    "/{patient_id}/complications",
    response_model=ComplicationView,
    status_code=status.HTTP_201_CREATED,
    summary="Record a complication as the surgeon or the patient reports it",
)
def post_complication(
    patient_id: RecordId,
    body: NewComplication,
    actor: CurrentActor,
    sessions: SessionsDep,
    clinic: ClinicScope,
) -> ComplicationView:
    return record_complication(
        sessions=sessions, actor=actor, clinic_id=clinic, patient_id=patient_id, complication=body
    )


@router.post(
    "/{patient_id}/responses",
    response_model=ResponseView,
    status_code=status.HTTP_201_CREATED,
    summary="Record a completed questionnaire; it is scored and the status recomputed",
)
async def post_response(
    patient_id: RecordId,
    body: NewResponse,
    request: Request,
    credentials: Credentials,
    clinic: ClinicChoice = None,
    idempotency_key: IdempotencyKey = None,
) -> ResponseView:
    # The busiest write: signing in and recording share one worker thread (see `actor_of`) and,
    # with an API token, one transaction. The database is read from the app here rather than
    # through `SessionsDep`, whose two dependencies FastAPI would solve on every submission.
    sessions = database_of(request).sessions

    def work() -> ResponseView:
        if credentials is not None:
            return record_response_by_token(
                sessions=sessions,
                token=credentials.credentials,
                remote=request.client.host if request.client else None,
                clinic_id=clinic,
                patient_id=patient_id,
                response=body,
                idempotency_key=idempotency_key,
            )
        actor = actor_of(request, sessions, credentials)
        return record_response(
            sessions=sessions,
            actor=actor,
            clinic_id=clinic_of(actor, clinic),
            patient_id=patient_id,
            response=body,
            idempotency_key=idempotency_key,
        )

    return await run_in_threadpool(work)
