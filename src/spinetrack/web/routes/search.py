"""Find a patient: the results page behind the search box in every clinical page's header.

A GET form, so a search is a link that can be reloaded or shared within the clinic, and the page
works without JavaScript. Analysts get the same refusal as on the worklist: they see de-identified
analytics, never a list of names.
"""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from spinetrack.domain.patient_query import FIELD
from spinetrack.services.records.patient_search import MAX_RESULTS, search_patients
from spinetrack.web.deps import ClinicQuery, PageSessions, SignedIn, member
from spinetrack.web.forms import FormWords, Label
from spinetrack.web.pages import Problem, answers, page_route
from spinetrack.web.routes.clinic_pages import clinic_for, clinical_clinics, date_shower, render

router = APIRouter(
    include_in_schema=False,
    route_class=page_route(
        not_found="No such clinic among yours.",
        denied="Finding patients lists identified patients; your role in this clinic does not.",
    ),
)
WORDS = FormWords({FIELD: Label("Find a patient", "type a name, an MRN or a birth date")})
ANALYST = (
    "Finding patients lists identified patients; your analyst role sees the de-identified "
    "analytics instead."
)


def _refused(request: Request, errors: dict[str, str]) -> HTMLResponse:
    """The search page again, the text kept, the box marked with what is wrong."""
    return render(
        request,
        "clinic/search.html",
        member(request),
        422,
        typed=request.query_params.get(FIELD, ""),
        found=None,
        errors=errors,
        limit=MAX_RESULTS,
    )


@router.get("/patients", response_class=HTMLResponse)
@answers(refill=_refused, words=WORDS)
def find_patients(
    request: Request,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
    q: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    actor = visitor.actor
    if clinic is None and actor.roles and not clinical_clinics(actor):
        raise Problem(403, ANALYST)
    clinic_id = clinic_for(actor, clinic)
    if not q.strip():
        actor.require(clinic_id)
        return render(
            request, "clinic/search.html", visitor, typed="", found=None, errors={}, limit=0
        )
    search = search_patients(sessions=sessions, actor=actor, clinic_id=clinic_id, text=q)
    return render(
        request,
        "clinic/search.html",
        visitor,
        typed=q,
        found=search.results,
        errors={},
        limit=MAX_RESULTS,
        show=date_shower(search.date_format),
    )
