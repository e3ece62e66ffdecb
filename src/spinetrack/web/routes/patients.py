"""The patient page and its triage forms: record a finding, add report text, confirm cause and plan.

Each form posts to the same services as the API and answers with a redirect back to the page (with
what changed named in the query), so the updated assessment shows at once and a reload never posts
twice. Recording a finding re-assesses the patient straight away: the point of recording it is to
see how it moves the ranked causes. A refused form renders the page again with the message beside
the field and what the user typed kept.
"""

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.domain.vocabulary import vocabulary
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.clinician.patient_page import open_patient_page
from spinetrack.services.triage.assess_patient import (
    CLINICIANS,
    AssessmentRequest,
    Conclusion,
    NewFinding,
    assess_patient,
    conclude,
    record_finding,
)
from spinetrack.web.charts import timepoint_label, trajectory
from spinetrack.web.deps import ClinicQuery, CsrfChecked, PageId, PageSessions, SignedIn, Visitor
from spinetrack.web.routes.clinic_pages import (
    clinic_for,
    date_shower,
    field_errors,
    not_allowed,
    not_found,
    render,
)

router = APIRouter(include_in_schema=False)
REPORT_BYTES = 200_000
"""An uploaded report is plain text; anything larger is not a radiology or lab report."""


def _vocabulary_options() -> dict[str, list[tuple[str, str]]]:
    words = vocabulary()
    return {
        "finding": sorted(words.findings.items(), key=lambda item: item[0]),
        "cause": sorted(words.causes.items()),
        "treatment": sorted(words.treatments.items()),
        "course": list(words.courses.items()),
    }


def page_response(
    request: Request,
    visitor: Visitor,
    sessions: PageSessions,
    clinic: int | None,
    patient_id: PageId,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    form: str | None = None,
) -> HTMLResponse:
    """The patient page; after a refused form, `form` names it so its errors show beside it."""
    actor = visitor.actor
    assert actor is not None
    try:
        page = open_patient_page(
            sessions=sessions,
            actor=actor,
            clinic_id=clinic_for(actor, clinic),
            patient_id=patient_id,
        )
    except NotFound:
        return not_found(request, visitor, "No such patient in your clinic.")
    except AccessDenied:
        return not_allowed(request, visitor, "Your role does not show identified patients.")
    return render(
        request,
        "clinic/patient.html",
        visitor,
        status,
        page=page,
        charts=[(series, trajectory(series)) for series in page.series],
        timepoint_label=timepoint_label,
        show=date_shower(page.date_format),
        words=vocabulary(),
        options=_vocabulary_options(),
        errors=errors or {},
        values=values or {},
        form=form,
        clinic_query=f"?clinic={clinic}" if clinic is not None else "",
    )


