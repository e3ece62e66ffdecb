"""The clinic's inbox of consultation requests (urgent first), one request's page, and what staff
do with it: mark it contacted or closed, or register the requester as a patient.

Every page and action goes through the consultations service, so each is audited and clinic-scoped;
a refused form is shown again with what was typed and a message per field.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spinetrack.domain.consultations import raised, screening, urgency_of
from spinetrack.services.patient_side.consultations import (
    CONFIRM_NEW,
    StaffUpdate,
    convert_consultation,
    existing_records,
    link_consultation,
    open_consultation,
    update_consultation,
)
from spinetrack.services.patient_side.consultations import (
    inbox_page as list_inbox,
)
from spinetrack.services.records.enrol_patient import NewPatient
from spinetrack.web.deps import (
    MAX_ID,
    ClinicQuery,
    CsrfChecked,
    Member,
    PageId,
    PageSessions,
    SignedIn,
    member,
    sessions_of,
)
from spinetrack.web.forms import FormWords, Label
from spinetrack.web.pages import answers, page_route
from spinetrack.web.routes.clinic_pages import clinic_for, render

router = APIRouter(
    prefix="/consultations",
    include_in_schema=False,
    route_class=page_route(
        not_found="No such consultation request in your clinic.",
        denied="Consultation requests are for the clinic's admin, clinicians and staff.",
    ),
)
Text = Annotated[str, Form(max_length=2000)]


def _query(clinic: int | None) -> str:
    return f"?clinic={clinic}" if clinic is not None else ""


@router.get("", response_class=HTMLResponse)
def inbox_page(
    request: Request,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    show: Annotated[str, Query(pattern="^(open|all)$")] = "open",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    found = list_inbox(
        sessions=sessions,
        actor=visitor.actor,
        clinic_id=clinic_for(visitor.actor, clinic),
        open_only=show == "open",
        page=page,
    )
    return render(
        request,
        "staff/consultations.html",
        visitor,
        inbox=found,
        show=show,
        clinic_query=_query(clinic),
        labels=_flag_labels(),
        told=told,
    )


def _flag_labels() -> dict[str, str]:
    return {q.id: q.label for q in screening().questions}


def told(red_flags: list[str]) -> str | None:
    """What the form told the patient to do, in its own words, for the warning signs they
    answered "yes" ("Get emergency care now" or "Get medical help today"): staff must call
    knowing which, not assume the most alarming one."""
    found = screening()
    urgency = urgency_of(raised(found.questions, set(red_flags)))
    return found.instructions[urgency].title if urgency else None


def _detail(
    request: Request,
    visitor: Member,
    sessions: PageSessions,
    clinic: int | None,
    request_id: int,
    status: int = 200,
    **extra: Any,
) -> HTMLResponse:
    clinic_id = clinic_for(visitor.actor, clinic)
    found = open_consultation(
        sessions=sessions, actor=visitor.actor, clinic_id=clinic_id, request_id=request_id
    )
    convert = {
        "mrn": "",
        "given_name": found.given_name,
        "family_name": found.family_name,
        "birth_date": found.birth_date.isoformat() if found.birth_date else "",
        "sex": "",
        "email": found.email or "",
        "phone": found.phone or "",
    }
    matches = []
    if found.status != "converted":
        matches = existing_records(
            sessions=sessions, actor=visitor.actor, clinic_id=clinic_id, request_id=request_id
        )
    context: dict[str, Any] = {
        "item": found,
        "matches": matches,
        "confirm_new": CONFIRM_NEW,
        "labels": _flag_labels(),
        "told": told(found.red_flags),
        "clinic_query": _query(clinic),
        "convert": convert,
        "errors": {},
        "note": "",
        "done": request.query_params.get("done", ""),
    }
    context.update(extra)
    return render(request, "staff/consultation.html", visitor, status, **context)


def _detail_again(request: Request, **extra: Any) -> HTMLResponse:
    """The request's page shown again after a refused form (its messages in `extra`)."""
    raw = request.query_params.get("clinic")
    request_id = int(request.path_params["request_id"])
    return _detail(
        request,
        member(request),
        sessions_of(request),
        int(raw) if raw else None,
        request_id,
        422,
        **extra,
    )


