"""The dashboard's and the report's charts, drawn with matplotlib (no pyplot, no display) so they
render offline, embed inline as SVG in a page and print sharply, and go straight into the PDF.

Colours come from a palette that stays distinguishable for the common colour-vision deficiencies
(Okabe M, Ito K. Color universal design, 2008), and every line is also told apart by its style.
"""

import base64
import io
from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullFormatter, PercentFormatter, ScalarFormatter

from spinetrack.analytics.dashboard import Funnel, TimepointRow, TrajectoryRow
from spinetrack.analytics.funnel import ALARM, WARNING, funnel_curve
from spinetrack.analytics.survival import YEAR_DAYS, SurvivalCurve

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
STYLES = ("-", "--", "-.", ":")
WIDTH, HEIGHT = 6.4, 3.4

mpl.rcParams["svg.fonttype"] = "none"  # text stays text: selectable, searchable, small
mpl.rcParams["svg.hashsalt"] = "spinetrack"  # stable element ids, so reports compare cleanly
mpl.rcParams["font.size"] = 9


def _figure(width: float = WIDTH, height: float = HEIGHT) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    return figure


def svg_bytes(figure: Figure) -> bytes:
    """The figure as a standalone SVG document."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def svg_data_uri(figure: Figure) -> str:
    """The figure as an SVG data URI for an <img>: a page's Content-Security-Policy forbids the
    inline styles matplotlib's SVG uses, but an image is its own document, and a data URI keeps a
    saved report self-contained."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def trajectory_chart(rows: Sequence[TrajectoryRow], pass_values: dict[str, float]) -> Figure:
    """Median disability score by time point, with the interquartile band and the PASS line."""
    figure = _figure()
    axes = figure.add_subplot()
    instruments = sorted({r.instrument for r in rows})
    for position, instrument in enumerate(instruments):
        own = [r for r in rows if r.instrument == instrument]
        days = [r.day for r in own]
        colour = PALETTE[position % len(PALETTE)]
        axes.fill_between(
            days, [r.q25 for r in own], [r.q75 for r in own], color=colour, alpha=0.18, linewidth=0
        )
        axes.plot(
            days,
            [r.median for r in own],
            marker="o",
            color=colour,
            linestyle=STYLES[position % 4],
            label=f"{instrument.upper()} median (band: 25th-75th centile)",
        )
        if instrument in pass_values:
            axes.axhline(
                pass_values[instrument],
                color=colour,
                linestyle=":",
                linewidth=1,
                label=f"{instrument.upper()} PASS ({pass_values[instrument]:g})",
            )
    axes.set_xlabel("days after the index operation (nominal day of each time point)")
    axes.set_ylabel("disability score (0-100, lower is better)")
    axes.set_ylim(0, 100)
    if rows:
        ticks = sorted({r.day for r in rows})
        names = [next(r.timepoint for r in rows if r.day == d) for d in ticks]
        axes.set_xticks(ticks, names, rotation=45, fontsize=7)
        axes.legend(loc="upper right", fontsize=7, frameon=False)
    else:
        _empty(axes)
    axes.grid(axis="y", alpha=0.3)
    return figure


def outcome_chart(rows: Sequence[TimepointRow]) -> Figure:
    """Response rate, MCID and PASS shares by time point, each with its 95 % Wilson interval."""
    figure = _figure()
    axes = figure.add_subplot()
    labels = [r.timepoint for r in rows]
    x = np.arange(len(rows))
    series = (
        ("responded", "follow-up response", 0),
        ("mcid", "reached MCID", 1),
        ("passed", "within PASS", 2),
    )
    for offset, (name, label, colour) in zip((-0.22, 0.0, 0.22), series, strict=True):
        shares = [getattr(r, name) for r in rows]
        value = np.array([p.share if p.share is not None else np.nan for p in shares])
        low = np.array([p.low if p.low is not None else np.nan for p in shares])
        high = np.array([p.high if p.high is not None else np.nan for p in shares])
        axes.bar(
            x + offset,
            value,
            width=0.2,
            color=PALETTE[colour],
            label=label,
            hatch=("", "//", "..")[colour],
            edgecolor="white",
        )
        axes.errorbar(
            x + offset,
            value,
            yerr=[np.maximum(value - low, 0), np.maximum(high - value, 0)],
            fmt="none",
            ecolor="#333333",
            capsize=2,
            linewidth=0.8,
        )
    axes.set_xticks(x, labels)
    axes.set_ylim(0, 1)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_ylabel("share of patients")
    figure.legend(loc="outside lower center", fontsize=7, ncols=3, frameon=False)
    axes.grid(axis="y", alpha=0.3)
    return figure


