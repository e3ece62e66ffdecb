"""The worklist page (the landing page of clinical users): sections, filters, counts and paging.

Filters are a plain GET form, so a filtered list is a link a surgeon can bookmark or share, and the
page works without JavaScript.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.domain.vocabulary import vocabulary
from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.clinician.worklist import SECTIONS, WorklistFilters, open_worklist
from spinetrack.web.charts import timepoint_label
from spinetrack.web.deps import ClinicQuery, PageSessions, SignedIn
from spinetrack.web.routes.clinic_pages import (
    STATUS_LABELS,
    clinic_for,
    date_shower,
    humanize,
    not_allowed,
    not_found,
    render,
)

router = APIRouter(include_in_schema=False)
Choice = Annotated[str, Query(max_length=40)]


def _options(surgeons: list[tuple[int, str]]) -> dict[str, list[tuple[str, str]]]:
    """(value, label) pairs of each filter's select."""
    words = vocabulary()
    return {
        "surgeon": [(str(i), name) for i, name in surgeons],
        "region": [(r, humanize(r)) for r in words.regions],
        "procedure": [(p, humanize(p)) for p in words.procedures],
        "status": list(STATUS_LABELS.items()),
    }


def _surgeon(value: str) -> int | None:
    if not value:
        return None
    if not value.isdigit():
        raise InvalidInput("surgeon", "choose a surgeon from the list")
    return int(value)


@router.get("/worklist", response_class=HTMLResponse)
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
    followups_page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> HTMLResponse:
    actor = visitor.actor
    assert actor is not None
    typed = {"surgeon": surgeon, "region": region, "procedure": procedure, "status": status}
    pages = {
        "red_flags": red_flags_page,
        "failing": failing_page,
        "followups": followups_page,
    }
    try:
        clinic_id = clinic_for(actor, clinic)
        filters = WorklistFilters(
            _surgeon(surgeon), region or None, procedure or None, status or None
        )
        listing = open_worklist(
            sessions=sessions, actor=actor, clinic_id=clinic_id, filters=filters, pages=pages
        )
    except InvalidInput as exc:
        if exc.field not in typed:
            raise
        return render(
            request,
            "clinic/worklist.html",
            visitor,
            422,
            listing=None,
            options=_options([]),
            typed=typed,
            errors={exc.field: exc.reason},
        )
    except NotFound:
        if clinic is None and actor.roles:
            return not_allowed(
                request,
                visitor,
                "The worklist shows identified patients; your analyst role sees the "
                "de-identified analytics instead.",
            )
        return not_found(request, visitor, "No such clinic among yours.")
    except AccessDenied:
        return not_allowed(
            request,
            visitor,
            "The worklist shows identified patients; your role in this clinic does not.",
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
    )
