"""The registry report as documents: the dashboard's figures and charts as one self-contained HTML
file (charts embedded as data URIs, no link outside the file, so it opens offline) and as a PDF
for printing (matplotlib PdfPages: no browser, no system package).

The HTML templates live with the page templates (web/templates/reports/) so they are packaged
with them and the dashboard page can include the same partials; they are rendered here, below the
edges, because both the command line and the web need them.
"""

import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from sqlalchemy.orm import Session, sessionmaker

from spinetrack import __version__
from spinetrack.analytics.casemix import CaseMixModel, NoModel
from spinetrack.analytics.dashboard import MIN_CELL, Dashboard, Filters, summarise
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
from spinetrack.services.actor import Actor
from spinetrack.services.analytics_registry import DASHBOARD_ROLES, prepared_registry
from spinetrack.services.audit_log import audited

TEMPLATES = resources.files("spinetrack").joinpath("web", "templates")
STYLE = resources.files("spinetrack").joinpath("web", "static", "css", "analytics.css")
Advance = Callable[[str], None]
WRAP = 92  # characters per line on the PDF's text page


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
    unadjusted: Proportion | None
    """None when the surgeon has fewer than MIN_CELL judged patients (withheld)."""
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
    for surgeon in dashboard.funnel.withheld:
        rows.append(ComparisonRow(surgeon, 0, None, "withheld", None, None, None))
    return rows


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
        "min_cell": MIN_CELL,
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


def _text_page(title: str, lines: list[str]) -> Figure:
    page = Figure(figsize=(8.27, 11.69))  # A4 portrait
    page.text(0.08, 0.94, title, fontsize=15, weight="bold", va="top")
    page.text(0.08, 0.89, "\n".join(lines), fontsize=8.5, va="top", family="monospace")
    return page


def _percent(p: Proportion | None) -> str:
    if p is None or p.share is None:
        return "-"
    if p.n < MIN_CELL:
        return f"n<{MIN_CELL}"
    return f"{p.share:6.1%} ({p.low:.1%}-{p.high:.1%})"


def _summary_lines(dashboard: Dashboard, clinic: str, generated: datetime) -> list[str]:
    d = dashboard
    lines = [
        f"Clinic: {clinic}",
        f"Selection: {d.filters.describe()}",
        f"Data read on {d.read_on}; generated {generated:%Y-%m-%d %H:%M} UTC, spinetrack {__version__}",
        "",
        f"Operated patients             {d.patients:>10,}",
        f"Judged (3 months or later)    {d.judged:>10,}",
        f"Not doing well                {_percent(d.failed)}",
        f"  failing                     {_percent(d.failing)}",
        f"  relapsed                    {_percent(d.relapsed)}",
        "",
        "Time point  due     responded              MCID reached           within PASS",
    ]
    for r in d.timepoints:
        lines.append(
            f"{r.timepoint:<10}{r.eligible:>6,}  {_percent(r.responded):<22} {_percent(r.mcid):<22} "
            f"{_percent(r.passed)}"
        )
    lines += ["", "Surgeon comparison (not doing well; 95 % Wilson / model intervals)"]
    for row in comparison(d):
        adjusted = "" if row.adjusted is None else f"adjusted {row.adjusted:.1%}"
        lines.append(
            f"{row.surgeon:<24}{row.judged:>6,}  {_percent(row.unadjusted):<22} {adjusted}"
        )
    if isinstance(d.adjusted, CaseMixModel):
        lines += textwrap.wrap(
            f"Mixed model on {d.adjusted.patients:,} patients; fixed effects: "
            f"{', '.join(d.adjusted.terms)}; surgeon as random effect.",
            WRAP,
        )
    elif isinstance(d.adjusted, NoModel):
        lines += textwrap.wrap(f"No case-mix model: {d.adjusted.reason}", WRAP)
    lines += ["", f"Leading confirmed causes ({d.causes_confirmed:,} patients with one)"]
    for c in d.causes:
        lines.append(f"  {c.cause.replace('_', ' '):<32}{c.patients:>6,}  {c.share:6.1%}")
    lines += ["", f"Rates over fewer than {MIN_CELL} patients are withheld."]
    return lines


def report_pages(dashboard: Dashboard, *, clinic: str, generated: datetime) -> list[Figure]:
    """The printed report, page by page: the figures in text, then one chart per page."""
    charts = figures(dashboard, adjusted=True)
    titles = {
        "outcome": "Follow-up response, MCID and PASS by time point (95 % Wilson intervals)",
        "trajectory": "Disability score: median and interquartile range by time point",
        "funnel": "Surgeons: adjusted rates, 95 % and 99.8 % limits",
        "survival": "Revision-free survival by first procedure (Kaplan-Meier, 95 % band)",
    }
    pages = [_text_page("spinetrack registry report", _summary_lines(dashboard, clinic, generated))]
    for name, title in titles.items():
        chart: Figure = getattr(charts, name)
        chart.axes[0].set_title(title, fontsize=9, loc="left")
        pages.append(chart)
    return pages


def report_pdf(dashboard: Dashboard, out: Path, *, clinic: str, generated: datetime) -> None:
    metadata = {"Title": f"spinetrack registry report, {clinic}", "CreationDate": None}
    with PdfPages(out, metadata=metadata) as pdf:
        for page in report_pages(dashboard, clinic=clinic, generated=generated):
            pdf.savefig(page)


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
    filters: Filters,
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
        prepared = prepared_registry(work.uow, clinic_id, read_on or date.today())
        advance("read and classified the registry")
        dashboard = summarise(prepared, filters, adjust=True)
        advance("computed the figures and the case-mix model")
        moment = generated or datetime.now(UTC)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report_html(dashboard, clinic=clinic.name, generated=moment), "utf-8")
        advance("wrote the HTML report")
        pdf = out.with_suffix(".pdf")
        report_pdf(dashboard, pdf, clinic=clinic.name, generated=moment)
        advance("wrote the PDF report")
        work.detail = f"{filters.describe()} -> {out.name}, {pdf.name}"
        return WrittenReport(out, pdf, dashboard)


REPORT_STEPS = 4
