"""Plain Spanish, measured on the Spanish pages as served.

The Spanish pages are held to the same plain-language goal as the English ones (grade 6) on the
Spanish scales textstat computes: Fernández Huerta, and Szigriszt-Pazos perspicuity read on the
INFLESZ bands of Barrio-Cantalejo et al., "Validación de la Escala INFLESZ para evaluar la
legibilidad de los textos dirigidos a pacientes", An Sist Sanit Navar 2008;31(2):135-152:
55-65 "normal", 65-80 "bastante fácil" (fairly easy), above 80 "muy fácil". Ceilings: the median
page at 65 or above (fairly easy, as grade 6 is in English) and no page below 55 (normal).
Measured on 6 December 2026 over all 42 Spanish pages (the three groups together): median INFLESZ
77.7, lowest 69.3, median Fernández Huerta 81.8 (``benchmarks/education_reading.py --language es``).
"""

import statistics

import pytest
from fastapi.testclient import TestClient
from tests.support.apps import shared_app

from spinetrack.domain import education
from spinetrack.services.operations.database import Database
from spinetrack.web.reading_level import (
    SpanishFigures,
    inflesz_band,
    measure,
    measure_spanish,
    served_prose,
)

SPANISH = education.translated_pages("es") if "es" in education.languages() else []
INFLESZ_MEDIAN_FLOOR, INFLESZ_PAGE_FLOOR = 65.0, 55.0


@pytest.fixture
def client(sqlite_only: Database) -> TestClient:
    return TestClient(shared_app(sqlite_only))


def test_the_spanish_measure_tells_plain_text_from_dense_text() -> None:
    plain = measure_spanish("El hueso no soldó. Puede doler. Su equipo lo revisará con una prueba.")
    dense = measure_spanish(
        "La demostración radiográfica de movilidad intersegmentaria persistente, a pesar de la "
        "instrumentación, fundamenta el diagnóstico presuntivo de pseudoartrosis sintomática."
    )
    assert plain.szigriszt_pazos > 80 > 40 > dense.szigriszt_pazos
    assert plain.fernandez_huerta > dense.fernandez_huerta
    assert inflesz_band(plain.szigriszt_pazos) == "muy fácil"
    assert inflesz_band(60.0) == "normal" and inflesz_band(70.0) == "bastante fácil"
    assert inflesz_band(dense.szigriszt_pazos) == "muy difícil"


def test_measuring_spanish_leaves_the_english_measure_alone() -> None:
    text = "The bone did not heal. It can hurt. Your team will check it with a scan."
    before = measure(text)
    measure_spanish("El hueso no soldó. Puede doler.")
    assert measure(text) == before


@pytest.mark.skipif(not SPANISH, reason="no Spanish library page yet")
def test_spanish_pages_read_fairly_easy_and_none_below_normal(client: TestClient) -> None:
    figures: dict[str, SpanishFigures] = {}
    for page_id in SPANISH:
        html = client.get(f"/library/{page_id}", headers={"Accept-Language": "es"}).text
        assert '<html lang="es">' in html
        figures[page_id] = measure_spanish(served_prose(html))
    low = {p: f.szigriszt_pazos for p, f in figures.items() if f.szigriszt_pazos < 55}
    assert low == {}
    assert statistics.median(f.szigriszt_pazos for f in figures.values()) >= INFLESZ_MEDIAN_FLOOR


@pytest.mark.skipif(not SPANISH, reason="no Spanish library page yet")
def test_only_the_spanish_pages_own_prose_is_measured(client: TestClient) -> None:
    html = client.get(f"/library/{SPANISH[0]}", headers={"Accept-Language": "es"}).text
    prose = served_prose(html)
    assert "En esta página" not in prose and "Páginas relacionadas" not in prose
    assert education.entry(SPANISH[0], "es").title in prose
