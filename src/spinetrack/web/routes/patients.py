"""The patient page and its triage forms: record a finding, add report text, confirm cause and plan.

Each form posts to the same services as the API and answers with a redirect back to the page (with
what changed named in the query), so the updated assessment shows at once and a reload never posts
twice. Recording a finding re-assesses the patient straight away: the point of recording it is to
see how it moves the ranked causes. A refused form renders the page again with the message beside
the field and what the user typed kept.
"""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spinetrack.domain.labels import labels
from spinetrack.domain.vocabulary import vocabulary
from spinetrack.services.audit.role_checked_first import require_role
from spinetrack.services.clinician.patient_page import open_patient_page
from spinetrack.services.records.register_surgery import PerformedOn, record_performed
from spinetrack.services.triage.assess_patient import (
    CLINICIANS,
    AssessmentRequest,
    Conclusion,
    NewFinding,
    NewReport,
    assess_patient,
    conclude,
    record_findings,
    reject_report_finding,
)
from spinetrack.web.charts import timepoint_label, trajectory
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
from spinetrack.web.pages import Refill, answers, page_route
from spinetrack.web.routes.clinic_pages import clinic_for, date_shower, named, render
from spinetrack.web.routes.preop import outlook_of

router = APIRouter(
    include_in_schema=False,
    route_class=page_route(
        not_found="No such patient in your clinic.",
        denied="Recording findings and assessing are for clinicians.",
    ),
)
REPORT_BYTES = 200_000
"""An uploaded report is plain text; anything larger is not a radiology or lab report."""


REPORT_KINDS = [
    ("ct", "CT"),
    ("mri", "MRI"),
    ("xray", "X-ray"),
    ("emg", "EMG / nerve conduction"),
    ("lab", "Laboratory"),
    ("clinic_letter", "Clinic letter"),
    ("other", "Other report"),
]
"""The report kinds the service accepts (`assess_patient.ReportKind`), as the form names them."""


def _vocabulary_options() -> dict[str, list[tuple[str, str]]]:
    """Each select's (id, name) pairs: the one name per id, alphabetical (courses in their order)."""
    return {
        "cause": named("causes"),
        "treatment": named("treatments"),
        "course": list(labels().courses.items()),
        "report_kind": REPORT_KINDS,
    }


@dataclass(frozen=True)
class FindingGroup:
    """One section of the findings checklist: its name and (id, name, description) per finding."""

    label: str
    items: list[tuple[str, str, str]]
    first: bool

    def ticked(self, chosen: list[str]) -> bool:
        return any(item[0] in chosen for item in self.items)


def _finding_groups() -> list[FindingGroup]:
    names, words = labels(), vocabulary()
    return [
        FindingGroup(
            group.label,
            sorted(
                ((f, names.findings[f], words.findings[f]) for f in group.findings),
                key=lambda item: item[1].casefold(),
            ),
            index == 0,
        )
        for index, group in enumerate(names.finding_groups)
    ]


def page_response(
    request: Request,
    visitor: Member,
    sessions: PageSessions,
    clinic: int | None,
    patient_id: int,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    form: str | None = None,
) -> HTMLResponse:
    """The patient page; after a refused form, `form` names it so its errors show beside it."""
    actor = visitor.actor
    page = open_patient_page(
        sessions=sessions,
        actor=actor,
        clinic_id=clinic_for(actor, clinic),
        patient_id=patient_id,
    )
    outlook = outlook_of(actor, sessions, clinic_for(actor, clinic), patient_id)
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
        finding_groups=_finding_groups(),
        errors=errors or {},
        values=values or {},
        form=form,
        outlook=outlook,
        report_kinds=dict(REPORT_KINDS),
        clinic_query=f"?clinic={clinic}" if clinic is not None else "",
    )


@router.get("/patients/{patient_id}", response_class=HTMLResponse)
@answers(denied="Your role does not show identified patients.")
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


def _page_again(form: str, fields: tuple[str, ...]) -> Refill:
    """Shows the patient page again with `form`'s messages beside it and what was typed kept."""

    async def refill(request: Request, errors: dict[str, str]) -> Response:
        posted = await request.form()
        values = {name: str(posted.get(name) or "") for name in fields}
        raw = request.query_params.get("clinic")
        return page_response(
            request,
            member(request),
            sessions_of(request),
            int(raw) if raw else None,
            int(request.path_params["patient_id"]),
            status=422,
            errors=errors,
            values=values,
            form=form,
        )

    return refill


