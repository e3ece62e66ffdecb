"""The model's two validation figures, the smoothed calibration curve and the decision curve, drawn
as inline SVG from the numbers stored in the model file.

An analyst judges calibration by its shape (where the curve leaves the diagonal, how wide the band
is), which a row of numbers hides; the decision curve likewise is read as lines against "treat
all" and "treat none". They are drawn here, as plain SVG text, so the card and the performance page
show them without a plotting library on the request path, and the same figure appears in both."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 320
HEIGHT = 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 46, 12, 12, 40


@dataclass(frozen=True)
class _Frame:
    """Maps data coordinates onto the plot area."""

    x_low: float
    x_high: float
    y_low: float
    y_high: float

    def x(self, value: float) -> float:
        span = self.x_high - self.x_low
        return _LEFT + (value - self.x_low) / span * (WIDTH - _LEFT - _RIGHT)

    def y(self, value: float) -> float:
        clipped = min(max(value, self.y_low), self.y_high)
        span = self.y_high - self.y_low
        return HEIGHT - _BOTTOM - (clipped - self.y_low) / span * (HEIGHT - _TOP - _BOTTOM)

    def path(self, points: Sequence[tuple[float, float]]) -> str:
        return " ".join(
            f"{'M' if i == 0 else 'L'}{self.x(px):.1f},{self.y(py):.1f}"
            for i, (px, py) in enumerate(points)
        )


def _ticks(low: float, high: float) -> list[float]:
    """Round values (tenths, or fifths when the span is wide) from ``low`` to ``high``."""
    step = 0.1 if high - low <= 0.5 else 0.2
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [round(k * step, 2) for k in range(first, last + 1)]


def _axes(
    frame: _Frame, x_label: str, y_label: str, x_ticks: Sequence[float], y_ticks: Sequence[float]
) -> list[str]:
    bottom = HEIGHT - _BOTTOM
    parts = [
        f'<line x1="{_LEFT}" y1="{bottom}" x2="{WIDTH - _RIGHT}" y2="{bottom}" stroke="#555"/>',
        f'<line x1="{_LEFT}" y1="{_TOP}" x2="{_LEFT}" y2="{bottom}" stroke="#555"/>',
    ]
    for value in x_ticks:
        x = frame.x(value)
        parts.append(
            f'<line x1="{x:.1f}" y1="{bottom}" x2="{x:.1f}" y2="{bottom + 4}" stroke="#555"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 15}" font-size="10" text-anchor="middle">'
            f"{value:.2f}</text>"
        )
    for value in y_ticks:
        y = frame.y(value)
        parts.append(
            f'<line x1="{_LEFT - 4}" y1="{y:.1f}" x2="{_LEFT}" y2="{y:.1f}" stroke="#555"/>'
        )
        parts.append(
            f'<text x="{_LEFT - 6}" y="{y + 3:.1f}" font-size="10" text-anchor="end">'
            f"{value:.2f}</text>"
        )
    parts.append(
        f'<text x="{(_LEFT + WIDTH - _RIGHT) / 2:.0f}" y="{HEIGHT - 6}" font-size="11" '
        f'text-anchor="middle">{escape(x_label)}</text>'
    )
    parts.append(
        f'<text x="12" y="{(_TOP + bottom) / 2:.0f}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 12 {(_TOP + bottom) / 2:.0f})">{escape(y_label)}</text>'
    )
    return parts


def _svg(title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def calibration_svg(curve: Sequence[dict[str, float]], title: str) -> str:
    """Observed against predicted probability with its 95 % band and the diagonal of perfect
    calibration; the axes span the predicted range, so a model that predicts only 0.6-0.95 is not
    squeezed into a corner."""
    if not curve:
        return ""
    predicted = [p["predicted"] for p in curve]
    values = predicted + [p["low"] for p in curve] + [p["high"] for p in curve]
    low = max(0.0, math.floor((min(values) - 0.02) * 10) / 10)
    high = min(1.0, math.ceil((max(values) + 0.02) * 10) / 10)
    frame = _Frame(low, high, low, high)
    band = [(p["predicted"], p["high"]) for p in curve] + [
        (p["predicted"], p["low"]) for p in reversed(curve)
    ]
    ticks = _ticks(low, high)
    body = _axes(frame, "Predicted probability", "Observed proportion", ticks, ticks)
    body += [
        f'<path d="{frame.path([(low, low), (high, high)])}" stroke="#888" '
        'stroke-dasharray="4 3" fill="none"/>',
        f'<path d="{frame.path(band)} Z" fill="#1f6f9f" fill-opacity="0.2" stroke="none"/>',
        f'<path d="{frame.path([(p["predicted"], p["observed"]) for p in curve])}" '
        'stroke="#1f6f9f" stroke-width="2" fill="none"/>',
    ]
    return _svg(title, body)


_DECISION_LINES = (
    ("none", "treat none", "#888", "2 0"),
    ("all", "treat all", "#b03030", "5 3"),
    ("model", "model", "#1f6f9f", "2 0"),
)
"""Each line of the decision curve (drawn in this order, the model last, on top) and its legend."""

_FLOOR = -0.05
"""Net benefit below this is not drawn: the line ends where it leaves the plot."""


def _above_floor(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The line up to where it first falls below the floor, ending on the floor itself."""
    kept: list[tuple[float, float]] = []
    for x, y in points:
        if y >= _FLOOR:
            kept.append((x, y))
            continue
        if kept:
            (x0, y0) = kept[-1]
            kept.append((x0 + (x - x0) * (y0 - _FLOOR) / (y0 - y), _FLOOR))
        break
    return kept


def decision_svg(curve: Sequence[dict[str, float]], title: str) -> str:
    """Net benefit of the model, of treating all and of treating none across threshold
    probabilities. The y-axis stops a little below zero: "treat all" falls steeply at high
    thresholds, and following it down would flatten the lines the reader compares."""
    if not curve:
        return ""
    top = max(max(d["model"] for d in curve), max(d["all"] for d in curve), 0.05)
    frame = _Frame(0.0, 1.0, _FLOOR, math.ceil(top * 10) / 10)
    body = _axes(
        frame, "Threshold probability", "Net benefit", _ticks(0.0, 1.0), _ticks(0.0, frame.y_high)
    )
    for key, _, colour, dash in _DECISION_LINES:
        points = _above_floor([(d["threshold"], d[key]) for d in curve])
        body.append(
            f'<path d="{frame.path(points)}" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="{dash}" fill="none"/>'
        )
    for row, (_, name, colour, dash) in enumerate(reversed(_DECISION_LINES)):
        y = _TOP + 10 + row * 14
        x = WIDTH - _RIGHT - 80
        body.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 16}" y2="{y}" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="{dash}"/>'
        )
        body.append(f'<text x="{x + 20}" y="{y + 3}" font-size="10">{name}</text>')
    return _svg(title, body)
