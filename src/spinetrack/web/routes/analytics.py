"""The registry dashboard page (/analytics): one selection of period, region, procedure and
surgeon, with the unadjusted or the case-mix-adjusted surgeon comparison. Admins, clinicians and
analysts only; it shows aggregate figures, never a patient."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from spinetrack.domain.errors import NotFound
from spinetrack.services.errors import AccessDenied
from spinetrack.web.deps import ClinicQuery, PageSessions, SignedIn
from spinetrack.web.templating import templates

router = APIRouter(include_in_schema=False)


def _text(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _problem(request: Request, visitor: SignedIn, status: int, message: str) -> HTMLResponse:
    body = f"<!doctype html><title>Analytics</title><p>{message}</p><p><a href='/'>Home</a></p>"
    return HTMLResponse(body, status_code=status)


@router.get("/analytics", response_class=HTMLResponse)
def dashboard_page(
    request: Request,
    visitor: SignedIn,
    sessions: PageSessions,
    period: str | None = None,
    region: str | None = None,
    procedure: str | None = None,
    surgeon: str | None = None,
    comparison: str = "unadjusted",
    clinic: ClinicQuery = None,
) -> HTMLResponse:
    # Imported on first use: statsmodels and matplotlib take seconds to load, and every start of
    # the server (and of the crash tests' server) would otherwise pay for them.
    from spinetrack.analytics.dashboard import Filters
    from spinetrack.services.analytics_registry import registry_dashboard
    from spinetrack.services.report_document import context, figures

    actor = visitor.actor
    assert actor is not None
    year = _text(period)
    if year is not None and not (year.isdigit() and len(year) == 4):
        return _problem(request, visitor, 422, "The period must be a year such as 2025.")
    if comparison not in {"unadjusted", "adjusted"}:
        return _problem(request, visitor, 422, "Choose an unadjusted or adjusted comparison.")
    filters = Filters(
        period=int(year) if year else None,
        region=_text(region),
        procedure=_text(procedure),
        surgeon=_text(surgeon),
    )
    adjusted = comparison == "adjusted"
    try:
        clinic_id = clinic if clinic is not None else actor.default_clinic()
        dashboard = registry_dashboard(
            sessions=sessions, actor=actor, clinic_id=clinic_id, filters=filters, adjust=adjusted
        )
    except NotFound:
        return _problem(request, visitor, 404, "No such clinic.")
    except AccessDenied:
        return _problem(request, visitor, 403, "Your role may not see the registry dashboard.")
    images = figures(dashboard, adjusted=adjusted).data_uris()
    return templates.TemplateResponse(
        request,
        "analytics/dashboard.html",
        {
            "visitor": visitor,
            "clinic_param": clinic,
            "adjusted_requested": adjusted,
            **context(dashboard, adjusted=adjusted, images=images),
        },
    )
