"""Data entry for the clinic: register a patient, a surgery (or a revision), a questionnaire answered
on the patient's behalf, and a complication.

Every form validates with the service's own input model and rules (the API's request bodies), so a
form cannot accept what the API refuses. A refused form comes back with one message per field and
what was typed kept; a saved one redirects to the patient page, which shows what changed (for a
questionnaire: its score, the updated chart and status).
"""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.instruments.registry import get_instrument, instrument_ids
from spinetrack.domain.instruments.scoring import answers_needed, score
from spinetrack.domain.registry.complications import catalogue
from spinetrack.domain.registry.surgery import surgery_matrix
from spinetrack.domain.vocabulary import vocabulary
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import today_for
from spinetrack.services.audit.role_checked_first import require_role
from spinetrack.services.clinician.worklist import clinic_surgeons
from spinetrack.services.records.enrol_patient import NewPatient, register_patient
from spinetrack.services.records.patient_record import open_record
from spinetrack.services.records.read_models import PatientRecord
from spinetrack.services.records.record_response import NewResponse, record_response
from spinetrack.services.records.register_surgery import (
    NewComplication,
    NewSurgery,
    record_complication,
    register_surgery,
)
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
from spinetrack.web.pages import answers, page_route
from spinetrack.web.routes.clinic_pages import (
    answered_at,
    clinic_for,
    date_shower,
    humanize,
    named,
    render,
    term,
)
from spinetrack.web.routes.posted_form import (
    page_clinic,
    path_patient_id,
    posted_text,
    posted_values,
    with_clinic,
)
from spinetrack.web.wording import DATE_FORMAT

router = APIRouter(
    include_in_schema=False,
    route_class=page_route(
        not_found="No such patient (or clinic) among yours.",
        denied="Your role may not see or record patient data.",
    ),
)
# Patients ---------------------------------------------------------------------------------------

PATIENT_FIELDS = (
    "mrn",
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    "email",
    "phone",
    "referrer_name",
    "referrer_practice",
    "referrer_address",
)
SEXES = [("female", "Female"), ("male", "Male"), ("other", "Other"), ("unknown", "Unknown")]
PATIENT_WORDS = FormWords(
    {
        "mrn": Label("Medical record number (MRN)"),
        "given_name": Label("Given name"),
        "family_name": Label("Family name"),
        "birth_date": Label("Date of birth", "enter a date such as 1961-04-23"),
        "sex": Label("Sex", "choose one of the options"),
        "email": Label("E-mail", "write an address such as name@example.org"),
        "phone": Label("Phone", "use digits, spaces and + ( ) - . only, at least 5 of them"),
        "referrer_name": Label("Referring doctor"),
        "referrer_practice": Label("Practice"),
        "referrer_address": Label("Practice address"),
    }
)


def _patient_form(
    request: Request, visitor: Member, values: dict[str, str], errors: dict[str, str], status: int
) -> HTMLResponse:
    return render(
        request,
        "clinic/patient_form.html",
        visitor,
        status,
        values=values,
        errors=errors,
        sexes=SEXES,
        action="/patients/new" + (f"?{request.url.query}" if request.url.query else ""),
    )


async def _patient_refill(request: Request, errors: dict[str, str]) -> Response:
    values = posted_values(await request.form(), PATIENT_FIELDS)
    return _patient_form(request, member(request), values, errors, 422)


@router.get("/patients/new", response_class=HTMLResponse)
def new_patient_form(
    request: Request, visitor: SignedIn, clinic: ClinicQuery = None
) -> HTMLResponse:
    visitor.actor.require(clinic_for(visitor.actor, clinic))
    return _patient_form(request, visitor, {}, {}, 200)


@router.post("/patients/new", response_class=HTMLResponse, dependencies=[CsrfChecked])
@answers(refill=_patient_refill, words=PATIENT_WORDS)
async def new_patient(
    request: Request, visitor: SignedIn, sessions: PageSessions, clinic: ClinicQuery = None
) -> Response:
    actor = visitor.actor
    clinic_id = clinic_for(actor, clinic)
    require_role(sessions, actor, clinic_id, action="patient.create")
    values = posted_values(await request.form(), PATIENT_FIELDS)
    patient = PATIENT_WORDS.parse(NewPatient, {k: v or None for k, v in values.items()})
    created = register_patient(sessions=sessions, actor=actor, clinic_id=clinic_id, patient=patient)
    return RedirectResponse(
        with_clinic(f"/patients/{created.id}", clinic, done="patient"), status_code=303
    )


