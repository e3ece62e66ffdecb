"""The registry dashboard page (/analytics): one selection of period, region, procedure and
surgeon, with the unadjusted or the case-mix-adjusted surgeon comparison, and the downloads of the
same selection: the report (HTML, or the PDF rendered from it), the tables (CSV or Parquet) and
the de-identified records. Admins, clinicians and analysts only; every figure has passed
disclosure control, never a patient; every view and download is audited."""

from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.errors import AccessDenied
from spinetrack.web.deps import ClinicQuery, PageSessions, SignedIn
from spinetrack.web.templating import templates

router = APIRouter(include_in_schema=False)

MEDIA = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "zip": "application/zip",
}


def _text(value: str | None) -> str | None:
    return value.strip() or None if value else None


def _problem(status: int, message: str) -> HTMLResponse:
    body = f"<!doctype html><title>Analytics</title><p>{message}</p><p><a href='/'>Home</a></p>"
    return HTMLResponse(body, status_code=status)


class _Selection:
    """The query's filters, checked: a period is a year."""

    def __init__(
        self,
        period: str | None,
        region: str | None,
        procedure: str | None,
        surgeon: str | None,
    ) -> None:
        from spinetrack.analytics.dashboard import Filters

        year = _text(period)
        self.error = (
            "The period must be a year such as 2025."
            if year is not None and not (year.isdigit() and len(year) == 4)
            else None
        )
        self.filters = Filters(
            period=int(year) if year and self.error is None else None,
            region=_text(region),
            procedure=_text(procedure),
            surgeon=_text(surgeon),
        )


def _answer(visitor: SignedIn, clinic: int | None, work: Callable[[int], Response]) -> Response:
    actor = visitor.actor
    assert actor is not None
    try:
        return work(clinic if clinic is not None else actor.default_clinic())
    except NotFound:
        return _problem(404, "No such clinic.")
    except AccessDenied:
        return _problem(403, "Your role may not see the registry dashboard.")
    except InvalidInput as refused:
        return _problem(422, refused.reason)


def _download(content: bytes, kind: str, name: str) -> Response:
    return Response(
        content,
        media_type=MEDIA[kind],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


def _stem(selection: _Selection) -> str:
    f = selection.filters
    parts = [str(f.period or "all-years"), f.region, f.procedure, f.surgeon]
    words = "-".join(p for p in parts if p)
    return "registry-" + "".join(c if c.isalnum() or c in "-_" else "-" for c in words)


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
) -> Response:
    # Imported on first use: statsmodels and matplotlib take seconds to load, and every start of
    # the server (and of the crash tests' server) would otherwise pay for them.
    from spinetrack.services.analytics_registry import registry_view
    from spinetrack.services.report_document import CHARTS, context

    selection = _Selection(period, region, procedure, surgeon)
    if selection.error:
        return _problem(422, selection.error)
    if comparison not in {"unadjusted", "adjusted"}:
        return _problem(422, "Choose an unadjusted or adjusted comparison.")
    adjusted = comparison == "adjusted"
    assert visitor.actor is not None
    actor = visitor.actor

    def page(clinic_id: int) -> Response:
        dashboard = registry_view(
            sessions=sessions,
            actor=actor,
            clinic_id=clinic_id,
            filters=selection.filters,
            adjust=adjusted,
            render=lambda published: published,
        )
        query = request.url.query
        # The charts are separate images (drawn once per selection and kept): the figures and
        # tables arrive at once, the charts follow.
        images = {name: f"/analytics/chart/{name}.svg?{query}" for name in CHARTS}
        return templates.TemplateResponse(
            request,
            "analytics/dashboard.html",
            {
                "visitor": visitor,
                "clinic_param": clinic,
                "adjusted_requested": adjusted,
                "query": f"?{query}" if query else "",
                **context(dashboard, adjusted=adjusted, images=images),
            },
        )

    return _answer(visitor, clinic, page)


