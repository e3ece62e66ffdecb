"""The home page: what spinetrack is, and where each kind of user goes from here."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from spinetrack.web.deps import CurrentVisitor
from spinetrack.web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, visitor: CurrentVisitor) -> HTMLResponse:
    return templates.TemplateResponse(request, "home.html", {"visitor": visitor})
