"""The registry report use case: read and classify the clinic's registry on its today, publish the
dashboard of a selection (disclosure control), and hand back the report as HTML and PDF; audited
as a look at the dashboard. Writing files is the command line's business (cli/report.py); the
layout is in `report_layout`, the rendering in `rendering`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from spinetrack.analytics.dashboard import Dashboard, DashboardFilters, publish
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.reporting.analytics_registry import DASHBOARD_ROLES, analysable
from spinetrack.services.reporting.rendering import pdf_of
from spinetrack.services.reporting.report_layout import report_html
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

Advance = Callable[[str], None]


@dataclass(frozen=True)
class ReportDocument:
    """The report as the HTML page and its PDF; the caller decides where they go."""

    html: str
    pdf: bytes
    dashboard: Dashboard


def registry_report(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    filters: DashboardFilters,
    destination: str = "",
    advance: Advance = lambda _: None,
    read_on: date | None = None,
    generated: datetime | None = None,
) -> ReportDocument:
    """The report of a selection as HTML and PDF, audited (``destination`` names where the caller
    will write them, for the audit trail); ``advance`` names each finished step."""
    with audited(sessions, actor, "analytics.report", clinic_id=clinic_id) as work:
        actor.require(clinic_id, DASHBOARD_ROLES)
        clinic = work.uow.clinics.get(clinic_id)
        assert clinic is not None
        found = analysable(work.uow, clinic_id, read_on or clinic_today(work.uow, clinic_id))
        advance("read and classified the registry")
        dashboard = publish(found.registry, found.cube, filters, adjust=True)
        advance("computed the figures and the case-mix model")
        moment = generated or datetime.now(UTC)
        html = report_html(dashboard, clinic=clinic.name, generated=moment)
        advance("rendered the HTML report")
        pdf = pdf_of(html)
        advance("rendered the PDF report")
        work.detail = (
            f"{filters.describe()} -> {destination}" if destination else filters.describe()
        )
        return ReportDocument(html, pdf, dashboard)


REPORT_STEPS = 4


def report_download(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    filters: DashboardFilters,
    fmt: str,
    read_on: date | None = None,
    generated: datetime | None = None,
) -> bytes:
    """The report of a selection as one HTML file or its PDF, for the browser; audited."""
    if fmt not in {"html", "pdf"}:
        raise ValueError("the report is HTML or PDF")
    with audited(sessions, actor, "analytics.report", clinic_id=clinic_id) as work:
        actor.require(clinic_id, DASHBOARD_ROLES)
        clinic = work.uow.clinics.get(clinic_id)
        assert clinic is not None
        found = analysable(work.uow, clinic_id, read_on or clinic_today(work.uow, clinic_id))
        dashboard = publish(found.registry, found.cube, filters, adjust=True)
        html = report_html(dashboard, clinic=clinic.name, generated=generated or datetime.now(UTC))
        work.detail = f"{fmt} download: {filters.describe()}"
        return html.encode("utf-8") if fmt == "html" else pdf_of(html)