def funnel_chart(funnel: Funnel, rates: dict[str, float] | None = None, note: str = "") -> Figure:
    """Each surgeon's failure rate against judged patients, inside 95 % and 99.8 % limits."""
    figure = _figure()
    axes = figure.add_subplot()
    if funnel.practice_rate is None or not funnel.points:
        _empty(axes)
        return figure
    p0 = funnel.practice_rate
    largest = max(p.n for p in funnel.points) * 1.3
    for confidence, style in ((WARNING, "--"), (ALARM, ":")):
        curve = funnel_curve(p0, int(largest), confidence)
        label = f"{confidence * 100:g} % limits"
        axes.plot(
            curve["n"], curve["high"], color="#555555", linestyle=style, linewidth=1, label=label
        )
        axes.plot(curve["n"], curve["low"], color="#555555", linestyle=style, linewidth=1)
    axes.axhline(p0, color=PALETTE[0], linewidth=1.2, label=f"practice rate {p0:.1%}")
    for position, point in enumerate(funnel.points):
        value = rates.get(point.unit, point.rate) if rates else point.rate
        axes.plot(
            point.n,
            value,
            marker="os^Dv<>p"[position % 8],
            color=PALETTE[(position + 1) % len(PALETTE)],
            markersize=7,
            linestyle="none",
            label=point.unit,
        )
    axes.set_xscale("log")
    axes.xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    axes.xaxis.set_major_formatter(ScalarFormatter())
    axes.xaxis.set_minor_formatter(NullFormatter())
    axes.set_xlim(max(1, min(p.n for p in funnel.points) / 3), largest)
    axes.set_ylim(0, min(1.0, max(0.5, max(p.rate for p in funnel.points) * 1.5)))
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_xlabel("judged patients (log scale)")
    axes.set_ylabel("not doing well" + note)
    figure.legend(loc="outside right upper", fontsize=7, frameon=False)
    axes.grid(alpha=0.3)
    return figure


def survival_chart(curves: Sequence[SurvivalCurve]) -> Figure:
    """Revision-free survival from the first operation, by its procedure."""
    figure = _figure()
    axes = figure.add_subplot()
    if not curves:
        _empty(axes)
        return figure
    lowest = 1.0
    for position, curve in enumerate(curves):
        colour = PALETTE[position % len(PALETTE)]
        years = np.asarray(curve.days) / YEAR_DAYS
        axes.step(
            years,
            curve.survival,
            where="post",
            color=colour,
            linestyle=STYLES[position % 4],
            label=f"{curve.group.replace('_', ' ')} (n={curve.patients:,})",
        )
        axes.fill_between(
            years, curve.low, curve.high, step="post", color=colour, alpha=0.12, linewidth=0
        )
        lowest = min(lowest, min(curve.low) if curve.low else 1.0)
    axes.set_ylim(max(0.0, lowest - 0.05), 1.005)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0))
    axes.set_xlabel("years after the first operation")
    axes.set_ylabel("free of revision surgery")
    axes.legend(loc="lower left", fontsize=7, ncols=2, frameon=False)
    axes.grid(alpha=0.3)
    return figure


def _empty(axes: Axes) -> None:
    axes.text(
        0.5,
        0.5,
        "not enough patients in this selection",
        ha="center",
        va="center",
        transform=axes.transAxes,
        color="#555555",
    )
    axes.set_xticks([])
    axes.set_yticks([])
