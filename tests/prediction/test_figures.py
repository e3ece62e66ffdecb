"""The model's calibration and decision curves as SVG: well-formed, on the right scale, and honest
where a line leaves the plot."""

import re
import xml.etree.ElementTree as ET

from spinetrack.prediction.figures import HEIGHT, calibration_svg, decision_svg

SVG = "{http://www.w3.org/2000/svg}"


def _curve() -> list[dict[str, float]]:
    return [
        {"predicted": p, "observed": p + 0.03, "low": p - 0.02, "high": p + 0.08}
        for p in (0.55, 0.65, 0.75, 0.85, 0.95)
    ]


def _points(path: str) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in re.findall(r"[ML](-?[\d.]+),(-?[\d.]+)", path)]


def test_calibration_draws_band_curve_and_diagonal_within_the_frame() -> None:
    svg = ET.fromstring(calibration_svg(_curve(), "Calibration: improved"))
    assert svg.find(f"{SVG}title") is not None
    paths = [p.get("d", "") for p in svg.iter(f"{SVG}path")]
    assert len(paths) == 3  # diagonal, band, curve
    for x, y in (pt for path in paths for pt in _points(path)):
        assert 0 <= y <= HEIGHT and x >= 0
    # A model that only predicts 0.5-1.0 gets axes from 0.5 up, not from zero.
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert "0.50" in labels and "0.00" not in labels


def test_treat_all_ends_where_it_falls_off_the_plot() -> None:
    curve = [
        {"threshold": t, "model": max(0.4 - t / 2, 0.0), "all": 0.45 - t, "none": 0.0}
        for t in (0.05, 0.25, 0.45, 0.65, 0.85)
    ]
    svg = ET.fromstring(decision_svg(curve, "Decision curve: improved"))
    drawn = [_points(p.get("d", "")) for p in svg.iter(f"{SVG}path")]
    none, treat_all, model = drawn
    assert len(none) == len(model) == 5
    # "Treat all" is at 0.45 - t: below the floor of -0.05 after 0.50, so it stops there on the
    # floor instead of running flat along the bottom edge.
    assert len(treat_all) == 4
    floor_y = treat_all[-1][1]
    assert all(y <= floor_y for _, y in treat_all)


def test_nothing_is_drawn_without_a_curve() -> None:
    assert calibration_svg([], "x") == "" and decision_svg([], "x") == ""


def test_titles_are_escaped() -> None:
    svg = calibration_svg(_curve(), "<script>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
