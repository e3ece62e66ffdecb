"""The public consultation request: a patient describes their surgery and symptoms and asks the
clinic to contact them. No sign-in.

The red-flag screening comes first, on a screen of its own: with JavaScript the instruction to get
emergency care appears the moment a warning sign is answered "yes"; without it, the next screen
opens with that instruction before anything else. The request is then stored marked urgent.
"""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from spinetrack.domain.consultations import Question, raised, screening, urgency_of
from spinetrack.services.patient_side.consultations import (
    NewConsultation,
    PublicClinic,
    public_clinics,
    submit_consultation,
)
from spinetrack.web.deps import (
    FORM_COOKIE,
    CsrfChecked,
    CurrentVisitor,
    PageSessions,
    Visitor,
    sessions_of,
)
from spinetrack.web.pages import answers, page_route
from spinetrack.web.templating import templates

REGIONS = ("neck", "back", "both")
DETAIL_FIELDS = (
    "surgery_when",
    "surgery_what",
    "symptoms",
    "given_name",
    "family_name",
    "birth_date",
    "email",
    "phone",
    "contact_preference",
)
NO_STORE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}


def _page(
    request: Request, name: str, visitor: Visitor, status: int = 200, **context: object
) -> HTMLResponse:
    response = templates.TemplateResponse(
        request, name, {"visitor": visitor, **context}, status_code=status
    )
    response.headers.update(NO_STORE)
    form_cookie = getattr(request.state, "form_cookie", None)
    if visitor.actor is None and form_cookie:
        response.set_cookie(
            FORM_COOKIE,
            form_cookie,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
    return response


def _visitor(request: Request) -> Visitor:
    found = getattr(request.state, "visitor", None)
    assert isinstance(found, Visitor)  # every route here depends on CurrentVisitor
    return found


def _no_such_clinic(request: Request, _: Exception) -> HTMLResponse:
    return _unknown_clinic(request, _visitor(request), sessions_of(request))


router = APIRouter(
    prefix="/consult", include_in_schema=False, route_class=page_route(not_found=_no_such_clinic)
)


def _clinic(sessions: PageSessions, slug: str) -> PublicClinic | None:
    return next((c for c in public_clinics(sessions=sessions) if c.slug == slug), None)


def _unknown_clinic(request: Request, visitor: Visitor, sessions: PageSessions) -> HTMLResponse:
    return _page(
        request,
        "patient/consult_choose.html",
        visitor,
        404,
        clinics=public_clinics(sessions=sessions),
        unknown=True,
    )


def _screening_page(
    request: Request,
    visitor: Visitor,
    clinic: PublicClinic,
    *,
    region: str = "",
    answers: dict[str, bool] | None = None,
    missing: list[str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    return _page(
        request,
        "patient/consult_screening.html",
        visitor,
        status,
        clinic=clinic,
        clinic_name=clinic.name,
        screening=screening(),
        region=region,
        answers=answers or {},
        missing=missing or [],
        shown=urgency_of(_hits(answers or {})),
    )


@router.get("", response_class=HTMLResponse)
def start(request: Request, visitor: CurrentVisitor, sessions: PageSessions) -> HTMLResponse:
    clinics = public_clinics(sessions=sessions)
    if len(clinics) == 1:
        return _screening_page(request, visitor, clinics[0])
    return _page(request, "patient/consult_choose.html", visitor, clinics=clinics, unknown=False)


@router.get("/{slug}", response_class=HTMLResponse)
def screening_form(
    request: Request, slug: str, visitor: CurrentVisitor, sessions: PageSessions
) -> HTMLResponse:
    clinic = _clinic(sessions, slug)
    if clinic is None:
        return _unknown_clinic(request, visitor, sessions)
    return _screening_page(request, visitor, clinic)


def _screening_answers(form: FormData) -> tuple[str, dict[str, bool], list[str]]:
    """The region and yes/no answers posted, and which required ones are missing."""
    region = str(form.get("region", ""))
    answers: dict[str, bool] = {}
    for question in screening().questions:
        value = form.get(f"flag_{question.id}")
        if value in ("yes", "no"):
            answers[question.id] = value == "yes"
    missing = [] if region in REGIONS else ["region"]
    if region in REGIONS:
        missing += [q.id for q in screening().for_region(region) if q.id not in answers]
    return region, answers, missing


def _hits(answers: dict[str, bool]) -> list[Question]:
    return raised(screening().questions, {q for q, yes in answers.items() if yes})


def _details_page(
    request: Request,
    visitor: Visitor,
    clinic: PublicClinic,
    region: str,
    answers: dict[str, bool],
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, bool] | None = None,
    status: int = 200,
) -> HTMLResponse:
    hits = _hits(answers)
    urgency = urgency_of(hits)
    return _page(
        request,
        "patient/consult_details.html",
        visitor,
        status,
        clinic=clinic,
        clinic_name=clinic.name,
        region=region,
        answers=answers,
        hits=hits,
        instruction=screening().instructions[urgency] if urgency else None,
        values=values or {"contact_preference": "phone"},
        errors=errors or {},
    )


@router.post("/{slug}/screening", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def screening_answered(
    request: Request, slug: str, visitor: CurrentVisitor, sessions: PageSessions
) -> HTMLResponse:
    clinic = _clinic(sessions, slug)
    if clinic is None:
        return _unknown_clinic(request, visitor, sessions)
    region, answers, missing = _screening_answers(await request.form())
    if missing:
        # A warning sign already answered "yes" is shown even though the form is incomplete.
        return _screening_page(
            request, visitor, clinic, region=region, answers=answers, missing=missing, status=422
        )
    return _details_page(request, visitor, clinic, region, answers)


def _details(form: FormData) -> dict[str, str]:
    return {name: str(form.get(name, "")).strip()[:4000] for name in DETAIL_FIELDS}


async def _details_again(request: Request, errors: dict[str, str]) -> Response:
    """The details screen again, as typed, with the refused fields marked (the page says why in
    the patient's language; the keys are all it needs)."""
    sessions = sessions_of(request)
    clinic = _clinic(sessions, request.path_params["slug"])
    visitor = _visitor(request)
    if clinic is None:
        return _unknown_clinic(request, visitor, sessions)
    form = await request.form()
    region, answers_given, _ = _screening_answers(form)
    marked = {name.split(".")[0]: True for name in errors}
    return _details_page(
        request,
        visitor,
        clinic,
        region,
        answers_given,
        values=_details(form),
        errors=marked,
        status=422,
    )


@router.post("/{slug}", response_class=HTMLResponse, dependencies=[CsrfChecked])
@answers(refill=_details_again)
async def send(
    request: Request, slug: str, visitor: CurrentVisitor, sessions: PageSessions
) -> HTMLResponse:
    clinic = _clinic(sessions, slug)
    if clinic is None:
        return _unknown_clinic(request, visitor, sessions)
    form = await request.form()
    region, answers, missing = _screening_answers(form)
    if missing:
        return _screening_page(
            request, visitor, clinic, region=region, answers=answers, missing=missing, status=422
        )
    values = _details(form)
    raw: dict[str, object] = {name: value or None for name, value in values.items()}
    raw["symptoms"] = values["symptoms"]
    raw["given_name"] = values["given_name"]
    raw["family_name"] = values["family_name"]
    raw["contact_preference"] = values["contact_preference"] or "phone"
    request_in = NewConsultation.model_validate(
        {**raw, "region": region, "screening": answers, "consent": form.get("consent") == "yes"}
    )
    received = submit_consultation(
        sessions=sessions,
        clinic_slug=clinic.slug,
        request=request_in,
        remote=request.client.host if request.client else None,
    )
    return _page(
        request,
        "patient/consult_sent.html",
        visitor,
        clinic=clinic,
        clinic_name=clinic.name,
        reference=received.reference,
        hits=received.raised,
        instruction=screening().instructions[received.urgency] if received.urgency else None,
        contact=request_in.contact_preference,
    )
