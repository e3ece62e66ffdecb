"""PROM trajectory charts as static SVG geometry, drawn by the patient page's template.

Server-side SVG needs no JavaScript and no network, scales with zoom and prints sharply. The x axis
is the follow-up schedule (baseline, 6 weeks, … evenly spaced, each labelled) because the clinical
question is "how is the patient at each time point", not the exact day. The y axis has 0 at the
bottom; a higher score is worse on every instrument here, and the caption says so.
"""

from dataclasses import dataclass

from spinetrack.domain.outcomes import schedule
from spinetrack.services.clinician.patient_page import ScoreChart

WIDTH = 640
HEIGHT = 250
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 44
TIMEPOINT_LABELS = {
    "baseline": "Baseline",
    "6w": "6 wk",
    "3m": "3 mo",
    "6m": "6 mo",
    "12m": "12 mo",
    "24m": "24 mo",
}


@dataclass(frozen=True, slots=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True, slots=True)
class Dot:
    x: float
    y: float
    label: str
    timepoint: str


@dataclass(frozen=True, slots=True)
class Band:
    y: float
    height: float


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    dots: list[Dot]
    path: str
    baseline_y: float | None
    mcid_y: float | None
    mcid_band: Band | None
    """Between baseline and the MCID line: a change too small to matter."""
    pass_band: Band | None
    """From 0 up to the PASS value: an acceptable symptom state."""


def timepoint_label(timepoint: str) -> str:
    return TIMEPOINT_LABELS.get(timepoint, timepoint)


def _fmt(score: float) -> str:
    return f"{score:.0f}" if score == int(score) else f"{score:.1f}"


def trajectory(series: ScoreChart) -> Chart:
    """The chart geometry of one instrument's series."""
    order = [t.id for t in schedule()]
    right = WIDTH - RIGHT
    bottom = HEIGHT - BOTTOM
    pad = 16
    step = (right - LEFT - 2 * pad) / max(1, len(order) - 1)
    x_of = {timepoint: LEFT + pad + i * step for i, timepoint in enumerate(order)}

    def y_of(score: float) -> float:
        return bottom - (bottom - TOP) * min(max(score, 0.0), series.scale_max) / series.scale_max

    dots = [
        Dot(round(x_of[p.timepoint], 1), round(y_of(p.score), 1), _fmt(p.score), p.timepoint)
        for p in series.points
        if p.timepoint in x_of
    ]
    dots.sort(key=lambda d: order.index(d.timepoint))
    path = " ".join(f"{'M' if i == 0 else 'L'}{d.x},{d.y}" for i, d in enumerate(dots))
    y_ticks = [
        Tick(round(y_of(series.scale_max * f / 4), 1), _fmt(series.scale_max * f / 4))
        for f in range(5)
    ]
    baseline_y = None if series.baseline is None else round(y_of(series.baseline), 1)
    mcid_y = None if series.mcid_line is None else round(y_of(series.mcid_line), 1)
    mcid_band = None
    if baseline_y is not None and mcid_y is not None:
        mcid_band = Band(baseline_y, round(mcid_y - baseline_y, 1))
    pass_band = None
    if series.pass_line is not None:
        top = y_of(series.pass_line)
        pass_band = Band(round(top, 1), round(bottom - top, 1))
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=right,
        top=TOP,
        bottom=bottom,
        x_ticks=[Tick(round(x, 1), timepoint_label(t)) for t, x in x_of.items()],
        y_ticks=y_ticks,
        dots=dots,
        path=path,
        baseline_y=baseline_y,
        mcid_y=mcid_y,
        mcid_band=mcid_band,
        pass_band=pass_band,
    )