@router.get("/{request_id}", response_class=HTMLResponse)
def detail_page(
    request: Request,
    request_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> HTMLResponse:
    return _detail(request, visitor, sessions, clinic, request_id)


STATUS_WORDS = FormWords(
    {
        "status": Label("Status", "choose contacted, closed or new"),
        "note": Label("Note"),
    }
)


async def _status_refill(request: Request, errors: dict[str, str]) -> Response:
    note = str((await request.form()).get("note") or "")
    return _detail_again(request, errors=errors, note=note)


@router.post("/{request_id}/status", response_class=HTMLResponse, dependencies=[CsrfChecked])
@answers(refill=_status_refill, words=STATUS_WORDS)
def set_status(
    request_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    status: Annotated[str, Form(max_length=16)] = "",
    note: Text = "",
) -> Response:
    update = STATUS_WORDS.parse(StaffUpdate, {"status": status, "note": note or None})
    update_consultation(
        sessions=sessions,
        actor=visitor.actor,
        clinic_id=clinic_for(visitor.actor, clinic),
        request_id=request_id,
        update=update,
    )
    target = f"/consultations/{request_id}{_query(clinic)}"
    return RedirectResponse(
        target + ("&" if clinic is not None else "?") + f"done={update.status}", status_code=303
    )


CONVERT_FIELDS = ("mrn", "given_name", "family_name", "birth_date", "sex", "email", "phone")
CONVERT_WORDS = FormWords(
    {
        "mrn": Label("Medical record number"),
        "given_name": Label("First name"),
        "family_name": Label("Last name"),
        "birth_date": Label("Date of birth", "enter a date such as 1961-04-23"),
        "sex": Label("Sex", "choose one of the options"),
        "email": Label("E-mail", "write an address such as name@example.org"),
        "phone": Label("Phone", "use digits, spaces and + ( ) - . only, at least 5 of them"),
        CONFIRM_NEW: Label("Already registered?"),
    }
)


async def _convert_refill(request: Request, errors: dict[str, str]) -> Response:
    posted = await request.form()
    typed = {name: str(posted.get(name) or "") for name in CONVERT_FIELDS}
    return _detail_again(request, errors=errors, convert=typed)


@router.post("/{request_id}/convert", response_class=HTMLResponse, dependencies=[CsrfChecked])
@answers(refill=_convert_refill, words=CONVERT_WORDS)
def convert(
    request_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    mrn: Annotated[str, Form(max_length=64)] = "",
    given_name: Annotated[str, Form(max_length=100)] = "",
    family_name: Annotated[str, Form(max_length=100)] = "",
    birth_date: Annotated[str, Form(max_length=10)] = "",
    sex: Annotated[str, Form(max_length=16)] = "",
    email: Annotated[str, Form(max_length=254)] = "",
    phone: Annotated[str, Form(max_length=40)] = "",
    new_patient_confirmed: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    patient = CONVERT_WORDS.parse(
        NewPatient,
        {
            "mrn": mrn,
            "given_name": given_name,
            "family_name": family_name,
            "birth_date": birth_date or None,
            "sex": sex,
            "email": email or None,
            "phone": phone or None,
        },
    )
    patient_id = convert_consultation(
        sessions=sessions,
        actor=visitor.actor,
        clinic_id=clinic_for(visitor.actor, clinic),
        request_id=request_id,
        patient=patient,
        new_patient_confirmed=new_patient_confirmed == "yes",
    )
    return RedirectResponse(f"/patients/{patient_id}{_query(clinic)}", status_code=303)


LINK_WORDS = FormWords({"patient_id": Label("Registered patient", "choose a patient offered")})


async def _link_refill(request: Request, errors: dict[str, str]) -> Response:
    return _detail_again(request, errors=errors)


@router.post("/{request_id}/link", response_class=HTMLResponse, dependencies=[CsrfChecked])
@answers(refill=_link_refill, words=LINK_WORDS)
def link(
    request_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    patient_id: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """The requester is a patient already registered: link the request to that record."""
    linked = link_consultation(
        sessions=sessions,
        actor=visitor.actor,
        clinic_id=clinic_for(visitor.actor, clinic),
        request_id=request_id,
        patient_id=int(patient_id) if patient_id.isdigit() and int(patient_id) <= MAX_ID else None,
    )
    return RedirectResponse(f"/patients/{linked}{_query(clinic)}", status_code=303)
