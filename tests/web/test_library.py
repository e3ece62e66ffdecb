"""The education library in the browser's terms: public pages, every link resolves, search by GET."""

import re
from html import unescape
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient
from tests.support.apps import shared_app

from spinetrack.app import create_app
from spinetrack.domain.education import entries, entry, languages, urgent_care, words
from spinetrack.services.operations.database import Database

IDS = [e.id for e in entries()]
HREF = re.compile(r'href="([^"]+)"')
ID_ATTR = re.compile(r'id="([^"]+)"')


@pytest.fixture
def client(sqlite_only: Database) -> TestClient:
    return TestClient(shared_app(sqlite_only))


def _links(base: str, page: str) -> list[str]:
    return [urljoin(base, unescape(href)) for href in HREF.findall(page)]


def test_the_index_is_public_and_lists_every_entry_under_its_kind(client: TestClient) -> None:
    response = client.get("/library")
    assert response.status_code == 200
    page = response.text
    for heading in ("Conditions", "Causes of pain after surgery", "Tests", "Treatments"):
        assert f">{heading}</h2>" in page
    for found in entries():
        assert f'<a href="/library/{found.id}">{found.title}</a>' in unescape(page)
    conditions = page[page.index('id="condition"') : page.index('id="cause"')]
    assert '/library/failed-fusion"' in conditions and "/library/mri" not in conditions


def test_the_index_groups_are_alphabetical(client: TestClient) -> None:
    page = unescape(client.get("/library").text)
    tests = page[page.index('id="test"') : page.index('id="treatment"')]
    titles = re.findall(r'<a href="/library/[^"]+">([^<]+)</a>', tests)
    assert titles == sorted(titles, key=str.lower) and len(titles) >= 5


@pytest.mark.parametrize("entry_id", IDS)
def test_an_entry_page_shows_its_sections_contents_related_entries_and_sources(
    client: TestClient, entry_id: str
) -> None:
    found = entry(entry_id)
    response = client.get(f"/library/{entry_id}")
    assert response.status_code == 200
    page = unescape(response.text)
    assert f'<h1 id="entry-title">{found.title}</h1>' in page
    toc_start = page.index('class="entry-toc"')
    toc = page[toc_start : page.index("</nav>", toc_start)]
    for section in found.sections:
        assert f'<h2 id="{section.slug}">{section.title}</h2>' in page
    for section in found.body_sections:
        assert f'<a href="#{section.slug}">{section.title}</a>' in toc
    for related in found.meta.related:
        assert f'<a href="/library/{related}">{entry(related).title}</a>' in page
    sources = page[page.index('<h2 id="sources">') :]
    if found.referenced:
        for number, reference in enumerate(found.references, start=1):
            assert f'<li id="ref-{reference.key}">{reference.authors} ({reference.year})' in sources
            assert f'href="#ref-{reference.key}" aria-label="source {number}">{number}</a>' in page
    else:
        for source in found.meta.sources or []:
            assert f"<li>{source}</li>" in sources
    assert f'datetime="{found.meta.last_reviewed.isoformat()}"' in page
    assert f"Reviewed by: {found.meta.reviewed_by}." in page
    assert page.count('<a href="/library">Back to the index</a>') == 2


def test_every_page_shows_when_to_get_help_straight_away(client: TestClient) -> None:
    box = urgent_care()
    for path in ("/library", "/library/mri", "/library/no-such-entry"):
        page = unescape(client.get(path).text)
        assert box.title in page
        assert box.emergency.signs[0] in page and box.same_day.signs[-1] in page


def test_a_rewritten_page_shows_its_own_urgent_signs_before_the_shared_box(
    client: TestClient,
) -> None:
    for found in entries():
        if not found.referenced:
            continue
        page = unescape(client.get(f"/library/{found.id}").text)
        assert found.urgent is not None
        own = page.index(f'<h2 id="{found.urgent.slug}">When to get help</h2>')
        assert own < page.index('<h2 id="urgent-title">') < page.index('class="entry-toc"')
        for word in found.words:
            assert f'href="#word-{word.id}"' in page and f'<div id="word-{word.id}">' in page


