"""Paper questionnaires: a printable form per instrument for patients who prefer paper, and the
staff form that enters the answers from a returned sheet.

The printed words are the clinic's licensed text when loaded, else spinetrack's neutral
descriptions, exactly as on the phone pages. Entered answers go through `record_response`, so a
paper answer is checked and scored like any other; a refused sheet is shown again as typed.
"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spinetrack.domain.instruments import instrument_ids
from spinetrack.domain.outcomes import schedule
from spinetrack.services.access.actor import CLINICAL_ROLES
from spinetrack.services.access.clinic_calendar import today_for
from spinetrack.services.patient_side.questionnaire_text import (
    QuestionnaireText,
    questionnaire_text,
)
from spinetrack.services.records.patient_record import open_record
from spinetrack.services.records.record_response import NewResponse, record_response
from spinetrack.web.charts import timepoint_label
from spinetrack.web.deps import (
    ClinicQuery,
    CsrfChecked,
    Member,
    PageId,
    PageSessions,
    SignedIn,
    member,
    sessions_of,
)
from spinetrack.web.forms import FormWords, Label, refuse
from spinetrack.web.pages import Problem, answers, page_route
from spinetrack.web.routes.clinic_pages import answered_at, clinic_for, render

router = APIRouter(
    include_in_schema=False,
    route_class=page_route(
        not_found="No such patient in your clinic.",
        denied="Entering answers is for the clinic's clinical staff.",
    ),
)


def _query(clinic: int | None) -> str:
    return f"?clinic={clinic}" if clinic is not None else ""


def _text(instrument: str) -> QuestionnaireText:
    """The questionnaire named in the address; another name is a page that does not exist."""
    if instrument not in instrument_ids():
        raise Problem(404, "No such questionnaire.")
    return questionnaire_text(instrument)


@router.get("/paper/{instrument}", response_class=HTMLResponse)
@answers(
    not_found="No clinic where you see patients.",
    denied="Paper forms are for the clinic's clinical staff.",
)
def printable(
    request: Request,
    instrument: str,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    patient: ClinicQuery = None,
    timepoint: Annotated[str, Query(max_length=16)] = "",
) -> HTMLResponse:
    """A form to print: blank, or for one patient and time point (`?patient=&timepoint=`), whose
    name, MRN, birth date and time point head every printed page, so a sheet that comes back
    loose is still known. The licensed text stays with the clinic's staff."""
    clinic_id = clinic_for(visitor.actor, clinic)
    visitor.actor.require(clinic_id, CLINICAL_ROLES)
    text = _text(instrument)
    if timepoint and timepoint not in {t.id for t in schedule()}:
        raise Problem(404, "No such follow-up time point.")
    whom = None
    if patient is not None:
        whom = open_record(
            sessions=sessions, actor=visitor.actor, clinic_id=clinic_id, patient_id=patient
        ).patient
    return render(
        request,
        "staff/paper_form.html",
        visitor,
        text=text,
        patient=whom,
        timepoint=timepoint_label(timepoint) if timepoint else "",
    )


def _entry(
    request: Request,
    visitor: Member,
    sessions: PageSessions,
    clinic: int | None,
    patient_id: int,
    instrument: str,
    status: int = 200,
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    clinic_id = clinic_for(visitor.actor, clinic)
    text = _text(instrument)
    record = open_record(
        sessions=sessions, actor=visitor.actor, clinic_id=clinic_id, patient_id=patient_id
    )
    return render(
        request,
        "staff/paper_entry.html",
        visitor,
        status,
        text=text,
        patient=record.patient,
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


def _item_label(name: str) -> Label | None:
    """`answers.<item>` is the numbered question on the sheet."""
    prefix, _, item = name.partition(".")
    if prefix != "answers":
        return None
    for instrument in instrument_ids():
        for number, question in enumerate(questionnaire_text(instrument).questions, start=1):
            if question.id == item:
                return Label(f"Question {number}", "enter the number ticked on the sheet")
    return None


ENTRY_WORDS = FormWords(
    {
        "completed_on": Label(
            "Date the patient filled in the form", "enter the date written on the sheet"
        ),
        "answers": Label("Answers"),
    },
    renamed={"completed_at": "completed_on"},
    lookup=_item_label,
)


def _typed(posted: dict[str, str]) -> dict[str, str]:
    return {k: v[:32] for k, v in posted.items() if k != "csrf_token"}


async def _entry_refill(request: Request, errors: dict[str, str]) -> Response:
    typed = _typed({k: str(v) for k, v in (await request.form()).items()})
    return _entry(
        request,
        member(request),
        sessions_of(request),
        int(request.query_params["clinic"]) if request.query_params.get("clinic") else None,
        int(request.path_params["patient_id"]),
        request.path_params["instrument"],
        422,
        typed,
        errors,
    )


def _answers(form: dict[str, str], item_ids: list[str]) -> dict[str, int | float | None]:
    answers: dict[str, int | float | None] = {}
    for item in item_ids:
        raw = form.get(f"item_{item}", "").strip()
        if not raw:
            continue
        if not raw.lstrip("-").isdigit():
            raise refuse(f"answers.{item}", ENTRY_WORDS, "enter a whole number from the form")
        answers[item] = int(raw)
    if not answers:
        raise refuse("answers", ENTRY_WORDS, "enter at least one answer from the sheet")
    return answers


def _completed_on(raw: str) -> date:
    if not raw:
        raise refuse("completed_on", ENTRY_WORDS, "enter the date written on the sheet")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise refuse("completed_on", ENTRY_WORDS, "enter the date written on the sheet") from None


@router.post(
    "/chase/{patient_id}/paper/{instrument}",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
@answers(refill=_entry_refill, words=ENTRY_WORDS)
async def enter(
    request: Request,
    patient_id: PageId,
    instrument: str,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> Response:
    form = _typed({k: str(v) for k, v in (await request.form()).items()})
    clinic_id = clinic_for(visitor.actor, clinic)
    text = _text(instrument)
    response = NewResponse(
        instrument=instrument,
        completed_at=answered_at(_completed_on(form.get("completed_on", ""))),
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
    sep = "&" if clinic is not None else "?"
    return RedirectResponse(f"/chase/{patient_id}{_query(clinic)}{sep}done=paper", status_code=303)