@router.get("/analytics/report.{fmt}")
def report_file(
    visitor: SignedIn,
    sessions: PageSessions,
    fmt: Literal["html", "pdf"],
    period: str | None = None,
    region: str | None = None,
    procedure: str | None = None,
    surgeon: str | None = None,
    clinic: ClinicQuery = None,
) -> Response:
    """The report of the selection, as the self-contained HTML file or its PDF."""
    from spinetrack.services.report_document import report_download

    selection = _Selection(period, region, procedure, surgeon)
    if selection.error:
        return _problem(422, selection.error)
    assert visitor.actor is not None
    actor = visitor.actor

    def made(clinic_id: int) -> Response:
        content = report_download(
            sessions=sessions,
            actor=actor,
            clinic_id=clinic_id,
            filters=selection.filters,
            fmt=fmt,
        )
        return _download(content, fmt, f"{_stem(selection)}.{fmt}")

    return _answer(visitor, clinic, made)


@router.get("/analytics/tables.{fmt}.zip")
def tables_file(
    visitor: SignedIn,
    sessions: PageSessions,
    fmt: Literal["csv", "parquet"],
    period: str | None = None,
    region: str | None = None,
    procedure: str | None = None,
    surgeon: str | None = None,
    clinic: ClinicQuery = None,
) -> Response:
    """The dashboard's tables (as published) for the selection, one file each, zipped."""
    from spinetrack.services.analytics_registry import dashboard_tables

    selection = _Selection(period, region, procedure, surgeon)
    if selection.error:
        return _problem(422, selection.error)
    assert visitor.actor is not None
    actor = visitor.actor

    def made(clinic_id: int) -> Response:
        content = dashboard_tables(
            sessions=sessions,
            actor=actor,
            clinic_id=clinic_id,
            filters=selection.filters,
            fmt=fmt,
        )
        return _download(content, "zip", f"{_stem(selection)}-tables-{fmt}.zip")

    return _answer(visitor, clinic, made)


@router.get("/analytics/deidentified.zip")
def deidentified_file(
    visitor: SignedIn,
    sessions: PageSessions,
    period: Annotated[str | None, Query()] = None,
    region: str | None = None,
    procedure: str | None = None,
    surgeon: str | None = None,
    clinic: ClinicQuery = None,
) -> Response:
    """The de-identified records of the selection's patients (CSV tables, zipped)."""
    from spinetrack.config import get_settings
    from spinetrack.services.analytics_registry import deidentified_selection

    selection = _Selection(period, region, procedure, surgeon)
    if selection.error:
        return _problem(422, selection.error)
    assert visitor.actor is not None
    actor = visitor.actor

    def made(clinic_id: int) -> Response:
        content = deidentified_selection(
            sessions=sessions,
            actor=actor,
            clinic_id=clinic_id,
            filters=selection.filters,
            secret_key=get_settings().resolved_secret_key(),
        )
        return _download(content, "zip", f"{_stem(selection)}-deidentified.zip")

    return _answer(visitor, clinic, made)


@router.get("/analytics/chart/{name}.svg")
def chart_image(
    visitor: SignedIn,
    sessions: PageSessions,
    name: Literal["outcome", "trajectory", "funnel", "survival"],
    period: str | None = None,
    region: str | None = None,
    procedure: str | None = None,
    surgeon: str | None = None,
    comparison: str = "unadjusted",
    clinic: ClinicQuery = None,
) -> Response:
    """One chart of the dashboard page as an SVG image, drawn once per selection and data version."""
    from spinetrack.analytics.plots import svg_bytes
    from spinetrack.services.analytics_registry import registry_view
    from spinetrack.services.report_document import chart

    selection = _Selection(period, region, procedure, surgeon)
    if selection.error:
        return _problem(422, selection.error)
    adjusted = comparison == "adjusted"
    assert visitor.actor is not None
    actor = visitor.actor

    def drawn(clinic_id: int) -> Response:
        svg = registry_view(
            sessions=sessions,
            actor=actor,
            clinic_id=clinic_id,
            filters=selection.filters,
            adjust=adjusted,
            render=lambda published: svg_bytes(chart(published, name, adjusted=adjusted)),
            name=f"chart-{name}",
        )
        return Response(
            svg, media_type="image/svg+xml", headers={"Cache-Control": "private, no-store"}
        )

    return _answer(visitor, clinic, drawn)