FINDING_WORDS = FormWords(
    {
        "finding": Label("Findings", "tick findings from the list"),
        "observed_on": Label("Observed on", "enter a date such as 2026-03-31"),
        "note": Label("Note"),
    }
)
REPORT_WORDS = FormWords(
    {
        "report_text": Label("Report text"),
        "report_file": Label("Report file"),
        "reports": Label("Report text"),
        "report_details": Label("Report text"),
        "text": Label("Report text"),
        "kind": Label("Kind of report", "choose one of the options"),
        "report_kind": Label("Kind of report", "choose one of the options"),
        "report_date": Label("Report date", "enter a date such as 2026-03-31"),
        "title": Label("Report title"),
        "report_title": Label("Report title"),
        "course": Label("Course since surgery", "choose one of the options"),
    }
)
READING_WORDS = FormWords({"reading": Label("Finding read from a report")})
PERFORMED_WORDS = FormWords(
    {
        "performed_on": Label("Date of surgery", "enter a date such as 2026-03-31"),
        "surgery_id": Label("Planned operation"),
    }
)
CONCLUSION_WORDS = FormWords(
    {
        "confirmed_cause": Label("Confirmed cause", "choose a cause from the list"),
        "chosen_treatment": Label("Chosen treatment", "choose a treatment from the list"),
        "plan_note": Label("Plan"),
    }
)


async def _finding_refill(request: Request, errors: dict[str, str]) -> Response:
    posted = await request.form()
    values: dict[str, Any] = {
        "finding": [str(v) for v in posted.getlist("finding")],
        "observed_on": str(posted.get("observed_on") or ""),
        "note": str(posted.get("note") or ""),
    }
    raw = request.query_params.get("clinic")
    return page_response(
        request,
        member(request),
        sessions_of(request),
        int(raw) if raw else None,
        int(request.path_params["patient_id"]),
        status=422,
        errors=errors,
        values=values,
        form="finding",
    )