@router.get("/patients/{patient_id}", response_class=HTMLResponse)
def patient_page(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> HTMLResponse:
    return page_response(request, visitor, sessions, clinic, patient_id)


def _back(patient_id: int, clinic: int | None, done: str, anchor: str = "triage") -> Response:
    query = f"done={done}" + (f"&clinic={clinic}" if clinic is not None else "")
    return RedirectResponse(f"/patients/{patient_id}?{query}#{anchor}", status_code=303)


def _refused(
    request: Request,
    visitor: Visitor,
    sessions: PageSessions,
    clinic: int | None,
    patient_id: PageId,
    exc: Exception,
    values: dict[str, Any],
    form: str,
) -> Response:
    if isinstance(exc, NotFound):
        return not_found(request, visitor, "No such patient in your clinic.")
    if isinstance(exc, AccessDenied):
        return not_allowed(request, visitor, "Recording findings and assessing are for clinicians.")
    assert isinstance(exc, InvalidInput | ValidationError)
    return page_response(
        request,
        visitor,
        sessions,
        clinic,
        patient_id,
        status=422,
        errors=field_errors(exc),
        values=values,
        form=form,
    )


def _actor(visitor: Visitor) -> Actor:
    assert visitor.actor is not None
    return visitor.actor


@router.post(
    "/patients/{patient_id}/findings", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
def add_finding(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    finding: Annotated[str, Form(max_length=64)] = "",
    observed_on: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    actor = _actor(visitor)
    values = {"finding": finding, "observed_on": observed_on, "note": note}
    try:
        clinic_id = clinic_for(actor, clinic)
        actor.require(clinic_id, CLINICIANS)
        if not finding:
            raise InvalidInput("finding", "choose the finding")
        checked = NewFinding.model_validate(
            {"finding": finding, "observed_on": observed_on, "note": note or None}
        )
        record_finding(
            sessions=sessions,
            actor=actor,
            clinic_id=clinic_id,
            patient_id=patient_id,
            finding=checked,
        )
        assess_patient(
            sessions=sessions,
            actor=actor,
            clinic_id=clinic_id,
            patient_id=patient_id,
            request=AssessmentRequest(),
        )
    except (InvalidInput, ValidationError, NotFound, AccessDenied) as exc:
        return _refused(request, visitor, sessions, clinic, patient_id, exc, values, "finding")
    return _back(patient_id, clinic, "finding")


@router.post(
    "/patients/{patient_id}/assessments", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
async def add_assessment(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    report_text: Annotated[str, Form(max_length=20_000)] = "",
    report_file: Annotated[UploadFile | None, File()] = None,
    course: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    actor = _actor(visitor)
    values = {"report_text": report_text, "course": course}
    reports = [report_text] if report_text.strip() else []
    try:
        actor.require(clinic_for(actor, clinic), CLINICIANS)
        if report_file is not None and report_file.filename:
            content = await report_file.read(REPORT_BYTES + 1)
            if len(content) > REPORT_BYTES:
                raise InvalidInput("report_file", "the file is too large for a text report")
            try:
                reports.append(content.decode("utf-8"))
            except UnicodeDecodeError:
                raise InvalidInput(
                    "report_file", "upload the report as plain text (.txt, UTF-8)"
                ) from None
        checked = AssessmentRequest.model_validate({"course": course or None, "reports": reports})
        assess_patient(
            sessions=sessions,
            actor=actor,
            clinic_id=clinic_for(actor, clinic),
            patient_id=patient_id,
            request=checked,
        )
    except (InvalidInput, ValidationError, NotFound, AccessDenied) as exc:
        return _refused(request, visitor, sessions, clinic, patient_id, exc, values, "report")
    return _back(patient_id, clinic, "assessment")


@router.post(
    "/patients/{patient_id}/assessments/{assessment_id}/conclusion",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
def add_conclusion(
    request: Request,
    patient_id: PageId,
    assessment_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    confirmed_cause: Annotated[str, Form(max_length=64)] = "",
    chosen_treatment: Annotated[str, Form(max_length=64)] = "",
    plan_note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    actor = _actor(visitor)
    values = {
        "confirmed_cause": confirmed_cause,
        "chosen_treatment": chosen_treatment,
        "plan_note": plan_note,
    }
    try:
        actor.require(clinic_for(actor, clinic), CLINICIANS)
        if not (confirmed_cause or chosen_treatment or plan_note.strip()):
            raise InvalidInput("confirmed_cause", "give the confirmed cause, the plan, or both")
        conclude(
            sessions=sessions,
            actor=actor,
            clinic_id=clinic_for(actor, clinic),
            patient_id=patient_id,
            assessment_id=assessment_id,
            conclusion=Conclusion(
                confirmed_cause=confirmed_cause or None,
                chosen_treatment=chosen_treatment or None,
                plan_note=plan_note.strip() or None,
            ),
        )
    except (InvalidInput, ValidationError, NotFound, AccessDenied) as exc:
        return _refused(request, visitor, sessions, clinic, patient_id, exc, values, "conclusion")
    return _back(patient_id, clinic, "conclusion")
