"""The clinic's inbox of consultation requests (urgent first), one request's page, and what staff
do with it: mark it contacted or closed, or register the requester as a patient.

Every page and action goes through the consultations service, so each is audited and clinic-scoped;
a refused form is shown again with what was typed and a message per field.
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from spinetrack.domain.consultations import screening
from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.patient_side.consultations import (
    StaffUpdate,
    convert_consultation,
    open_consultation,
    update_consultation,
)
from spinetrack.services.patient_side.consultations import (
    inbox_page as list_inbox,
)
from spinetrack.services.records.enrol_patient import NewPatient
from spinetrack.web.deps import ClinicQuery, CsrfChecked, PageId, PageSessions, SignedIn, Visitor
from spinetrack.web.routes.clinic_pages import (
    clinic_for,
    field_errors,
    not_allowed,
    not_found,
    render,
)

router = APIRouter(prefix="/consultations", include_in_schema=False)
Text = Annotated[str, Form(max_length=2000)]
NOT_ALLOWED = "Consultation requests are for the clinic's admin, clinicians and staff."


def _query(clinic: int | None) -> str:
    return f"?clinic={clinic}" if clinic is not None else ""


def _refusal(request: Request, visitor: Visitor, exc: Exception) -> HTMLResponse | None:
    if isinstance(exc, NotFound):
        return not_found(request, visitor, "No such consultation request in your clinic.")
    if isinstance(exc, AccessDenied):
        return not_allowed(request, visitor, NOT_ALLOWED)
    return None


@router.get("", response_class=HTMLResponse)
def inbox_page(
    request: Request,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    show: Annotated[str, Query(pattern="^(open|all)$")] = "open",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    assert visitor.actor is not None
    try:
        clinic_id = clinic_for(visitor.actor, clinic)
        found = list_inbox(
            sessions=sessions,
            actor=visitor.actor,
            clinic_id=clinic_id,
            open_only=show == "open",
            page=page,
        )
    except (NotFound, AccessDenied) as exc:
        refused = _refusal(request, visitor, exc)
        assert refused is not None
        return refused
    return render(
        request,
        "staff/consultations.html",
        visitor,
        inbox=found,
        show=show,
        clinic_query=_query(clinic),
        labels=_flag_labels(),
    )


def _flag_labels() -> dict[str, str]:
    return {q.id: q.label for q in screening().questions}


def _detail(
    request: Request,
    visitor: Visitor,
    sessions: PageSessions,
    clinic: int | None,
    request_id: PageId,
    status: int = 200,
    **extra: Any,
) -> HTMLResponse:
    assert visitor.actor is not None
    try:
        clinic_id = clinic_for(visitor.actor, clinic)
        found = open_consultation(
            sessions=sessions, actor=visitor.actor, clinic_id=clinic_id, request_id=request_id
        )
    except (NotFound, AccessDenied) as exc:
        refused = _refusal(request, visitor, exc)
        assert refused is not None
        return refused
    convert = {
        "mrn": "",
        "given_name": found.given_name,
        "family_name": found.family_name,
        "birth_date": found.birth_date.isoformat() if found.birth_date else "",
        "sex": "",
        "email": found.email or "",
        "phone": found.phone or "",
    }
    context: dict[str, Any] = {
        "item": found,
        "labels": _flag_labels(),
        "clinic_query": _query(clinic),
        "convert": convert,
        "errors": {},
        "note": "",
        "done": request.query_params.get("done", ""),
    }
    context.update(extra)
    return render(request, "staff/consultation.html", visitor, status, **context)


@router.get("/{request_id}", response_class=HTMLResponse)
def detail_page(
    request: Request,
    request_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> HTMLResponse:
    return _detail(request, visitor, sessions, clinic, request_id)


@router.post("/{request_id}/status", response_class=HTMLResponse, dependencies=[CsrfChecked])
def set_status(
    request: Request,
    request_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    status: Annotated[str, Form(max_length=16)] = "",
    note: Text = "",
) -> Response:
    assert visitor.actor is not None
    try:
        clinic_id = clinic_for(visitor.actor, clinic)
        update = StaffUpdate.model_validate({"status": status, "note": note or None})
        update_consultation(
            sessions=sessions,
            actor=visitor.actor,
            clinic_id=clinic_id,
            request_id=request_id,
            update=update,
        )
    except (NotFound, AccessDenied) as exc:
        refused = _refusal(request, visitor, exc)
        assert refused is not None
        return refused
    except (ValidationError, InvalidInput) as exc:
        return _detail(
            request, visitor, sessions, clinic, request_id, 422, errors=field_errors(exc), note=note
        )
    target = f"/consultations/{request_id}{_query(clinic)}"
    return RedirectResponse(
        target + ("&" if clinic is not None else "?") + f"done={update.status}", status_code=303
    )


@router.post("/{request_id}/convert", response_class=HTMLResponse, dependencies=[CsrfChecked])
def convert(
    request: Request,
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
) -> Response:
    assert visitor.actor is not None
    typed = {
        "mrn": mrn,
        "given_name": given_name,
        "family_name": family_name,
        "birth_date": birth_date,
        "sex": sex,
        "email": email,
        "phone": phone,
    }
    try:
        clinic_id = clinic_for(visitor.actor, clinic)
        patient = NewPatient.model_validate(
            {
                **typed,
                "birth_date": date.fromisoformat(birth_date) if birth_date else None,
                "email": email or None,
                "phone": phone or None,
            }
        )
        patient_id = convert_consultation(
            sessions=sessions,
            actor=visitor.actor,
            clinic_id=clinic_id,
            request_id=request_id,
            patient=patient,
        )
    except (NotFound, AccessDenied) as exc:
        refused = _refusal(request, visitor, exc)
        assert refused is not None
        return refused
    except ValueError as exc:  # ValidationError is a ValueError too
        errors = (
            field_errors(exc)
            if isinstance(exc, ValidationError | InvalidInput)
            else {"birth_date": "use the form YYYY-MM-DD"}
        )
        return _detail(
            request, visitor, sessions, clinic, request_id, 422, errors=errors, convert=typed
        )
    except InvalidInput as exc:
        return _detail(
            request,
            visitor,
            sessions,
            clinic,
            request_id,
            422,
            errors=field_errors(exc),
            convert=typed,
        )
    return RedirectResponse(f"/patients/{patient_id}{_query(clinic)}", status_code=303)
