"""The letter's score chart as plain SVG, drawn from numbers without a plotting library.

Drawing it with matplotlib cost half a second per letter (most of it loading matplotlib on the
request path); the chart is a few lines and labels, so it is written directly, like the patient
page's trajectory charts. Disability (0-100) is on the left axis with each instrument's PASS line,
pain (0-10) on the right; time points are marked on the day axis. It is returned as a data URI for
an <img>, so the letter stays one self-contained file and the page's Content-Security-Policy
(which forbids inline styles) does not apply inside it.
"""

import base64
from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 150, 16, 56
PALETTE = ("#1f5f8b", "#c0504d", "#4f8a3c", "#8064a2", "#d08a2c", "#3c8a8a")
FONT = 'font-family="sans-serif" font-size="11" fill="#333"'


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class _Axes:
    """Maps days and scores to the drawing area."""

    def __init__(self, first_day: int, last_day: int) -> None:
        span = max(1, last_day - first_day)
        self.first_day = first_day - span * 0.04
        self.span = span * 1.08
        self.right = WIDTH - RIGHT
        self.bottom = HEIGHT - BOTTOM

    def x(self, day: float) -> float:
        return round(LEFT + (day - self.first_day) / self.span * (self.right - LEFT), 1)

    def y(self, score: float, top: float) -> float:
        return round(self.bottom - min(max(score, 0.0), top) / top * (self.bottom - TOP), 1)


def _frame(axes: _Axes, nominal: dict[str, int]) -> list[str]:
    parts = []
    for fraction in range(5):
        y = axes.y(fraction * 25, 100)
        parts.append(
            f'<line x1="{LEFT}" x2="{axes.right}" y1="{y}" y2="{y}" stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y + 4}" text-anchor="end" {FONT}>{fraction * 25}</text>'
            f'<text x="{axes.right + 6}" y="{y + 4}" {FONT}>{_number(fraction * 2.5)}</text>'
        )
    for label, day in nominal.items():
        x = axes.x(day)
        if LEFT <= x <= axes.right:
            parts.append(
                f'<line x1="{x}" x2="{x}" y1="{axes.bottom}" y2="{axes.bottom + 4}" stroke="#333"/>'
                f'<text x="{x}" y="{axes.bottom + 16}" text-anchor="middle" {FONT}>'
                f"{escape(label)}</text>"
            )
    parts.append(
        f'<line x1="{LEFT}" x2="{axes.right}" y1="{axes.bottom}" y2="{axes.bottom}" stroke="#333"/>'
        f'<text x="{(LEFT + axes.right) / 2}" y="{HEIGHT - 12}" text-anchor="middle" {FONT}>'
        "days after the operation</text>"
        f'<text transform="rotate(-90)" x="{-(TOP + axes.bottom) / 2}" y="14" '
        f'text-anchor="middle" {FONT}>disability (0-100)</text>'
        f'<text transform="rotate(90)" x="{(TOP + axes.bottom) / 2}" y="{-(axes.right + 36)}" '
        f'text-anchor="middle" {FONT}>pain (0-10)</text>'
    )
    return parts


def _series(
    axes: _Axes, name: str, own: list[tuple[int, float]], colour: str, pass_value: float | None
) -> list[str]:
    pain = name.startswith("nrs")
    top = 10.0 if pain else 100.0
    points = [(axes.x(day), axes.y(score, top)) for day, score in own]
    path = " ".join(f"{'M' if i == 0 else 'L'}{x},{y}" for i, (x, y) in enumerate(points))
    dash = ' stroke-dasharray="6 4"' if pain else ""
    parts = [f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>']
    for (x, y), (day, score) in zip(points, own, strict=True):
        mark = (
            f'<rect x="{x - 4}" y="{y - 4}" width="8" height="8" fill="{colour}">'
            if pain
            else f'<circle cx="{x}" cy="{y}" r="4" fill="{colour}">'
        )
        closing = "</rect>" if pain else "</circle>"
        parts.append(f"{mark}<title>{escape(name)} day {day}: {_number(score)}</title>{closing}")
    if pass_value is not None and not pain:
        y = axes.y(pass_value, 100)
        parts.append(
            f'<line x1="{LEFT}" x2="{axes.right}" y1="{y}" y2="{y}" stroke="{colour}" '
            'stroke-dasharray="2 3"/>'
        )
    return parts


def _legend(entries: list[tuple[str, str, str]]) -> list[str]:
    parts = []
    x = WIDTH - RIGHT + 44
    for row, (label, colour, dashes) in enumerate(entries):
        y = TOP + 8 + row * 16
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        parts.append(
            f'<line x1="{x}" x2="{x + 18}" y1="{y}" y2="{y}" stroke="{colour}" stroke-width="2"'
            f'{dash}/><text x="{x + 24}" y="{y + 4}" {FONT}>{escape(label)}</text>'
        )
    return parts


def letter_chart(
    points: Sequence[tuple[int, str, float]], pass_values: dict[str, float], nominal: dict[str, int]
) -> str:
    """The chart of (day, instrument, score) points as an SVG document."""
    days = [day for day, _, _ in points] + list(nominal.values())
    axes = _Axes(min(days, default=0), max(days, default=1))
    parts = _frame(axes, nominal)
    legend: list[tuple[str, str, str]] = []
    for position, name in enumerate(sorted({name for _, name, _ in points})):
        colour = PALETTE[position % len(PALETTE)]
        own = sorted((day, score) for day, instrument, score in points if instrument == name)
        parts += _series(axes, name, own, colour, pass_values.get(name))
        pain = name.startswith("nrs")
        legend.append((name.upper().replace("_", " "), colour, "6 4" if pain else ""))
        if name in pass_values and not pain:
            legend.append((f"{name.upper()} PASS", colour, "2 3"))
    if not points:
        parts.append(
            f'<text x="{(LEFT + axes.right) / 2}" y="{(TOP + axes.bottom) / 2}" '
            f'text-anchor="middle" {FONT}>no scores yet</text>'
        )
    parts += _legend(legend)
    body = "".join(parts)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}"><rect width="100%" height="100%" fill="#fff"/>'
        f"{body}</svg>"
    )


def data_uri(svg: str) -> str:
    """An SVG document as a data URI for an <img>."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
