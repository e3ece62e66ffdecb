"""Words patients meet on the education pages, each with a definition in plain words.

A page links a technical word the first time it uses it, as ``[facet joints](glossary#facet-joint)``;
the page shows the definitions of the words it links in a list at its foot, so on a phone the reader
taps the word and reads its meaning without leaving the page. The full list is the glossary page.

``unexplained`` finds the glossary words a page uses before (or without) linking them.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Annotated

from markdown_it import MarkdownIt
from markdown_it.token import Token
from pydantic import Field, StringConstraints

from spinetrack.domain.education.languages import SOURCE_LANGUAGE, localized_file
from spinetrack.domain.knowledge import KnowledgeModel, parse

TERMS_FILE = "education/glossary.yaml"
"""The English glossary; another language's is ``education/<code>/glossary.yaml``, same ids."""
LINK_PREFIX = "glossary#"

TermId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2)]


class Term(KnowledgeModel):
    """A word, the other forms it takes in the text, and what it means."""

    id: TermId
    term: Words
    forms: Annotated[list[Words], Field(min_length=1)]
    """Every form of the word as it appears in text (lower case), the term itself included."""
    definition: Annotated[str, StringConstraints(strip_whitespace=True, min_length=20)]
    page: str | None = None
    """The library page that explains the word in full, if there is one."""


class Terms(KnowledgeModel):
    terms: Annotated[list[Term], Field(min_length=1)]


@cache
def terms(language: str = SOURCE_LANGUAGE) -> dict[str, Term]:
    """Every glossary word by id, alphabetical by the word, in ``language`` (English until that
    language has its own glossary)."""
    loaded = parse(localized_file(language, "glossary.yaml"), Terms).terms
    return {t.id: t for t in sorted(loaded, key=lambda t: t.term.lower())}


def _pattern(term: Term) -> re.Pattern[str]:
    forms = sorted(term.forms, key=len, reverse=True)
    # Letters on both sides end a word in any alphabet ("fusión", "vértebras"), not only ASCII.
    return re.compile(
        r"(?<!\w)(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)", re.IGNORECASE
    )


_PARSER = MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True)
class _Run:
    text: str
    link: str | None


def _runs(markdown: str) -> Iterator[_Run]:
    """The text of paragraphs, list items and tables in order, each with the link it sits in."""
    heading = False
    for token in _PARSER.parse(markdown):
        if token.type in {"heading_open", "heading_close"}:
            heading = token.type == "heading_open"
        elif token.type == "inline" and not heading:
            yield from _inline_runs(token.children or [])


def _inline_runs(children: list[Token]) -> Iterator[_Run]:
    link: str | None = None
    for child in children:
        if child.type == "link_open":
            link = str(child.attrs.get("href", ""))
        elif child.type == "link_close":
            link = None
        elif child.type in {"text", "code_inline"}:
            yield _Run(child.content, link)


def _is_page_link(target: str | None) -> bool:
    return bool(target) and not str(target).startswith(
        ("#", "http://", "https://", "mailto:", LINK_PREFIX)
    )


def linked_terms(markdown: str) -> list[str]:
    """Ids of the glossary words a fragment links, in order of first link."""
    found: list[str] = []
    for run in _runs(markdown):
        if run.link and run.link.startswith(LINK_PREFIX):
            term_id = run.link.removeprefix(LINK_PREFIX)
            if term_id not in found:
                found.append(term_id)
    return found


def unexplained(markdown: str, page_id: str, language: str = SOURCE_LANGUAGE) -> list[str]:
    """Glossary words whose first use on the page is not a link to their definition or page.

    The page about a word (``page`` of the term) need not link it: the whole page explains it. A
    word first met inside a link to another library page ("artificial disc replacement") counts as
    explained: the link leads to a page that explains it.
    """
    missing = []
    runs = list(_runs(markdown))
    for term in terms(language).values():
        if term.page == page_id:
            continue
        pattern = _pattern(term)
        first = next((run for run in runs if pattern.search(run.text)), None)
        if first is None:
            continue
        allowed = {LINK_PREFIX + term.id}
        if term.page:
            allowed.add(term.page)
        if first.link not in allowed and not _is_page_link(first.link):
            missing.append(term.term)
    return missing
