"""Patient links: staff issue and withdraw them; the patient's device opens and answers them.

The patient side needs no account: the link itself is the permission, for one purpose only.
"""

from fastapi import APIRouter, Request, status
from pydantic import BaseModel

from spinetrack.api.deps import ClinicScope, CurrentActor, RecordId, SessionsDep
from spinetrack.services.access.patient_links import (
    LinkAnswers,
    NewLink,
    answer_link,
    issue_link,
    open_link,
    revoke_link,
)

router = APIRouter(tags=["patient links"])


class IssuedLinkOut(BaseModel):
    id: int
    token: str
    path: str
    expires_at: str


class LinkOut(BaseModel):
    instruments: list[str]
    expires_at: str


class Answered(BaseModel):
    stored: int


@router.post(
    "/patients/{patient_id}/links",
    response_model=IssuedLinkOut,
    status_code=status.HTTP_201_CREATED,
    summary="Issue a questionnaire link for the patient (the token is shown only now)",
)
def post_link(
    patient_id: RecordId,
    body: NewLink,
    actor: CurrentActor,
    sessions: SessionsDep,
    clinic: ClinicScope,
) -> IssuedLinkOut:
    issued = issue_link(
        sessions=sessions, actor=actor, clinic_id=clinic, patient_id=patient_id, link=body
    )
    return IssuedLinkOut(
        id=issued.id,
        token=issued.token,
        path=f"/api/v1/links/{issued.token}",
        expires_at=issued.expires_at.isoformat(),
    )


@router.delete(
    "/patients/{patient_id}/links/{link_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Withdraw a patient link",
)
def delete_link(
    patient_id: RecordId,
    link_id: RecordId,
    actor: CurrentActor,
    sessions: SessionsDep,
    clinic: ClinicScope,
) -> None:
    revoke_link(
        sessions=sessions, actor=actor, clinic_id=clinic, patient_id=patient_id, link_id=link_id
    )


@router.get("/links/{token}", response_model=LinkOut, summary="What a patient link asks for")
def get_link(token: str, request: Request, sessions: SessionsDep) -> LinkOut:
    view = open_link(
        sessions=sessions, token=token, remote=request.client.host if request.client else None
    )
    return LinkOut(instruments=view.instruments, expires_at=view.expires_at.isoformat())


@router.post(
    "/links/{token}/responses",
    response_model=Answered,
    status_code=status.HTTP_201_CREATED,
    summary="Submit the patient's answers; the link then closes",
)
def post_link_answers(
    token: str, body: LinkAnswers, request: Request, sessions: SessionsDep
) -> Answered:
    stored = answer_link(
        sessions=sessions,
        token=token,
        answers=body,
        remote=request.client.host if request.client else None,
    )
    return Answered(stored=stored)
