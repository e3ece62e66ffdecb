"""The chase list: patients whose follow-up questionnaire is due or overdue, and one patient's
follow-up page with the contact history and what staff can do next (record a call, issue a link
shown with a QR code, print or enter a paper form).

Registers whose coordinators chase late answers reach about nine responses in ten instead of
about half, so this page is built for working down a list by phone.
"""

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

import segno
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from spinetrack.config import get_settings
from spinetrack.domain.followup.reminders import timing
from spinetrack.domain.instruments import get_instrument, instrument_ids
from spinetrack.domain.outcomes import schedule
from spinetrack.services.access.clinic_calendar import today_for
from spinetrack.services.access.patient_links import LinkSummary, NewLink, issue_link, revoke_link
from spinetrack.services.followup.chase_list import ChaseDetail, ChaseRow, chase_detail, chase_list
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


PAGE_SIZE = 50
SORTS = {
    "late": "Longest late first",
    "due": "Due day, earliest first",
    "name": "Name",
}
STATES = {"": "Due and overdue", "overdue": "Overdue only", "due": "Due only"}


def _folded(text: str) -> str:
    """Lower case without accents, so "Núñez" is found by "nunez"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class ChaseView:
    """One page of the chase list as asked for: searched, filtered, sorted."""

    rows: list[ChaseRow]
    total: int
    overdue: int
    page: int
    pages: int


def _chase_view(
    rows: list[ChaseRow], q: str, state: str, timepoint: str, sort: str, page: int
) -> ChaseView:
    wanted = _folded(q.strip())
    found = [
        row
        for row in rows
        if (not wanted or wanted in _folded(row.name) or wanted in _folded(row.mrn))
        and (not state or row.state == state)
        and (not timepoint or row.timepoint == timepoint)
    ]
    if sort == "name":
        found.sort(key=lambda row: _folded(row.name))
    elif sort == "due":
        found.sort(key=lambda row: (row.due_on, _folded(row.name)))
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(page, pages)
    shown = found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    overdue = sum(1 for row in found if row.state == "overdue")
    return ChaseView(shown, len(found), overdue, page, pages)


@router.get("", response_class=HTMLResponse)
def chase_page(
    request: Request,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    q: Annotated[str, Query(max_length=100)] = "",
    state: Annotated[str, Query(pattern="^(|due|overdue)$")] = "",
    timepoint: Annotated[str, Query(max_length=16)] = "",
    sort: Annotated[str, Query(pattern="^(late|due|name)$")] = "late",
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    """The list to work down by phone: search by name or MRN, filter, sort and page through it;
    every choice is in the address, so a filtered list is a link."""
    clinic_id = clinic_for(visitor.actor, clinic)
    rows = chase_list(
        sessions=sessions,
        actor=visitor.actor,
        clinic_id=clinic_id,
        today=today_for(sessions, clinic_id),
    )
    view = _chase_view(rows, q, state, timepoint, sort, page)
    chosen = {"q": q, "state": state, "timepoint": timepoint, "sort": sort}
    query = {k: v for k, v in chosen.items() if v and not (k == "sort" and v == "late")}
    if clinic is not None:
        query["clinic"] = str(clinic)
    return render(
        request,
        "staff/chase.html",
        visitor,
        view=view,
        rows=view.rows,
        chosen=chosen,
        query=urlencode(query),
        sorts=SORTS,
        states=STATES,
        timepoints=[t.id for t in schedule() if t.id != "baseline"],
        clinic=clinic,
        clinic_query=_query(clinic),
        overdue=view.overdue,
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
    issued = _issued(request)
    response = _detail(request, visitor, sessions, clinic, patient_id, issued=issued)
    if issued is not None:  # shown once: the next look at the page no longer has it
        response.delete_cookie(ISSUED_COOKIE, path=f"/chase/{patient_id}")
        response.headers["Cache-Control"] = "no-store"
    return response


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


ISSUED_COOKIE = "spinetrack_issued"
"""Carries a just-issued link from the POST to the page it redirects to, once: the link's secret
is never put in an address (it would sit in the history and the logs), and a reload of that page
shows it no more, as the page promises."""
ISSUED_SECONDS = 300


def _open_for(detail: ChaseDetail, timepoint: str | None) -> LinkSummary | None:
    """An open link already issued for this time point (links without one match each other)."""
    return next(
        (link for link in detail.links if link.state == "open" and link.timepoint == timepoint),
        None,
    )


@router.post("/{patient_id}/links", response_class=HTMLResponse, dependencies=[CsrfChecked])
@answers(refill=_link_refill, words=LINK_WORDS)
async def new_link(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> Response:
    """Issue a link, then redirect to the follow-up page, which shows it once (post/redirect/get).
    A second post for the same time point while a link is open issues nothing: a reload or a
    double click must not put two live links in the patient's hands."""
    form = await request.form()
    chosen = [str(v) for v in form.getlist("instruments")]
    days = str(form.get("valid_days", ""))
    timepoint = str(form.get("timepoint", ""))[:16] or None
    clinic_id = clinic_for(visitor.actor, clinic)
    link = LINK_WORDS.parse(
        NewLink, {"instruments": chosen, "valid_days": int(days) if days.isdigit() else days}
    )
    detail = chase_detail(
        sessions=sessions,
        actor=visitor.actor,
        clinic_id=clinic_id,
        patient_id=patient_id,
        today=today_for(sessions, clinic_id),
    )
    target = f"/chase/{patient_id}{_query(clinic)}{'&' if clinic is not None else '?'}"
    if _open_for(detail, timepoint) is not None:
        return RedirectResponse(target + "done=link_open#links", status_code=303)
    issued = issue_link(
        sessions=sessions,
        actor=visitor.actor,
        clinic_id=clinic_id,
        patient_id=patient_id,
        link=link,
        timepoint=timepoint,
    )
    response = RedirectResponse(target + "done=link#issued", status_code=303)
    response.set_cookie(
        ISSUED_COOKIE,
        f"{issued.expires_at.date().isoformat()} {_patient_url(issued.token)}",
        max_age=ISSUED_SECONDS,
        path=f"/chase/{patient_id}",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


def _issued(request: Request) -> Issued | None:
    """The link issued just before this page was asked for, if any (see `ISSUED_COOKIE`)."""
    raw = request.cookies.get(ISSUED_COOKIE, "")
    expires, _, url = raw.partition(" ")
    if not url.startswith(get_settings().resolved_public_url() + "/q/"):
        return None
    try:
        until = date.fromisoformat(expires)
    except ValueError:
        return None
    qr = segno.make(url, error="m").svg_inline(scale=4, title="QR code of the questionnaire link")
    # segno writes the SVG itself from the URL; nothing typed by a user reaches it unescaped.
    return Issued(url=url, qr_svg=Markup(qr), expires_at=until)


@router.post(
    "/{patient_id}/links/{link_id}/withdraw",
    response_class=HTMLResponse,
    dependencies=[CsrfChecked],
)
def withdraw_link(
    patient_id: PageId,
    link_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> Response:
    """Withdraw a link (lost phone, wrong patient): it stops working at once."""
    revoke_link(
        sessions=sessions,
        actor=visitor.actor,
        clinic_id=clinic_for(visitor.actor, clinic),
        patient_id=patient_id,
        link_id=link_id,
    )
    sep = "&" if clinic is not None else "?"
    return RedirectResponse(
        f"/chase/{patient_id}{_query(clinic)}{sep}done=withdrawn#links", status_code=303
    )