# Records of one patient ---------------------------------------------------------------------------


def _surgery_choices(record: PatientRecord) -> list[tuple[str, str]]:
    """The patient's surgeries as a select's options: date, procedure and region."""
    show = date_shower(DATE_FORMAT)
    return [
        (str(s.id), f"{show(s.performed_on)} · {term('procedures', s.procedure)}, {s.region}")
        for s in record.surgeries
    ]


def _record(
    actor: Actor, sessions: PageSessions, clinic: int | None, patient_id: int
) -> PatientRecord:
    return open_record(
        sessions=sessions, actor=actor, clinic_id=clinic_for(actor, clinic), patient_id=patient_id
    )


def _request_record(request: Request) -> PatientRecord:
    """The record of the patient a refused form is about, for showing that form again."""
    return _record(
        member(request).actor, sessions_of(request), page_clinic(request), path_patient_id(request)
    )


SURGERY_FIELDS = (
    "performed_on",
    "region",
    "procedure",
    "approach",
    "levels",
    "instrumented",
    "surgeon_id",
    "revision_of_id",
    "revision_reason",
    "notes",
    "planned",
)
SURGERY_WORDS = FormWords(
    {
        "performed_on": Label("Date of surgery", "enter a date such as 2026-03-31"),
        "surgeon_id": Label("Surgeon", "choose a surgeon from the list"),
        "region": Label("Region"),
        "procedure": Label("Procedure"),
        "approach": Label("Approach"),
        "levels": Label(
            "Levels", "write adjacent vertebrae separated by commas, e.g. L4-L5, L5-S1"
        ),
        "instrumented": Label("Instrumented"),
        "revision_of_id": Label("Revises", "choose the surgery this one revises"),
        "revision_reason": Label("Reason"),
        "notes": Label("Notes"),
        "planned": Label("Planned, not yet performed"),
    }
)


