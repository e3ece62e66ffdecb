"""The library in the visitor's language: Spanish pages for Accept-Language or the switch's cookie,
English with a notice where a page has no translation, and the page's language declared.

Written over whatever pages exist in knowledge/education/es/, so it holds as the translators'
groups are merged.
"""

import re
from dataclasses import replace
from html import unescape
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient
from tests.support.apps import shared_app

from spinetrack.domain import education
from spinetrack.domain.education import entry, translated_pages
from spinetrack.domain.education.languages import headings
from spinetrack.services.operations.database import Database
from spinetrack.web.language import LANGUAGE_COOKIE

SPANISH = translated_pages("es") if "es" in education.languages() else []
ES = {"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"}
HREF = re.compile(r'href="([^"]+)"')
ID_ATTR = re.compile(r'id="([^"]+)"')

pytestmark = pytest.mark.skipif(not SPANISH, reason="no Spanish library page yet")


@pytest.fixture
def client(sqlite_only: Database) -> TestClient:
    return TestClient(shared_app(sqlite_only))


def _page(client: TestClient, path: str, **kwargs: object) -> str:
    response = client.get(path, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200, path
    return unescape(response.text)


def test_a_browser_asking_for_spanish_gets_the_spanish_page(client: TestClient) -> None:
    page_id = SPANISH[0]
    found = entry(page_id, "es")
    response = client.get(f"/library/{page_id}", headers=ES)
    page = unescape(response.text)
    assert '<html lang="es">' in page
    assert f'<h1 id="entry-title">{found.title}</h1>' in page
    assert found.meta.summary in page
    assert "Volver al índice" in page and "Back to the index" not in page
    assert "Accept-Language" in response.headers["vary"]
    assert "no está traducida" not in page


def test_the_switchs_cookie_chooses_spanish_whatever_the_browser_says(client: TestClient) -> None:
    page_id = SPANISH[0]
    client.cookies.set(LANGUAGE_COOKIE, "es")
    page = _page(client, f"/library/{page_id}", headers={"Accept-Language": "en"})
    assert '<html lang="es">' in page
    assert f'<h1 id="entry-title">{entry(page_id, "es").title}</h1>' in page


def test_without_a_spanish_preference_the_library_stays_english(client: TestClient) -> None:
    page = _page(client, f"/library/{SPANISH[0]}")
    assert '<html lang="en">' in page
    assert f'<h1 id="entry-title">{entry(SPANISH[0]).title}</h1>' in page


def test_the_language_switch_is_on_every_library_page_and_comes_back_here(
    client: TestClient,
) -> None:
    for path in ("/library", "/library/glossary", f"/library/{SPANISH[0]}", "/library/no-such"):
        page = client.get(path, headers=ES).text
        assert 'class="language-switch"' in page, path
        assert f'href="/language/en?next={path}"' in page, path
        assert '<span aria-current="true" lang="es">Español</span>' in page
    switched = client.get(f"/language/es?next=/library/{SPANISH[0]}", follow_redirects=False)
    assert switched.status_code == 303
    assert switched.headers["location"] == f"/library/{SPANISH[0]}"
    assert f"{LANGUAGE_COOKIE}=es" in switched.headers["set-cookie"]


@pytest.mark.parametrize("page_id", SPANISH)
def test_every_spanish_page_is_served_with_its_sections_words_and_sources(
    client: TestClient, page_id: str
) -> None:
    found = entry(page_id, "es")
    page = _page(client, f"/library/{page_id}", headers=ES)
    assert f'<h1 id="entry-title">{found.title}</h1>' in page
    for section in found.sections:
        assert f'<h2 id="{section.slug}">{section.title}</h2>' in page
    assert f'<h2 id="{found.urgent.slug if found.urgent else ""}">Cuándo pedir ayuda</h2>' in page
    for number, reference in enumerate(found.references, start=1):
        assert f'<li id="ref-{reference.key}">{reference.authors} ({reference.year})' in page
        assert f'href="#ref-{reference.key}" aria-label="source {number}">{number}</a>' in page
    for word in found.words:
        assert f'<div id="word-{word.id}">' in page and f"<dt>{word.term}</dt>" in page
    for related in found.meta.related:
        assert f'<a href="/library/{related}">{entry(related, "es").title}</a>' in page
    assert '<ol class="references" lang="en">' in page  # the works' own titles stay English
    checked = "comprobada con una traducción independiente de vuelta al inglés"
    assert (checked in page) == found.checked_translation
    assert "Traducida de la página en inglés" in page


def test_every_link_on_the_spanish_pages_resolves(client: TestClient) -> None:
    client.cookies.set(LANGUAGE_COOKIE, "es")
    resolved: set[str] = set()  # each target fetched once: most pages link the same ones
    for page_id in SPANISH:
        url = f"http://testserver/library/{page_id}"
        html = client.get(url).text
        anchors = set(ID_ATTR.findall(html))
        for href in HREF.findall(html):
            target, fragment = urldefrag(urljoin(url, unescape(href)))
            if fragment and target == url:
                assert fragment in anchors, f"{page_id} links to a missing #{fragment}"
            elif urlsplit(target).path.startswith("/library/") and target not in resolved:
                assert client.get(target).status_code == 200, f"{page_id} -> {target}"
                resolved.add(target)


def test_a_page_without_a_spanish_version_is_english_with_a_spanish_notice(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whichever pages are translated, the fallback is shown by serving one page's English entry
    in the Spanish library."""
    page_id = SPANISH[0]
    english = entry(page_id)
    real = education.entry

    def untranslated(wanted: str, language: str = "en") -> education.Entry:
        return english if wanted == page_id else real(wanted, language)

    monkeypatch.setattr(education, "entry", untranslated)
    page = _page(client, f"/library/{page_id}", headers=ES)
    assert '<html lang="es">' in page
    assert "Esta página todavía no está traducida al español. Se muestra en inglés." in page
    assert '<article class="entry" aria-labelledby="entry-title" lang="en">' in page
    assert f'<h1 id="entry-title">{english.title}</h1>' in page
    assert '<h2 id="sources" lang="es">Fuentes</h2>' in page  # the frame still speaks Spanish


def test_a_stale_translation_says_so_and_links_the_current_english_page(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    page_id = SPANISH[0]
    stale = replace(entry(page_id, "es"), stale=True)
    real = education.entry
    monkeypatch.setattr(
        education, "entry", lambda w, language="en": stale if w == page_id else real(w, language)
    )
    page = _page(client, f"/library/{page_id}", headers=ES)
    assert "La página en inglés se actualizó después de hacer esta traducción." in page
    assert f'<a href="/language/en?next=/library/{page_id}" hreflang="en">' in page
    assert f'<h1 id="entry-title">{stale.title}</h1>' in page


def test_the_spanish_index_groups_pages_and_searches_in_spanish(client: TestClient) -> None:
    page = _page(client, "/library", headers=ES)
    assert "<h1>Biblioteca de salud</h1>" in page
    for heading in ("Problemas de salud", "Pruebas", "Tratamientos"):
        assert f">{heading}</h2>" in page
    for page_id in SPANISH:
        assert f'<a href="/library/{page_id}">{entry(page_id, "es").title}</a>' in page
    found = entry(SPANISH[0], "es")
    word = max(re.findall(r"[^\W\d_]{6,}", found.title), key=len)
    results = _page(client, "/library", params={"q": word}, headers=ES)
    assert "encontrada" in results or "encontradas" in results
    assert f'href="/library/{found.id}"' in results


def test_the_spanish_glossary_and_urgent_box_are_in_spanish(client: TestClient) -> None:
    page = _page(client, "/library/glossary", headers=ES)
    assert '<html lang="es">' in page and '<h1 id="glossary-title">Glosario' in page
    box = education.urgent_care("es")
    urgent = page[page.index('<aside class="urgent"') : page.index("</aside>")]
    if box == education.urgent_care():  # no Spanish file yet: the catalogue's Spanish stands in
        assert "Cuándo pedir ayuda" in urgent or "emergencias" in urgent
    else:
        assert box.title in urgent and box.emergency.signs[0] in urgent
    for word in education.words("es"):
        assert f'<div id="word-{word.id}">' in page


def test_spanish_headings_in_the_page_are_the_agreed_ones(client: TestClient) -> None:
    local = headings("es")
    page = _page(client, f"/library/{SPANISH[0]}", headers=ES)
    for section in entry(SPANISH[0], "es").sections:
        if section.key in local:
            assert f">{local[section.key]}</h2>" in page
