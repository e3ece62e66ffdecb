"""The education library: every page of knowledge/education/, validated together, found by id or words.

A page alone is checked by ``page.parse_page``; here the pages are checked against each other (ids
unique, related entries and links point at pages that exist), once, and kept.
"""

from dataclasses import dataclass
from functools import cache

from spinetrack.domain.education import markdown, terms
from spinetrack.domain.education.page import Entry, parse_page
from spinetrack.domain.education.search import SearchIndex
from spinetrack.domain.errors import KnowledgeError, NotFound
from spinetrack.domain.knowledge import list_files

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


def check_words(ids: set[str]) -> None:
    """Raise KnowledgeError unless every glossary word's own page exists."""
    for term in terms.terms().values():
        if term.page is not None and term.page not in ids:
            raise KnowledgeError(terms.TERMS_FILE, f"{term.id}.page", f"no entry {term.page!r}")


def build(texts: dict[str, str]) -> Library:
    """A library from page texts by file name (the served one, or an older copy to compare with)."""
    pages = [parse_page(f, text) for f, text in sorted(texts.items())]
    check(pages)
    ordered = sorted(pages, key=lambda page: page.title.lower())
    return Library(by_id={page.id: page for page in ordered}, index=SearchIndex(ordered))


@cache
def _library() -> Library:
    library = build({f: read_knowledge_file(f) for f in list_files(FOLDER, suffix=".md")})
    check_words(set(library.by_id))
    return library


def entries() -> list[Entry]:
    """Every entry, alphabetical by title."""
    return list(_library().by_id.values())


def entry(entry_id: str) -> Entry:
    found = _library().by_id.get(entry_id)
    if found is None:
        raise NotFound("library entry", entry_id)
    return found


def words() -> list[terms.Term]:
    """Every glossary word, alphabetical: the glossary page."""
    return list(terms.terms().values())


def search(query: str) -> list[Entry]:
    """Entries matching every word of ``query``, best first."""
    return _library().index.search(query)
