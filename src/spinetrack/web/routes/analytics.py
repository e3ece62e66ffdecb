"""The registry dashboard page (/analytics): one selection of period, region, procedure and
surgeon, with the unadjusted or the case-mix-adjusted surgeon comparison, and the downloads of the
same selection: the report (HTML, or the PDF rendered from it), the tables (CSV or Parquet) and
the de-identified records. Admins, clinicians and analysts only; every figure has passed
disclosure control, never a patient; every view and download is audited."""

from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from spinetrack.services.access.actor import Actor
from spinetrack.web.deps import ClinicQuery, PageSessions, SignedIn
from spinetrack.web.pages import Problem, page_route
from spinetrack.web.templating import templates

router = APIRouter(
    include_in_schema=False,
    route_class=page_route(
        not_found="No such clinic.", denied="Your role may not see the registry dashboard."
    ),
)

MEDIA = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "zip": "application/zip",
}


def _text(value: str | None) -> str | None:
    return value.strip() or None if value else None


class _Selection:
    """The query's filters, checked: a period is a year."""

    def __init__(
        self,
        period: str | None = None,
        region: str | None = None,
        procedure: str | None = None,
        surgeon: str | None = None,
    ) -> None:
        from spinetrack.analytics.dashboard import DashboardFilters

        year = _text(period)
        self.error = (
            "The period must be a year such as 2025."
            if year is not None and not (year.isdigit() and len(year) == 4)
            else None
        )
        self.filters = DashboardFilters(
            period=int(year) if year and self.error is None else None,
            region=_text(region),
            procedure=_text(procedure),
            surgeon=_text(surgeon),
        )


Selected = Annotated[_Selection, Depends()]
"""The selection from the query string (period, region, procedure, surgeon)."""


def _for_selection(
    visitor: SignedIn,
    clinic: int | None,
    selection: _Selection,
    work: Callable[[Actor, int], Response],
) -> Response:
    """Refuse a malformed selection, then run `work` for the caller and clinic."""
    if selection.error:
        raise Problem(422, selection.error)
    actor = visitor.actor
    return work(actor, clinic if clinic is not None else actor.default_clinic())


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
    selection: Selected,
    comparison: str = "unadjusted",
    clinic: ClinicQuery = None,
) -> Response:
    """The dashboard of one selection; the figures come at once, the charts as separate images."""
    # Imported on first use: statsmodels and matplotlib take seconds to load, and every start of
    # the server (and of the crash tests' server) would otherwise pay for them.
    from spinetrack.services.reporting.analytics_registry import registry_view
    from spinetrack.services.reporting.report_layout import CHARTS, context

    if comparison not in {"unadjusted", "adjusted"}:
        raise Problem(422, "Choose an unadjusted or adjusted comparison.")
    adjusted = comparison == "adjusted"

    def page(actor: Actor, clinic_id: int) -> Response:
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

    return _for_selection(visitor, clinic, selection, page)


@router.get("/analytics/report.{fmt}")
def report_file(
    visitor: SignedIn,
    sessions: PageSessions,
    fmt: Literal["html", "pdf"],
    selection: Selected,
    clinic: ClinicQuery = None,
) -> Response:
    """The report of the selection, as the self-contained HTML file or its PDF."""
    from spinetrack.services.reporting.report_document import report_download

    def made(actor: Actor, clinic_id: int) -> Response:
        content = report_download(
            sessions=sessions, actor=actor, clinic_id=clinic_id, filters=selection.filters, fmt=fmt
        )
        return _download(content, fmt, f"{_stem(selection)}.{fmt}")

    return _for_selection(visitor, clinic, selection, made)


@router.get("/analytics/tables.{fmt}.zip")
def tables_file(
    visitor: SignedIn,
    sessions: PageSessions,
    fmt: Literal["csv", "parquet"],
    selection: Selected,
    clinic: ClinicQuery = None,
) -> Response:
    """The dashboard's tables (as published) for the selection, one file each, zipped."""
    from spinetrack.services.reporting.analytics_registry import dashboard_tables

    def made(actor: Actor, clinic_id: int) -> Response:
        content = dashboard_tables(
            sessions=sessions, actor=actor, clinic_id=clinic_id, filters=selection.filters, fmt=fmt
        )
        return _download(content, "zip", f"{_stem(selection)}-tables-{fmt}.zip")

    return _for_selection(visitor, clinic, selection, made)


@router.get("/analytics/deidentified.zip")
def deidentified_file(
    visitor: SignedIn,
    sessions: PageSessions,
    selection: Selected,
    clinic: ClinicQuery = None,
) -> Response:
    """The de-identified records of the selection's patients (CSV tables, zipped)."""
    from spinetrack.config import get_settings
    from spinetrack.services.reporting.analytics_registry import deidentified_selection

    def made(actor: Actor, clinic_id: int) -> Response:
        content = deidentified_selection(
            sessions=sessions,
            actor=actor,
            clinic_id=clinic_id,
            filters=selection.filters,
            secret_key=get_settings().resolved_secret_key(),
        )
        return _download(content, "zip", f"{_stem(selection)}-deidentified.zip")

    return _for_selection(visitor, clinic, selection, made)


@router.get("/analytics/chart/{name}.svg")
def chart_image(
    visitor: SignedIn,
    sessions: PageSessions,
    name: Literal["outcome", "trajectory", "funnel", "survival"],
    selection: Selected,
    comparison: str = "unadjusted",
    clinic: ClinicQuery = None,
) -> Response:
    """One chart of the dashboard page as an SVG image, drawn once per selection and data version."""
    from spinetrack.analytics.plots import svg_bytes
    from spinetrack.services.reporting.analytics_registry import registry_view
    from spinetrack.services.reporting.report_layout import chart

    adjusted = comparison == "adjusted"

    def drawn(actor: Actor, clinic_id: int) -> Response:
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

    return _for_selection(visitor, clinic, selection, drawn)
