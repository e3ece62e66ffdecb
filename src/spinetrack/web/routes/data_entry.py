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
from pydantic import ValidationError
from starlette.datastructures import FormData

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.domain.instruments.registry import get_instrument, instrument_ids
from spinetrack.domain.registry.complications import catalogue
from spinetrack.domain.registry.surgery import surgery_matrix
from spinetrack.domain.vocabulary import vocabulary
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import today_for
from spinetrack.services.access.errors import AccessDenied
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
from spinetrack.web.deps import ClinicQuery, CsrfChecked, PageId, PageSessions, SignedIn, Visitor
from spinetrack.web.routes.clinic_pages import (
    answered_at,
    clinic_for,
    date_shower,
    field_errors,
    humanize,
    not_allowed,
    not_found,
    render,
)

router = APIRouter(include_in_schema=False)
TEXT_LIMIT = 4000


def _actor(visitor: Visitor) -> Actor:
    assert visitor.actor is not None
    return visitor.actor


def _text(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value[:TEXT_LIMIT].strip() if isinstance(value, str) else ""


def _values(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    return {name: _text(form, name) for name in names}


def _with_clinic(path: str, clinic: int | None, **query: object) -> str:
    pairs = [f"{k}={v}" for k, v in query.items()]
    if clinic is not None:
        pairs.append(f"clinic={clinic}")
    return path + ("?" + "&".join(pairs) if pairs else "")


def _problem(request: Request, visitor: Visitor, exc: Exception) -> HTMLResponse:
    if isinstance(exc, AccessDenied):
        return not_allowed(request, visitor, "Your role may not see or record patient data.")
    return not_found(request, visitor, "No such patient (or clinic) among yours.")


# Patients ---------------------------------------------------------------------------------------

PATIENT_FIELDS = ("mrn", "given_name", "family_name", "birth_date", "sex", "email", "phone")
SEXES = [("female", "Female"), ("male", "Male"), ("other", "Other"), ("unknown", "Unknown")]


def _patient_form(
    request: Request, visitor: Visitor, values: dict[str, str], errors: dict[str, str], status: int
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


@router.get("/patients/new", response_class=HTMLResponse)
def new_patient_form(
    request: Request, visitor: SignedIn, clinic: ClinicQuery = None
) -> HTMLResponse:
    actor = _actor(visitor)
    try:
        actor.require(clinic_for(actor, clinic))
    except (NotFound, AccessDenied) as exc:
        return _problem(request, visitor, exc)
    return _patient_form(request, visitor, {}, {}, 200)


@router.post("/patients/new", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def new_patient(
    request: Request, visitor: SignedIn, sessions: PageSessions, clinic: ClinicQuery = None
) -> Response:
    actor = _actor(visitor)
    values = _values(await request.form(), PATIENT_FIELDS)
    try:
        clinic_id = clinic_for(actor, clinic)
        actor.require(clinic_id)
    except (NotFound, AccessDenied) as exc:
        return _problem(request, visitor, exc)
    try:
        patient = NewPatient.model_validate({k: v or None for k, v in values.items()})
        created = register_patient(
            sessions=sessions, actor=actor, clinic_id=clinic_id, patient=patient
        )
    except (InvalidInput, ValidationError) as exc:
        return _patient_form(request, visitor, values, field_errors(exc), 422)
    except (NotFound, AccessDenied) as exc:
        return _problem(request, visitor, exc)
    return RedirectResponse(
        _with_clinic(f"/patients/{created.id}", clinic, done="patient"), status_code=303
    )


# Records of one patient ---------------------------------------------------------------------------


def _surgery_choices(record: PatientRecord) -> list[tuple[str, str]]:
    """The patient's surgeries as a select's options: date, procedure and region."""
    show = date_shower("%Y-%m-%d")
    return [
        (str(s.id), f"{show(s.performed_on)} · {humanize(s.procedure)}, {s.region}")
        for s in record.surgeries
    ]


def _record(
    actor: Actor, sessions: PageSessions, clinic: int | None, patient_id: int
) -> PatientRecord:
    return open_record(
        sessions=sessions, actor=actor, clinic_id=clinic_for(actor, clinic), patient_id=patient_id
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
)


def _surgery_form(
    request: Request,
    visitor: Visitor,
    sessions: PageSessions,
    clinic: int | None,
    record: PatientRecord,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    actor = _actor(visitor)
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
            "procedure": [(p, humanize(p)) for p in words.procedures],
            "approach": [(a, humanize(a)) for a in matrix.approaches],
            "surgeon_id": [
                (str(i), name)
                for i, name in clinic_surgeons(sessions=sessions, actor=actor, clinic_id=clinic_id)
            ],
            "revision_of_id": _surgery_choices(record),
            "revision_reason": [(c, humanize(c)) for c in words.causes],
        },
        action=_with_clinic(f"/patients/{record.patient.id}/surgeries/new", clinic),
        back=_with_clinic(f"/patients/{record.patient.id}", clinic),
    )


@router.get("/patients/{patient_id}/surgeries/new", response_class=HTMLResponse)
def new_surgery_form(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> HTMLResponse:
    try:
        record = _record(_actor(visitor), sessions, clinic, patient_id)
    except (NotFound, AccessDenied) as exc:
        return _problem(request, visitor, exc)
    defaults = {"surgeon_id": str(_actor(visitor).user_id or "")}
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
    }
    for name in ("region", "procedure", "approach"):
        if not data[name]:
            raise InvalidInput(name, "choose one")
    return NewSurgery.model_validate(data)


@router.post(
    "/patients/{patient_id}/surgeries/new",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
async def new_surgery(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> Response:
    actor = _actor(visitor)
    values = _values(await request.form(), SURGERY_FIELDS)
    try:
        record = _record(actor, sessions, clinic, patient_id)
    except (NotFound, AccessDenied) as exc:
        return _problem(request, visitor, exc)
    try:
        register_surgery(
            sessions=sessions,
            actor=actor,
            clinic_id=clinic_for(actor, clinic),
            patient_id=patient_id,
            surgery=_surgery_input(values),
        )
    except (InvalidInput, ValidationError) as exc:
        errors = field_errors(exc)
        return _surgery_form(request, visitor, sessions, clinic, record, values, errors, 422)
    except (NotFound, AccessDenied) as exc:
        return _problem(request, visitor, exc)
    return RedirectResponse(
        _with_clinic(f"/patients/{patient_id}", clinic, done="surgery") + "#timeline",
        status_code=303,
    )


# Questionnaires -----------------------------------------------------------------------------------


def _instrument_choices() -> list[tuple[str, str]]:
    return [(i, f"{get_instrument(i).title} ({i.upper()})") for i in instrument_ids()]


def _response_form(
    request: Request,
    visitor: Visitor,
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
        action=_with_clinic(f"/patients/{record.patient.id}/responses/new", clinic),
        back=_with_clinic(f"/patients/{record.patient.id}", clinic),
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
    try:
        record = _record(_actor(visitor), sessions, clinic, patient_id)
    except (NotFound, AccessDenied) as exc:
        return _problem(request, visitor, exc)
    chosen = instrument if instrument in instrument_ids() else None
    errors = (
        {} if chosen or not instrument else {"instrument": "choose an instrument from the list"}
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


@router.post(
    "/patients/{patient_id}/responses/new",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
async def new_response(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> Response:
    actor = _actor(visitor)
    form = await request.form()
    instrument = _text(form, "instrument")
    try:
        record = _record(actor, sessions, clinic, patient_id)
    except (NotFound, AccessDenied) as exc:
        return _problem(request, visitor, exc)
    if instrument not in instrument_ids():
        values = {"instrument": "", "completed_on": _text(form, "completed_on")}
        errors = {"instrument": "choose an instrument from the list"}
        return _response_form(request, visitor, clinic, record, None, values, errors, 422)
    items = [item.id for item in get_instrument(instrument).items]
    values = _values(form, ("instrument", "completed_on", *(f"answers.{i}" for i in items)))
    try:
        answers = {i: _answer(values[f"answers.{i}"], i) for i in items}
        if all(value is None for value in answers.values()):
            raise InvalidInput("answers", "answer at least one item")
        try:
            day = date.fromisoformat(values["completed_on"])
        except ValueError:
            raise InvalidInput("completed_on", "enter the date it was answered") from None
        moment = answered_at(day)
        saved = record_response(
            sessions=sessions,
            actor=actor,
            clinic_id=clinic_for(actor, clinic),
            patient_id=patient_id,
            response=NewResponse(
                instrument=instrument, completed_at=moment, answers=answers, source="clinic"
            ),
        )
    except (InvalidInput, ValidationError) as exc:
        errors = field_errors(exc)
        if "completed_at" in errors:
            errors["completed_on"] = errors.pop("completed_at")
        return _response_form(request, visitor, clinic, record, instrument, values, errors, 422)
    except (NotFound, AccessDenied) as exc:
        return _problem(request, visitor, exc)
    return RedirectResponse(
        _with_clinic(f"/patients/{patient_id}", clinic, done="response", rid=saved.id) + "#charts",
        status_code=303,
    )


# Complications ------------------------------------------------------------------------------------

COMPLICATION_FIELDS = ("surgery_id", "kind", "reported_by", "occurred_on", "notes")


def _complication_form(
    request: Request,
    visitor: Visitor,
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
        action=_with_clinic(f"/patients/{record.patient.id}/complications/new", clinic),
        back=_with_clinic(f"/patients/{record.patient.id}", clinic),
    )


@router.get("/patients/{patient_id}/complications/new", response_class=HTMLResponse)
def new_complication_form(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> HTMLResponse:
    try:
        record = _record(_actor(visitor), sessions, clinic, patient_id)
    except (NotFound, AccessDenied) as exc:
        return _problem(request, visitor, exc)
    latest = record.surgeries[-1].id if record.surgeries else ""
    values = {"surgery_id": str(latest), "reported_by": "surgeon"}
    return _complication_form(request, visitor, clinic, record, values, {})


@router.post(
    "/patients/{patient_id}/complications/new",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
async def new_complication(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> Response:
    actor = _actor(visitor)
    values = _values(await request.form(), COMPLICATION_FIELDS)
    try:
        record = _record(actor, sessions, clinic, patient_id)
    except (NotFound, AccessDenied) as exc:
        return _problem(request, visitor, exc)
    try:
        for name in ("surgery_id", "kind", "reported_by"):
            if not values[name]:
                raise InvalidInput(name, "choose one")
        record_complication(
            sessions=sessions,
            actor=actor,
            clinic_id=clinic_for(actor, clinic),
            patient_id=patient_id,
            complication=NewComplication.model_validate(
                {
                    "surgery_id": values["surgery_id"],
                    "kind": values["kind"],
                    "reported_by": values["reported_by"],
                    "occurred_on": values["occurred_on"] or None,
                    "notes": values["notes"] or None,
                }
            ),
        )
    except (InvalidInput, ValidationError) as exc:
        errors = field_errors(exc)
        return _complication_form(request, visitor, clinic, record, values, errors, 422)
    except (NotFound, AccessDenied) as exc:
        return _problem(request, visitor, exc)
    return RedirectResponse(
        _with_clinic(f"/patients/{patient_id}", clinic, done="complication") + "#timeline",
        status_code=303,
    )
