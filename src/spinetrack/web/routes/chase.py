"""The chase list: patients whose follow-up questionnaire is due or overdue, and one patient's
follow-up page with the contact history and what staff can do next (record a call, issue a link
shown with a QR code, print or enter a paper form).

Registers whose coordinators chase late answers reach about nine responses in ten instead of
about half, so this page is built for working down a list by phone.
"""

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import segno
from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from spinetrack.config import get_settings
from spinetrack.domain.followup.reminders import timing
from spinetrack.domain.instruments import get_instrument, instrument_ids
from spinetrack.services.access.clinic_calendar import today_for
from spinetrack.services.access.patient_links import NewLink, issue_link
from spinetrack.services.followup.chase_list import chase_detail, chase_list
from spinetrack.services.followup.contact_history import (
    CHANNELS,
    OUTCOMES,
    NewContact,
    record_contact,
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
from spinetrack.web.forms import FormWords, Label
from spinetrack.web.pages import answers, page_route
from spinetrack.web.routes.clinic_pages import clinic_for, humanize, render

router = APIRouter(
    prefix="/chase",
    include_in_schema=False,
    route_class=page_route(
        not_found="No such patient in your clinic.",
        denied="Chasing follow-up is for the clinic's admin, clinicians and staff.",
    ),
)


@dataclass(frozen=True)
class Issued:
    url: str
    qr_svg: Markup
    expires_at: date


def _query(clinic: int | None) -> str:
    return f"?clinic={clinic}" if clinic is not None else ""


def _clinic(request: Request) -> int | None:
    raw = request.query_params.get("clinic")
    return int(raw) if raw else None


@router.get("", response_class=HTMLResponse)
def chase_page(
    request: Request, visitor: SignedIn, sessions: PageSessions, clinic: ClinicQuery = None
) -> HTMLResponse:
    clinic_id = clinic_for(visitor.actor, clinic)
    rows = chase_list(
        sessions=sessions,
        actor=visitor.actor,
        clinic_id=clinic_id,
        today=today_for(sessions, clinic_id),
    )
    return render(
        request,
        "staff/chase.html",
        visitor,
        rows=rows,
        clinic_query=_query(clinic),
        overdue=sum(1 for r in rows if r.state == "overdue"),
        paper_ids=instrument_ids(),
    )


def _options() -> dict[str, list[tuple[str, str]]]:
    return {
        "channel": [(c, humanize(c)) for c in CHANNELS],
        "outcome": [(o, humanize(o)) for o in OUTCOMES],
        "instruments": [(i, get_instrument(i).title) for i in instrument_ids()],
    }


def _detail(
    request: Request,
    visitor: Member,
    sessions: PageSessions,
    clinic: int | None,
    patient_id: int,
    status: int = 200,
    **extra: Any,
) -> HTMLResponse:
    clinic_id = clinic_for(visitor.actor, clinic)
    detail = chase_detail(
        sessions=sessions,
        actor=visitor.actor,
        clinic_id=clinic_id,
        patient_id=patient_id,
        today=today_for(sessions, clinic_id),
    )
    context: dict[str, Any] = {
        "detail": detail,
        "clinic_query": _query(clinic),
        "options": _options(),
        "contact": {"channel": "phone", "outcome": "", "note": ""},
        "errors": {},
        "issued": None,
        "link_days": timing().invitation.link_valid_days,
        "done": request.query_params.get("done", ""),
    }
    context.update(extra)
    return render(request, "staff/chase_patient.html", visitor, status, **context)


def _detail_again(request: Request, **extra: Any) -> HTMLResponse:
    """The follow-up page shown again after a refused form (its messages in `extra`)."""
    patient_id = int(request.path_params["patient_id"])
    return _detail(
        request, member(request), sessions_of(request), _clinic(request), patient_id, 422, **extra
    )


@router.get("/{patient_id}", response_class=HTMLResponse)
def patient_page(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> HTMLResponse:
    return _detail(request, visitor, sessions, clinic, patient_id)


CONTACT_FIELDS = ("channel", "outcome", "note")
CONTACT_WORDS = FormWords(
    {
        "channel": Label("How", "choose one of the options"),
        "outcome": Label("Outcome", "choose one of the options"),
        "note": Label("Note"),
        "timepoint": Label("Time point"),
    }
)


async def _contact_refill(request: Request, errors: dict[str, str]) -> Response:
    posted = await request.form()
    typed = {name: str(posted.get(name) or "") for name in CONTACT_FIELDS}
    return _detail_again(request, errors=errors, contact=typed)


@router.post("/{patient_id}/contacts", response_class=HTMLResponse, dependencies=[CsrfChecked])
@answers(refill=_contact_refill, words=CONTACT_WORDS)
def add_contact(
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    channel: Annotated[str, Form(max_length=16)] = "",
    outcome: Annotated[str, Form(max_length=24)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    timepoint: Annotated[str, Form(max_length=16)] = "",
) -> Response:
    clinic_id = clinic_for(visitor.actor, clinic)
    contact = CONTACT_WORDS.parse(
        NewContact,
        {
            "channel": channel,
            "outcome": outcome,
            "note": note or None,
            "timepoint": timepoint or None,
        },
    )
    record_contact(
        sessions=sessions,
        actor=visitor.actor,
        clinic_id=clinic_id,
        patient_id=patient_id,
        contact=contact,
    )
    sep = "&" if clinic is not None else "?"
    return RedirectResponse(
        f"/chase/{patient_id}{_query(clinic)}{sep}done=contact#history", status_code=303
    )


def _patient_url(token: str) -> str:
    """Built from the configured public address only: a request's Host header is chosen by its
    sender, and a link sent to a patient must not point wherever that sender likes."""
    return f"{get_settings().resolved_public_url()}/q/{token}"


LINK_WORDS = FormWords(
    {
        "instruments": Label("Questionnaires", "choose at least one questionnaire (at most 8)"),
        "valid_days": Label(
            "Link works for (days)", "give the number of days: a whole number from 1 to 60"
        ),
    }
)
"""The link form's problems in the words of its labels, not the validator's."""


async def _link_refill(request: Request, errors: dict[str, str]) -> Response:
    return _detail_again(request, errors=errors)


@router.post("/{patient_id}/links", response_class=HTMLResponse, dependencies=[CsrfChecked])
@answers(refill=_link_refill, words=LINK_WORDS)
async def new_link(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> Response:
    form = await request.form()
    chosen = [str(v) for v in form.getlist("instruments")]
    days = str(form.get("valid_days", ""))
    timepoint = str(form.get("timepoint", "")) or None
    clinic_id = clinic_for(visitor.actor, clinic)
    link = LINK_WORDS.parse(
        NewLink, {"instruments": chosen, "valid_days": int(days) if days.isdigit() else days}
    )
    issued = issue_link(
        sessions=sessions,
        actor=visitor.actor,
        clinic_id=clinic_id,
        patient_id=patient_id,
        link=link,
        timepoint=timepoint[:16] if timepoint else None,
    )
    url = _patient_url(issued.token)
    qr = segno.make(url, error="m").svg_inline(scale=4, title="QR code of the questionnaire link")
    # segno writes the SVG itself from the URL; nothing typed by a user reaches it unescaped.
    shown = Issued(url=url, qr_svg=Markup(qr), expires_at=issued.expires_at.date())
    response = _detail(request, visitor, sessions, clinic, patient_id, issued=shown)
    response.headers["Cache-Control"] = "no-store"
    return response