def test_the_shared_box_names_clot_meningitis_and_crisis_signs(client: TestClient) -> None:
    page = unescape(client.get("/library/mri").text)
    box = page[page.index('<aside class="urgent"') : page.index("</aside>")]
    for sign in (
        "blood clot in the lungs",
        "calf",
        "both legs",
        "problems with sex",
        "meningitis",
        "988",
        "116 123",
    ):
        assert sign in box


def test_the_glossary_page_defines_every_word_with_an_anchor(client: TestClient) -> None:
    response = client.get("/library/glossary")
    assert response.status_code == 200
    page = unescape(response.text)
    for word in words():
        assert f'<div id="word-{word.id}">' in page and f"<dt>{word.term}</dt>" in page


def test_every_link_reachable_from_the_library_resolves(client: TestClient) -> None:
    start = "http://testserver/library"
    seen: set[str] = set()
    queue = [start]
    broken: list[str] = []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code == 404:
            broken.append(url)
            continue
        if not urlsplit(url).path.startswith("/library") or "text/html" not in response.headers.get(
            "content-type", ""
        ):
            continue
        anchors = set(ID_ATTR.findall(response.text))
        for link in _links(url, response.text):
            target, fragment = urldefrag(link)
            if fragment and target == urldefrag(url)[0]:
                assert fragment in anchors, f"{url} links to a missing #{fragment}"
            if urlsplit(target).netloc == "testserver":
                queue.append(target)
    assert broken == []
    assert {f"http://testserver/library/{i}" for i in IDS} <= seen


def test_search_finds_entries_by_another_name(client: TestClient) -> None:
    page = unescape(client.get("/library", params={"q": "pseudarthrosis"}).text)
    start = page.index('class="library-results"')
    results = page[start : page.index("</section>", start)]
    assert "found for “pseudarthrosis”" in results
    assert results.index("/library/failed-fusion") < results.index("/library/spinal-fusion")
    assert 'value="pseudarthrosis"' in page
    assert 'id="condition"' in page, "the whole index stays below the results"


def test_a_search_without_results_says_so_and_offers_the_index(client: TestClient) -> None:
    page = unescape(client.get("/library", params={"q": "zebra crossing"}).text)
    assert "Nothing found for “zebra crossing”" in page
    assert '<a href="/library">Clear the search and show the whole index</a>' in page


def test_an_empty_search_shows_the_index_without_results(client: TestClient) -> None:
    page = client.get("/library", params={"q": "  "}).text
    assert 'class="library-results"' not in page and 'id="treatment"' in page


def test_the_search_form_works_without_javascript(client: TestClient) -> None:
    page = client.get("/library").text
    assert re.search(r'<form class="library-search" method="get" action="/library"', page)
    assert '<label for="library-q">' in page and 'name="q"' in page


def test_a_search_query_is_shown_escaped(client: TestClient) -> None:
    page = client.get("/library", params={"q": '<script>alert("x")</script>'}).text
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_an_unknown_entry_is_a_404_page_in_the_site_layout(client: TestClient) -> None:
    response = client.get("/library/no-such-entry")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<header class="site-header">' in page and '<a href="/library">Library</a>' in page
    assert "We could not find that entry" in page
    assert '<a href="/library">Back to the index</a>' in page
    assert 'action="/library"' in page


@pytest.mark.parametrize("path", ["/library", "/library/failed-fusion", "/library/no-such-entry"])
def test_library_pages_carry_no_inline_script_or_style(client: TestClient, path: str) -> None:
    page = client.get(path).text
    assert "<script" not in page and "<style" not in page and " style=" not in page
    assert re.search(r"<[^>]+\son[a-z]+=", page) is None, "no inline event handlers"


def test_the_library_is_built_at_start_up_and_search_stems(
    sqlite_only: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from spinetrack.domain.education import glossary
    from spinetrack.web.routes import library

    monkeypatch.setattr(library, "_warming", [])
    glossary._library.cache_clear()
    with TestClient(create_app(sqlite_only)) as started:  # runs the application's start-up
        assert [t.name for t in library._warming] == ["library-warm-up"]
        assert not library._warming[0].is_alive()  # start-up waited for the build
        # One library per language, each built before any request.
        assert glossary._library.cache_info().currsize == len(languages())
        page = unescape(started.get("/library", params={"q": "stenoses"}).text)
    assert '<a href="/library/spinal-stenosis">' in page
