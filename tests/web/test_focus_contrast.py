"""The focus outline is visible: at least 3:1 against the white page (WCAG 2.2, 1.4.11)."""

import re
from pathlib import Path

import pytest

from spinetrack.web import STATIC

OUTLINE = re.compile(r"outline:\s*\d+px\s+solid\s+(#[0-9a-fA-F]{6})")


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_matches_known_values() -> None:
    assert _contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert _contrast("#f0a500", "#ffffff") < 3  # the old outline colour failed


@pytest.mark.parametrize("stylesheet", sorted((STATIC / "css").glob("*.css")), ids=lambda p: p.name)
def test_every_focus_outline_stands_out_against_white(stylesheet: Path) -> None:
    for colour in OUTLINE.findall(stylesheet.read_text()):
        assert _contrast(colour, "#ffffff") >= 3, f"{stylesheet.name}: {colour}"
