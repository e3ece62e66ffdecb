"""Paper questionnaires: a printable form per instrument for patients who prefer paper, and the
staff form that enters the answers from a returned sheet.

The printed words are the clinic's licensed text when loaded, else spinetrack's neutral
descriptions, exactly as on the phone pages. Entered answers go through `record_response`, so a
paper answer is checked and scored like any other; a refused sheet is shown again as typed.
"""

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from spinetrack.domain.errors import InvalidInput, NotFound, UnknownInstrument
from spinetrack.services.access.actor import CLINICAL_ROLES
from spinetrack.services.access.clinic_calendar import today_for
from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.patient_side.questionnaire_text import questionnaire_text
from spinetrack.services.records.patient_record import open_record
from spinetrack.services.records.record_response import NewResponse, record_response
from spinetrack.web.deps import ClinicQuery, CsrfChecked, PageId, PageSessions, SignedIn, Visitor
from spinetrack.web.routes.clinic_pages import (
    answered_at,
    clinic_for,
    field_errors,
    not_allowed,
    not_found,
    render,
)

router = APIRouter(include_in_schema=False)


def _query(clinic: int | None) -> str:
    return f"?clinic={clinic}" if clinic is not None else ""


@router.get("/paper/{instrument}", response_class=HTMLResponse)
def printable(
    request: Request,
    instrument: str,
    visitor: SignedIn,
    clinic: ClinicQuery = None,
) -> HTMLResponse:
    """A blank form to print (no patient data; the licensed text stays with the clinic's staff)."""
    assert visitor.actor is not None
    try:
        clinic_id = clinic_for(visitor.actor, clinic)
        visitor.actor.require(clinic_id, CLINICAL_ROLES)
        text = questionnaire_text(instrument)
    except UnknownInstrument:
        return not_found(request, visitor, "No such questionnaire.")
    except NotFound:
        return not_found(request, visitor, "No clinic where you see patients.")
    except AccessDenied:
        return not_allowed(request, visitor, "Paper forms are for the clinic's clinical staff.")
    return render(request, "staff/paper_form.html", visitor, text=text)


def _entry(
    request: Request,
    visitor: Visitor,
    sessions: PageSessions,
    clinic: int | None,
    patient_id: PageId,
    instrument: str,
    status: int = 200,
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    assert visitor.actor is not None
    try:
        clinic_id = clinic_for(visitor.actor, clinic)
        text = questionnaire_text(instrument)
        record = open_record(
            sessions=sessions, actor=visitor.actor, clinic_id=clinic_id, patient_id=patient_id
        )
    except UnknownInstrument:
        return not_found(request, visitor, "No such questionnaire.")
    except NotFound:
        return not_found(request, visitor, "No such patient in your clinic.")
    except AccessDenied:
        return not_allowed(request, visitor, "Entering answers is for the clinic's clinical staff.")
    patient = record.patient
    return render(
        request,
        "staff/paper_entry.html",
        visitor,
        status,
        text=text,
        patient=patient,
        clinic_query=_query(clinic),
        typed=typed or {"completed_on": today_for(sessions, clinic_id).isoformat()},
        errors=errors or {},
    )


@router.get("/chase/{patient_id}/paper/{instrument}", response_class=HTMLResponse)
def entry_form(
    request: Request,
    patient_id: PageId,
    instrument: str,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> HTMLResponse:
    return _entry(request, visitor, sessions, clinic, patient_id, instrument)


def _answers(form: dict[str, str], item_ids: list[str]) -> dict[str, int | float | None]:
    answers: dict[str, int | float | None] = {}
    for item in item_ids:
        raw = form.get(f"item_{item}", "").strip()
        if not raw:
            continue
        try:
            answers[item] = int(raw)
        except ValueError:
            raise InvalidInput(f"answers.{item}", "enter a whole number from the form") from None
    if not answers:
        raise InvalidInput("answers", "enter at least one answer from the sheet")
    return answers


@router.post(
    "/chase/{patient_id}/paper/{instrument}",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
async def enter(
    request: Request,
    patient_id: PageId,
    instrument: str,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> Response:
    assert visitor.actor is not None
    form = {k: str(v)[:32] for k, v in (await request.form()).items() if k != "csrf_token"}
    try:
        clinic_id = clinic_for(visitor.actor, clinic)
        text = questionnaire_text(instrument)
        completed = date.fromisoformat(form.get("completed_on", ""))
        response = NewResponse(
            instrument=instrument,
            completed_at=answered_at(completed),
            answers=_answers(form, [q.id for q in text.questions]),
            source="paper",
        )
        record_response(
            sessions=sessions,
            actor=visitor.actor,
            clinic_id=clinic_id,
            patient_id=patient_id,
            response=response,
        )
    except UnknownInstrument:
        return not_found(request, visitor, "No such questionnaire.")
    except NotFound:
        return not_found(request, visitor, "No such patient in your clinic.")
    except AccessDenied:
        return not_allowed(request, visitor, "Entering answers is for the clinic's clinical staff.")
    except (ValidationError, InvalidInput) as exc:
        errors: dict[str, Any] = field_errors(exc)
        return _entry(request, visitor, sessions, clinic, patient_id, instrument, 422, form, errors)
    except ValueError:
        errors = {"completed_on": "enter the date the patient filled in the form (YYYY-MM-DD)"}
        return _entry(request, visitor, sessions, clinic, patient_id, instrument, 422, form, errors)
    sep = "&" if clinic is not None else "?"
    return RedirectResponse(f"/chase/{patient_id}{_query(clinic)}{sep}done=paper", status_code=303)
