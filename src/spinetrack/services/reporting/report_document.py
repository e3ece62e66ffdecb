"""The registry report as documents: the dashboard's figures and charts as one self-contained HTML
file (charts embedded as data URIs, no link outside the file, so it opens offline), and the PDF for
printing rendered from that same HTML by WeasyPrint (one layout, not two). Every figure in them
has passed disclosure control (they are built from the published dashboard).

The HTML templates live with the page templates (web/templates/reports/) so they are packaged
with them and the dashboard page can include the same partials; they are rendered here, below the
edges, because both the command line and the web need them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from matplotlib.figure import Figure
from sqlalchemy.orm import Session, sessionmaker

from spinetrack import __version__
from spinetrack.analytics.casemix import CaseMixModel, NoModel
from spinetrack.analytics.dashboard import Dashboard, DashboardFilters, publish
from spinetrack.analytics.intervals import Proportion, proportion
from spinetrack.analytics.plots import (
    funnel_chart,
    outcome_chart,
    survival_chart,
    svg_data_uri,
    trajectory_chart,
)
from spinetrack.domain.instruments import get_instrument
from spinetrack.domain.outcomes.rules import status_rules
from spinetrack.services.access.actor import Actor
from spinetrack.services.access.clinic_calendar import clinic_today
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.reporting.analytics_registry import DASHBOARD_ROLES, analysable

TEMPLATES = resources.files("spinetrack").joinpath("web", "templates")
STYLE = resources.files("spinetrack").joinpath("web", "static", "css", "analytics.css")
Advance = Callable[[str], None]


@cache
def environment() -> Environment:
    """One Jinja environment for the documents (compiled templates are kept)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    return env


@dataclass(frozen=True)
class ComparisonRow:
    surgeon: str
    judged: int
    unadjusted: Proportion
    position: str
    adjusted: float | None
    adjusted_low: float | None
    adjusted_high: float | None


@dataclass(frozen=True)
class Figures:
    """The charts of one dashboard, each drawn once and used as an image and in the PDF."""

    outcome: Figure
    trajectory: Figure
    funnel: Figure
    survival: Figure

    def data_uris(self) -> dict[str, str]:
        return {name: svg_data_uri(getattr(self, name)) for name in self.__dataclass_fields__}


def pass_values() -> dict[str, float]:
    values = {}
    for instrument in status_rules().disability_instruments:
        threshold = get_instrument(instrument).outcome.pass_
        if threshold is not None:
            values[instrument] = float(threshold.at_most)
    return values


def comparison(dashboard: Dashboard) -> list[ComparisonRow]:
    adjusted = (
        {r.surgeon: r for r in dashboard.adjusted.rates}
        if isinstance(dashboard.adjusted, CaseMixModel)
        else {}
    )
    rows = []
    for point in dashboard.funnel.points:
        model = adjusted.get(point.unit)
        rows.append(
            ComparisonRow(
                point.unit,
                point.n,
                proportion(point.events, point.n),
                point.position,
                model.rate if model else None,
                model.low if model else None,
                model.high if model else None,
            )
        )
    return rows


CHARTS = ("outcome", "trajectory", "funnel", "survival")


def chart(dashboard: Dashboard, name: str, *, adjusted: bool) -> Figure:
    """One of the dashboard's charts (``CHARTS``), drawn alone."""
    if name == "outcome":
        return outcome_chart(dashboard.timepoints)
    if name == "trajectory":
        return trajectory_chart(dashboard.trajectory, pass_values())
    if name == "funnel":
        rates = None
        note = ""
        if adjusted and isinstance(dashboard.adjusted, CaseMixModel):
            rates = {r.surgeon: r.rate for r in dashboard.adjusted.rates}
            note = " (adjusted)"
        return funnel_chart(dashboard.funnel, rates, note)
    if name == "survival":
        return survival_chart(dashboard.survival)
    raise ValueError(f"no chart {name!r}")


def figures(dashboard: Dashboard, *, adjusted: bool) -> Figures:
    rates = None
    note = ""
    if adjusted and isinstance(dashboard.adjusted, CaseMixModel):
        rates = {r.surgeon: r.rate for r in dashboard.adjusted.rates}
        note = " (adjusted)"
    return Figures(
        outcome=outcome_chart(dashboard.timepoints),
        trajectory=trajectory_chart(dashboard.trajectory, pass_values()),
        funnel=funnel_chart(dashboard.funnel, rates, note),
        survival=survival_chart(dashboard.survival),
    )


def context(dashboard: Dashboard, *, adjusted: bool, images: dict[str, str]) -> dict[str, object]:
    """What the report and the dashboard page both render (templates/reports/_body.html)."""
    model = dashboard.adjusted
    return {
        "d": dashboard,
        "charts": images,
        "rows": comparison(dashboard),
        "adjusted": adjusted and isinstance(model, CaseMixModel),
        "model": model if isinstance(model, CaseMixModel) else None,
        "no_model": model.reason if isinstance(model, NoModel) else None,
        "min_cell": dashboard.threshold,
        "pass_values": pass_values(),
    }


def report_html(dashboard: Dashboard, *, clinic: str, generated: datetime) -> str:
    images = figures(dashboard, adjusted=True).data_uris()
    page = environment().get_template("reports/report.html")
    return page.render(
        clinic=clinic,
        generated=generated,
        css=STYLE.read_text(encoding="utf-8"),
        version=__version__,
        **context(dashboard, adjusted=True, images=images),
    )


def report_pdf(html: str, out: Path) -> None:
    """The PDF of the report's HTML, page for page as printed (WeasyPrint: the same document the
    browser shows, with the stylesheet's print rules)."""
    from weasyprint import HTML  # type: ignore[import-untyped]

    HTML(string=html).write_pdf(out)


@dataclass(frozen=True)
class WrittenReport:
    html: Path
    pdf: Path
    dashboard: Dashboard


def registry_report(
    *,
    sessions: sessionmaker[Session],
    actor: Actor,
    clinic_id: int,
    filters: DashboardFilters,
    out: Path,
    advance: Advance = lambda _: None,
    read_on: date | None = None,
    generated: datetime | None = None,
) -> WrittenReport:
    """Write ``out`` (HTML) and the same name with .pdf; ``advance`` names each finished step."""
    with audited(sessions, actor, "analytics.report", clinic_id=clinic_id) as work:
        actor.require(clinic_id, DASHBOARD_ROLES)
        clinic = work.uow.clinics.get(clinic_id)
        assert clinic is not None
        found = analysable(work.uow, clinic_id, read_on or clinic_today(work.uow, clinic_id))
        advance("read and classified the registry")
        dashboard = publish(found.registry, found.cube, filters, adjust=True)
        advance("computed the figures and the case-mix model")
        moment = generated or datetime.now(UTC)
        out.parent.mkdir(parents=True, exist_ok=True)
        html = report_html(dashboard, clinic=clinic.name, generated=moment)
        out.write_text(html, "utf-8")
        advance("wrote the HTML report")
        pdf = out.with_suffix(".pdf")
        report_pdf(html, pdf)
        advance("wrote the PDF report")
        work.detail = f"{filters.describe()} -> {out.name}, {pdf.name}"
        return WrittenReport(out, pdf, dashboard)


REPORT_STEPS = 4


def report_download(
    *,
    sessions: sessionmaker[Session],
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
        if fmt == "html":
            return html.encode("utf-8")
        from weasyprint import HTML

        return bytes(HTML(string=html).write_pdf())