@router.post(
    "/patients/{patient_id}/findings", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
@answers(refill=_finding_refill, words=FINDING_WORDS)
def add_findings(
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    finding: Annotated[list[str], Form(max_length=100)] = [],  # noqa: B006 - FastAPI copies it
    observed_on: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """The findings ticked in the grouped checklist, recorded together, then one re-assessment."""
    actor = visitor.actor
    clinic_id = clinic_for(actor, clinic)
    require_role(
        sessions, actor, clinic_id, CLINICIANS, action="finding.create", patient_id=patient_id
    )
    chosen = list(dict.fromkeys(f[:64] for f in finding if f))
    if not chosen:
        raise refuse("finding", FINDING_WORDS, "tick at least one finding")
    checked = [
        FINDING_WORDS.parse(
            NewFinding, {"finding": one, "observed_on": observed_on, "note": note or None}
        )
        for one in chosen
    ]
    record_findings(
        sessions=sessions, actor=actor, clinic_id=clinic_id, patient_id=patient_id, findings=checked
    )
    assess_patient(
        sessions=sessions,
        actor=actor,
        clinic_id=clinic_id,
        patient_id=patient_id,
        request=AssessmentRequest(),
    )
    return _back(patient_id, clinic, "finding")


async def _report_text(upload: UploadFile | None) -> list[str]:
    """The uploaded report's text, if a file was chosen: plain UTF-8 text of a sensible size."""
    if upload is None or not upload.filename:
        return []
    content = await upload.read(REPORT_BYTES + 1)
    if len(content) > REPORT_BYTES:
        raise refuse("report_file", REPORT_WORDS, "the file is too large for a text report")
    try:
        return [content.decode("utf-8")]
    except UnicodeDecodeError:
        raise refuse(
            "report_file", REPORT_WORDS, "upload the report as plain text (.txt, UTF-8)"
        ) from None


@router.post(
    "/patients/{patient_id}/assessments", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
@answers(
    refill=_page_again(
        "report", ("report_text", "course", "report_kind", "report_date", "report_title")
    ),
    words=REPORT_WORDS,
)
async def add_assessment(
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    report_text: Annotated[str, Form(max_length=20_000)] = "",
    report_file: Annotated[UploadFile | None, File()] = None,
    course: Annotated[str, Form(max_length=40)] = "",
    report_kind: Annotated[str, Form(max_length=20)] = "other",
    report_date: Annotated[str, Form(max_length=20)] = "",
    report_title: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Stores the pasted (or uploaded) report in the record with its kind, date and title, then
    assesses from the whole record."""
    actor = visitor.actor
    clinic_id = clinic_for(actor, clinic)
    require_role(
        sessions, actor, clinic_id, CLINICIANS, action="triage.assess", patient_id=patient_id
    )
    texts = [report_text] if report_text.strip() else []
    texts += await _report_text(report_file)
    if not texts:
        raise refuse("report_text", REPORT_WORDS, "paste the report's text or choose a file")
    details = [
        REPORT_WORDS.parse(
            NewReport,
            {
                "kind": report_kind or "other",
                "report_date": report_date or None,
                "title": report_title.strip() or None,
                "text": text,
            },
        )
        for text in texts
    ]
    checked = REPORT_WORDS.parse(
        AssessmentRequest, {"course": course or None, "report_details": details}
    )
    assess_patient(
        sessions=sessions, actor=actor, clinic_id=clinic_id, patient_id=patient_id, request=checked
    )
    return _back(patient_id, clinic, "assessment")


@router.post(
    "/patients/{patient_id}/assessments/{assessment_id}/conclusion",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
@answers(
    refill=_page_again("conclusion", ("confirmed_cause", "chosen_treatment", "plan_note")),
    words=CONCLUSION_WORDS,
)
def add_conclusion(
    patient_id: PageId,
    assessment_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    confirmed_cause: Annotated[str, Form(max_length=64)] = "",
    chosen_treatment: Annotated[str, Form(max_length=64)] = "",
    plan_note: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    actor = visitor.actor
    clinic_id = clinic_for(actor, clinic)
    require_role(
        sessions, actor, clinic_id, CLINICIANS, action="triage.conclude", patient_id=patient_id
    )
    if not (confirmed_cause or chosen_treatment or plan_note.strip()):
        raise refuse(
            "confirmed_cause", CONCLUSION_WORDS, "give the confirmed cause, the plan, or both"
        )
    conclude(
        sessions=sessions,
        actor=actor,
        clinic_id=clinic_id,
        patient_id=patient_id,
        assessment_id=assessment_id,
        conclusion=Conclusion(
            confirmed_cause=confirmed_cause or None,
            chosen_treatment=chosen_treatment or None,
            plan_note=plan_note.strip() or None,
        ),
    )
    return _back(patient_id, clinic, "conclusion")


@router.post(
    "/patients/{patient_id}/reassess", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
@answers(refill=_page_again("reassess", ()), words=REPORT_WORDS)
def reassess(
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> Response:
    """One button: assess again from the whole stored record, nothing to type. There is no form
    to check first, so the role is left to the service, which audits a refusal."""
    actor = visitor.actor
    assess_patient(
        sessions=sessions,
        actor=actor,
        clinic_id=clinic_for(actor, clinic),
        patient_id=patient_id,
        request=AssessmentRequest(),
    )
    return _back(patient_id, clinic, "reassessed")


@router.post(
    "/patients/{patient_id}/report-findings/reject",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
@answers(refill=_page_again("reading", ("reading",)), words=READING_WORDS)
def reject_reading(
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    reading: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """A clinician rejects a finding the reader got wrong; the patient is assessed without it."""
    actor = visitor.actor
    clinic_id = clinic_for(actor, clinic)
    require_role(
        sessions,
        actor,
        clinic_id,
        CLINICIANS,
        action="report_finding.reject",
        patient_id=patient_id,
    )
    if not reading.isdigit() or not 0 < int(reading) < 2**31:
        raise refuse("reading", READING_WORDS, "choose a finding from the list")
    reject_report_finding(
        sessions=sessions,
        actor=actor,
        clinic_id=clinic_id,
        patient_id=patient_id,
        finding_id=int(reading),
    )
    return _back(patient_id, clinic, "rejected", anchor="findings")


@router.post(
    "/patients/{patient_id}/surgeries/{surgery_id}/performed",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
@answers(refill=_page_again("performed", ("performed_on",)), words=PERFORMED_WORDS)
def mark_performed(
    patient_id: PageId,
    surgery_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    performed_on: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Staff record that a booked operation took place, so its follow-up and outcomes begin."""
    actor = visitor.actor
    performed = PERFORMED_WORDS.parse(PerformedOn, {"performed_on": performed_on or None})
    record_performed(
        sessions=sessions,
        actor=actor,
        clinic_id=clinic_for(actor, clinic),
        patient_id=patient_id,
        surgery_id=surgery_id,
        performed_on=performed.performed_on,
    )
    return _back(patient_id, clinic, "performed", anchor="timeline")
