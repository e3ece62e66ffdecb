"""The registry report's layout: the dashboard's figures as a comparison table and charts, and the
whole as one self-contained HTML page (charts embedded as data URIs, no link outside the file, so it
opens offline). The PDF is printed from that same HTML (one layout, not two). Every figure has
passed disclosure control: they are built from the published dashboard.
"""

from dataclasses import dataclass
from datetime import datetime

from matplotlib.figure import Figure

from spinetrack.analytics.casemix import CaseMixModel, NoModel
from spinetrack.analytics.dashboard import Dashboard
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
from spinetrack.services.reporting.rendering import render, stylesheet


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
    return render(
        "reports/report.html",
        clinic=clinic,
        generated=generated,
        css=stylesheet(),
        **context(dashboard, adjusted=True, images=images),
    )
