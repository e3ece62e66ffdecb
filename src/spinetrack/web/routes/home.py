"""The home page: what spinetrack is, and where each kind of user goes from here.

Signed-in users do not stop here: whoever sees identified patients lands on the worklist (what a
surgeon opens every morning), an analyst on the de-identified analytics.
"""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from spinetrack.services.access.actor import CLINICAL_ROLES
from spinetrack.web.deps import CurrentVisitor
from spinetrack.web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, visitor: CurrentVisitor) -> Response:
    actor = visitor.actor
    if actor is not None and actor.roles:
        if any(role in CLINICAL_ROLES for role in actor.roles.values()):
            return RedirectResponse("/worklist", status_code=303)
        return RedirectResponse("/analytics", status_code=303)
    return templates.TemplateResponse(request, "home.html", {"visitor": visitor})
