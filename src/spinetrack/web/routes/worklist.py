"""The worklist page (the landing page of clinical users): sections, filters, counts and paging.

Filters are a plain GET form, so a filtered list is a link a surgeon can bookmark or share, and the
page works without JavaScript.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from spinetrack.domain.vocabulary import vocabulary
from spinetrack.services.clinician.worklist import SECTIONS, WorklistFilters, open_worklist
from spinetrack.web.charts import timepoint_label
from spinetrack.web.deps import ClinicQuery, PageSessions, SignedIn, member
from spinetrack.web.forms import FormWords, Label, refuse
from spinetrack.web.pages import Problem, answers, page_route
from spinetrack.web.routes.clinic_pages import (
    STATUS_LABELS,
    clinic_for,
    clinical_clinics,
    date_shower,
    humanize,
    render,
    term,
)

router = APIRouter(
    include_in_schema=False,
    route_class=page_route(
        not_found="No such clinic among yours.",
        denied="The worklist shows identified patients; your role in this clinic does not.",
    ),
)
Choice = Annotated[str, Query(max_length=40)]


def _options(surgeons: list[tuple[int, str]]) -> dict[str, list[tuple[str, str]]]:
    """(value, label) pairs of each filter's select."""
    words = vocabulary()
    return {
        "surgeon": [(str(i), name) for i, name in surgeons],
        "region": [(r, humanize(r)) for r in words.regions],
        "procedure": [(p, term("procedures", p)) for p in words.procedures],
        "status": list(STATUS_LABELS.items()),
    }


FILTER_FIELDS = ("surgeon", "region", "procedure", "status")
FILTER_WORDS = FormWords(
    {
        "surgeon": Label("Surgeon", "choose a surgeon from the list"),
        "region": Label("Region", "choose a region from the list"),
        "procedure": Label("Procedure", "choose a procedure from the list"),
        "status": Label("Status", "choose a status from the list"),
    }
)
ANALYST = (
    "The worklist shows identified patients; your analyst role sees the de-identified "
    "analytics instead."
)


def _surgeon(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise refuse("surgeon", FILTER_WORDS, "choose a surgeon from the list")
    return int(value)


def _own_default(request: Request, user_id: int | None, role: str | None) -> str | None:
    """A surgeon opening the worklist sees their own patients first: with no surgeon chosen in
    the address (the filter form always sends one, "" for all), a clinician's list is filtered
    to the patients they operated on. Others (administrators, staff) see the whole clinic."""
    if "surgeon" in request.query_params or role != "clinician" or user_id is None:
        return None
    return str(user_id)


def _refused_filters(request: Request, errors: dict[str, str]) -> HTMLResponse:
    """The worklist without a listing: only the filters, with what was refused marked."""
    typed = {name: request.query_params.get(name, "") for name in FILTER_FIELDS}
    return render(
        request,
        "clinic/worklist.html",
        member(request),
        422,
        listing=None,
        options=_options([]),
        typed=typed,
        errors={k: v for k, v in errors.items() if k in typed} or errors,
    )


@router.get("/worklist", response_class=HTMLResponse)
@answers(refill=_refused_filters, words=FILTER_WORDS)
def worklist(
    request: Request,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    surgeon: Choice = "",
    region: Choice = "",
    procedure: Choice = "",
    status: Choice = "",
    red_flags_page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    failing_page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    losing_ground_page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    followups_page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    actor = visitor.actor
    if clinic is None and actor.roles and not clinical_clinics(actor):
        raise Problem(403, ANALYST)
    own = _own_default(request, actor.user_id, actor.roles.get(clinic_for(actor, clinic)))
    if own is not None:
        surgeon = own
    typed = {"surgeon": surgeon, "region": region, "procedure": procedure, "status": status}
    pages = {
        "red_flags": red_flags_page,
        "failing": failing_page,
        "losing_ground": losing_ground_page,
        "followups": followups_page,
    }
    filters = WorklistFilters(_surgeon(surgeon), region or None, procedure or None, status or None)
    listing = open_worklist(
        sessions=sessions,
        actor=actor,
        clinic_id=clinic_for(actor, clinic),
        filters=filters,
        pages=pages,
    )
    query = {k: v for k, v in typed.items() if v}
    if clinic is not None:
        query["clinic"] = str(clinic)
    return render(
        request,
        "clinic/worklist.html",
        visitor,
        listing=listing,
        options=_options(listing.surgeons),
        typed=typed,
        errors={},
        sections=SECTIONS,
        pages=pages,
        query=query,
        show=date_shower(listing.date_format),
        timepoint_label=timepoint_label,
        own=own is not None,
    )
