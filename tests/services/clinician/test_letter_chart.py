"""The letter's chart: a well-formed SVG drawn without a plotting library, one line per
instrument, PASS lines for the disability instruments, the time points on the day axis."""

import base64
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

from spinetrack.services.clinician.letter_chart import data_uri, letter_chart

SVG = "{http://www.w3.org/2000/svg}"
NOMINAL = {"baseline": 0, "6w": 42, "3m": 91, "12m": 365}
POINTS = [(-10, "odi", 52.0), (40, "odi", 36.0), (370, "odi", 18.0), (-5, "nrs_back", 8.0)]


def test_each_instrument_is_a_line_with_a_mark_per_score() -> None:
    root = ElementTree.fromstring(letter_chart(POINTS, {"odi": 22.0}, NOMINAL))
    paths = root.findall(f"{SVG}path")
    assert len(paths) == 2
    assert len(root.findall(f"{SVG}circle")) == 3  # disability scores are dots
    assert len(root.findall(f"{SVG}rect")) == 2  # the background and one pain square
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert "odi day 370: 18" in titles
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert {"baseline", "6w", "3m", "12m", "ODI PASS", "NRS BACK"} <= texts


def test_a_higher_score_is_drawn_higher_and_pain_uses_its_own_scale() -> None:
    root = ElementTree.fromstring(letter_chart(POINTS, {}, NOMINAL))
    ys = {c.find(f"{SVG}title").text: float(c.get("cy")) for c in root.iter(f"{SVG}circle")}  # type: ignore[union-attr]
    assert ys["odi day -10: 52"] < ys["odi day 40: 36"] < ys["odi day 370: 18"]
    square = root.findall(f"{SVG}rect")[1]
    # 8 of 10 on the pain axis sits where 80 sits on the disability axis.
    odi_80 = letter_chart([(0, "odi", 80.0)], {}, NOMINAL)
    circle = ElementTree.fromstring(odi_80).find(f"{SVG}circle")
    assert circle is not None
    assert float(square.get("y") or 0) + 4 == float(circle.get("cy") or 0)


def test_no_scores_says_so_and_the_data_uri_decodes_to_the_svg() -> None:
    svg = letter_chart([], {"odi": 22.0}, NOMINAL)
    assert "no scores yet" in svg
    uri = data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode() == svg


def test_the_letter_service_does_not_load_matplotlib_or_statsmodels() -> None:
    probe = (
        "import sys, spinetrack.services.clinician.patient_letter, spinetrack.web.routes.letters;"
        "print([m for m in ('matplotlib', 'statsmodels', 'lifelines') if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