def _surgery_form(
    request: Request,
    visitor: Member,
    sessions: PageSessions,
    clinic: int | None,
    record: PatientRecord,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    actor = visitor.actor
    words = vocabulary()
    matrix = surgery_matrix()
    clinic_id = clinic_for(actor, clinic)
    return render(
        request,
        "clinic/surgery_form.html",
        visitor,
        status,
        record=record,
        values=values,
        errors=errors,
        options={
            "region": [(r, humanize(r)) for r in words.regions],
            "procedure": [(p, term("procedures", p)) for p in words.procedures],
            "approach": [(a, humanize(a)) for a in matrix.approaches],
            "surgeon_id": [
                (str(i), name)
                for i, name in clinic_surgeons(sessions=sessions, actor=actor, clinic_id=clinic_id)
            ],
            "revision_of_id": _surgery_choices(record),
            "revision_reason": named("causes"),
        },
        action=with_clinic(f"/patients/{record.patient.id}/surgeries/new", clinic),
        back=with_clinic(f"/patients/{record.patient.id}", clinic),
    )


async def _surgery_refill(request: Request, errors: dict[str, str]) -> Response:
    values = posted_values(await request.form(), SURGERY_FIELDS)
    record = _request_record(request)
    sessions, clinic = sessions_of(request), page_clinic(request)
    return _surgery_form(request, member(request), sessions, clinic, record, values, errors, 422)


@router.get("/patients/{patient_id}/surgeries/new", response_class=HTMLResponse)
def new_surgery_form(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> HTMLResponse:
    record = _record(visitor.actor, sessions, clinic, patient_id)
    defaults = {"surgeon_id": str(visitor.actor.user_id or "")}
    return _surgery_form(request, visitor, sessions, clinic, record, defaults, {})


def _surgery_input(values: dict[str, str]) -> NewSurgery:
    levels = [level.strip() for level in values["levels"].replace(";", ",").split(",")]
    data: dict[str, Any] = {
        "performed_on": values["performed_on"] or None,
        "region": values["region"],
        "procedure": values["procedure"],
        "approach": values["approach"],
        "levels": [level for level in levels if level],
        "instrumented": values["instrumented"] == "yes",
        "surgeon_id": values["surgeon_id"] or None,
        "revision_of_id": values["revision_of_id"] or None,
        "revision_reason": values["revision_reason"] or None,
        "notes": values["notes"] or None,
        "planned": values["planned"] == "yes",
    }
    for name in ("region", "procedure", "approach"):
        if not data[name]:
            raise refuse(name, SURGERY_WORDS, "choose one")
    return SURGERY_WORDS.parse(NewSurgery, data)


@router.post(
    "/patients/{patient_id}/surgeries/new",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
@answers(refill=_surgery_refill, words=SURGERY_WORDS)
async def new_surgery(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> Response:
    actor = visitor.actor
    _record(actor, sessions, clinic, patient_id)  # an unknown patient is "not found", not a form
    values = posted_values(await request.form(), SURGERY_FIELDS)
    register_surgery(
        sessions=sessions,
        actor=actor,
        clinic_id=clinic_for(actor, clinic),
        patient_id=patient_id,
        surgery=_surgery_input(values),
    )
    return RedirectResponse(
        with_clinic(f"/patients/{patient_id}", clinic, done="surgery") + "#timeline",
        status_code=303,
    )


# Questionnaires -----------------------------------------------------------------------------------


def _instrument_choices() -> list[tuple[str, str]]:
    return [(i, f"{get_instrument(i).title} ({i.upper()})") for i in instrument_ids()]


def _item_label(name: str) -> Label | None:
    """`answers.<item>` is labelled with the item's title on the form."""
    prefix, _, item = name.partition(".")
    if prefix != "answers" or not item:
        return None
    for instrument in instrument_ids():
        found = next((i for i in get_instrument(instrument).items if i.id == item), None)
        if found is not None:
            return Label(found.title, "choose one of the answers")
    return None


RESPONSE_WORDS = FormWords(
    {
        "instrument": Label("Questionnaire", "choose an instrument from the list"),
        "completed_on": Label("Answered on", "enter the date it was answered"),
        "answers": Label("Answers"),
        "save_unscored": Label("Too few answers to score"),
    },
    renamed={"completed_at": "completed_on"},
    lookup=_item_label,
)


def _response_form(
    request: Request,
    visitor: Member,
    clinic: int | None,
    record: PatientRecord,
    instrument: str | None,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    definition = get_instrument(instrument) if instrument else None
    return render(
        request,
        "clinic/response_form.html",
        visitor,
        status,
        record=record,
        instruments=_instrument_choices(),
        definition=definition,
        values=values,
        errors=errors,
        action=with_clinic(f"/patients/{record.patient.id}/responses/new", clinic),
        back=with_clinic(f"/patients/{record.patient.id}", clinic),
    )


async def _response_refill(request: Request, errors: dict[str, str]) -> Response:
    form = await request.form()
    instrument = posted_text(form, "instrument")
    chosen = instrument if instrument in instrument_ids() else None
    items = [item.id for item in get_instrument(chosen).items] if chosen else []
    values = posted_values(form, ("instrument", "completed_on", *(f"answers.{i}" for i in items)))
    values["instrument"] = chosen or ""
    record = _request_record(request)
    return _response_form(
        request, member(request), page_clinic(request), record, chosen, values, errors, 422
    )


@router.get("/patients/{patient_id}/responses/new", response_class=HTMLResponse)
def new_response_form(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    instrument: Annotated[str, Query(max_length=32)] = "",
) -> HTMLResponse:
    record = _record(visitor.actor, sessions, clinic, patient_id)
    chosen = instrument if instrument in instrument_ids() else None
    errors = (
        {}
        if chosen or not instrument
        else {"instrument": RESPONSE_WORDS.say("instrument", "choose an instrument from the list")}
    )
    today = today_for(sessions, record.patient.clinic_id)
    values = {"instrument": chosen or "", "completed_on": today.isoformat()}
    return _response_form(
        request, visitor, clinic, record, chosen, values, errors, 422 if errors else 200
    )


def _answer(raw: str, name: str) -> int | float | None:
    if raw == "":
        return None
    try:
        number = float(raw)
    except ValueError:
        raise InvalidInput(f"answers.{name}", "enter a number") from None
    return int(number) if number.is_integer() else number


def _warn_if_unscorable(instrument: str, answers_given: dict[str, int | float | None]) -> None:
    """A paper form with too few answers is shown again with the count and what the instrument
    needs, so staff look for missed answers first; ticking "save it unscored" keeps it as the
    patient answered it (the record holds what was written; it is stored as not scored)."""
    result = score(instrument, answers_given)
    if result.status != "insufficient":
        return
    definition = get_instrument(instrument)
    needed = answers_needed(instrument)
    need = (
        f"it needs at least {needed} to be scored"
        if needed is not None
        else f"it cannot be scored ({result.reason})"
    )
    raise refuse(
        "save_unscored",
        RESPONSE_WORDS,
        f"{definition.title}: {result.answered} of {len(definition.items)} questions are "
        f"answered and {need}. Check the form for missed answers, or tick the box to save it "
        "unscored",
    )


def _answered_on(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise refuse("completed_on", RESPONSE_WORDS, "enter the date it was answered") from None


@router.post(
    "/patients/{patient_id}/responses/new",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
@answers(refill=_response_refill, words=RESPONSE_WORDS)
async def new_response(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> Response:
    actor = visitor.actor
    form = await request.form()
    instrument = posted_text(form, "instrument")
    _record(actor, sessions, clinic, patient_id)
    if instrument not in instrument_ids():
        raise refuse("instrument", RESPONSE_WORDS, "choose an instrument from the list")
    items = [item.id for item in get_instrument(instrument).items]
    values = posted_values(form, ("completed_on", *(f"answers.{i}" for i in items)))
    answers_given = {i: _answer(values[f"answers.{i}"], i) for i in items}
    if all(value is None for value in answers_given.values()):
        raise refuse("answers", RESPONSE_WORDS, "answer at least one item")
    if posted_text(form, "save_unscored") != "yes":
        _warn_if_unscorable(instrument, answers_given)
    saved = record_response(
        sessions=sessions,
        actor=actor,
        clinic_id=clinic_for(actor, clinic),
        patient_id=patient_id,
        response=NewResponse(
            instrument=instrument,
            completed_at=answered_at(_answered_on(values["completed_on"])),
            answers=answers_given,
            source="clinic",
        ),
    )
    return RedirectResponse(
        with_clinic(f"/patients/{patient_id}", clinic, done="response", rid=saved.id) + "#charts",
        status_code=303,
    )


# Complications ------------------------------------------------------------------------------------

COMPLICATION_FIELDS = ("surgery_id", "kind", "reported_by", "occurred_on", "notes")
COMPLICATION_WORDS = FormWords(
    {
        "surgery_id": Label("After which surgery", "choose a surgery from the list"),
        "kind": Label("Complication", "choose one of the options"),
        "reported_by": Label("Reported by", "choose one of the options"),
        "occurred_on": Label("Date", "enter a date such as 2026-03-31"),
        "notes": Label("Notes"),
    }
)


def _complication_form(
    request: Request,
    visitor: Member,
    clinic: int | None,
    record: PatientRecord,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    kinds = catalogue()
    return render(
        request,
        "clinic/complication_form.html",
        visitor,
        status,
        record=record,
        values=values,
        errors=errors,
        options={
            "surgery_id": _surgery_choices(record),
            "kind": [(k, humanize(k)) for k in kinds.kinds],
            "reported_by": [(r, humanize(r)) for r in kinds.reporters],
        },
        action=with_clinic(f"/patients/{record.patient.id}/complications/new", clinic),
        back=with_clinic(f"/patients/{record.patient.id}", clinic),
    )


async def _complication_refill(request: Request, errors: dict[str, str]) -> Response:
    values = posted_values(await request.form(), COMPLICATION_FIELDS)
    record = _request_record(request)
    return _complication_form(
        request, member(request), page_clinic(request), record, values, errors, 422
    )


@router.get("/patients/{patient_id}/complications/new", response_class=HTMLResponse)
def new_complication_form(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> HTMLResponse:
    record = _record(visitor.actor, sessions, clinic, patient_id)
    latest = record.surgeries[-1].id if record.surgeries else ""
    values = {"surgery_id": str(latest), "reported_by": "surgeon"}
    return _complication_form(request, visitor, clinic, record, values, {})


@router.post(
    "/patients/{patient_id}/complications/new",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
@answers(refill=_complication_refill, words=COMPLICATION_WORDS)
async def new_complication(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> Response:
    actor = visitor.actor
    _record(actor, sessions, clinic, patient_id)
    values = posted_values(await request.form(), COMPLICATION_FIELDS)
    for name in ("surgery_id", "kind", "reported_by"):
        if not values[name]:
            raise refuse(name, COMPLICATION_WORDS, "choose one")
    complication = COMPLICATION_WORDS.parse(
        NewComplication,
        {
            "surgery_id": values["surgery_id"],
            "kind": values["kind"],
            "reported_by": values["reported_by"],
            "occurred_on": values["occurred_on"] or None,
            "notes": values["notes"] or None,
        },
    )
    record_complication(
        sessions=sessions,
        actor=actor,
        clinic_id=clinic_for(actor, clinic),
        patient_id=patient_id,
        complication=complication,
    )
    return RedirectResponse(
        with_clinic(f"/patients/{patient_id}", clinic, done="complication") + "#timeline",
        status_code=303,
    )
