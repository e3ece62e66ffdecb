"""One education page: YAML front matter, then Markdown sections whose titles depend on its kind.

Patients look for the same answers in the same places, so every condition page has the sections the
product lists, and every test or treatment page has the ones that fit it; a page missing one does not
load, and the error names the file and the field.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

import yaml
from pydantic import Field, StringConstraints, model_validator

from spinetrack.domain.education import citations, markdown, terms
from spinetrack.domain.education.citations import Reference
from spinetrack.domain.education.languages import SOURCE_LANGUAGE
from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import SAFE_LOADER, KnowledgeModel, parse
from spinetrack.domain.sources import Sources

Kind = Literal["condition", "cause", "test", "treatment", "guide"]
Region = Literal["cervical", "thoracic", "lumbar"]
EntryId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

CONDITION_SECTIONS = (
    "What it is",
    "Causes",
    "Symptoms",
    "How it is diagnosed",
    "Treatment options",
    "Recovery and rehabilitation",
    "Risks",
    "Prevention",
    "Living with it",
    "Complementary therapies",
    "Research",
    "Frequently asked questions",
)
TREATMENT_OPTIONS = (
    "Non-surgical care",
    "Medicines",
    "Physical therapy and exercise",
    "Injections",
    "Surgery",
)
REQUIRED_SECTIONS: dict[str, tuple[str, ...]] = {
    "condition": CONDITION_SECTIONS,
    "cause": CONDITION_SECTIONS,
    "test": (
        "What it is",
        "Why it is done",
        "What happens",
        "Risks",
        "Results",
        "Frequently asked questions",
    ),
    "treatment": (
        "What it is",
        "Why it is done",
        "What happens",
        "How well it works",
        "Risks",
        "Recovery",
        "Frequently asked questions",
    ),
    "guide": (
        "Why it matters",
        "What you can do",
        "Frequently asked questions",
    ),
}
"""Section titles each kind of page must have, in this order (a page may add its own between them)."""

URGENT_SECTION = "When to get help"
"""Pages in the referenced format name, in their own words, the urgent signs that matter for them;
the page shows this section at its top, beside the shared urgent-care box."""

_FENCE = "---"


class FrontMatter(KnowledgeModel):
    id: EntryId
    title: Text
    kind: Kind
    regions: Annotated[list[Region], Field(min_length=1)]
    also_called: tuple[Text, ...] = ()
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=20, max_length=320)]
    related: Annotated[list[EntryId], Field(min_length=1)]
    last_reviewed: date
    reviewed_by: Text
    """Who reviewed the page, by role, honestly: the project's editors unless a clinician did."""
    sources: Sources | None = None
    """Legacy: citations as one line each, on pages not yet rewritten with ``references``."""
    references: list[Reference] | None = None

    @model_validator(mode="after")
    def _one_kind_of_source(self) -> "FrontMatter":
        if (self.sources is None) == (self.references is None):
            raise ValueError("a page lists either references (full) or sources (legacy), not both")
        if self.references is not None and not self.references:
            raise ValueError("references must list at least one source")
        return self


class Translation(KnowledgeModel):
    """Who translated a page, and how: forward, back-translated without the source, reconciled."""

    forward: Text
    back: Text | None = None
    reconciled: Text | None = None


class TranslatedFrontMatter(KnowledgeModel):
    """A translated page's own fields; everything else comes from its English page."""

    id: EntryId
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(_[A-Z]{2})?$")]
    title: Text
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=20, max_length=320)]
    also_called: tuple[Text, ...] = ()
    source_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    """SHA-256 of the English file as translated: when the English changes, the page is stale."""
    translation: Translation


@dataclass(frozen=True)
class Section:
    title: str
    slug: str
    markdown: str
    html: str
    key: str = ""
    """The English heading this section is (its title on an English page), whatever the language."""


@dataclass(frozen=True)
class Entry:
    """A glossary entry as readers see it: its front matter, its sections, and its words for search."""

    file: str
    meta: FrontMatter
    sections: tuple[Section, ...]
    body_text: str
    references: tuple[Reference, ...] = ()
    """In the order the page first cites them: reference n is the one shown as [n]."""
    words: tuple[terms.Term, ...] = ()
    """The glossary words the page links, defined at its foot."""
    language: str = SOURCE_LANGUAGE
    """The language the page's text is in (English when a language has no translation of it)."""
    translation: TranslatedFrontMatter | None = None
    stale: bool = False
    """A translation of an older English text: the English page changed after it was translated."""

    @property
    def referenced(self) -> bool:
        """Whether the page is in the referenced format (full references, in-text citations)."""
        return self.meta.references is not None

    @property
    def checked_translation(self) -> bool:
        """A translation back-translated without the source and reconciled by its translator."""
        done = self.translation.translation if self.translation else None
        return bool(done and done.back and done.reconciled)

    @property
    def urgent(self) -> Section | None:
        return next((s for s in self.sections if s.key == URGENT_SECTION), None)

    @property
    def body_sections(self) -> tuple[Section, ...]:
        """The sections shown in the page's body (the urgent one is shown with the urgent box)."""
        return tuple(s for s in self.sections if s.key != URGENT_SECTION)

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def kind(self) -> Kind:
        return self.meta.kind


def slug(title: str) -> str:
    """An anchor for a heading: lower case ASCII words joined by hyphens, accents dropped
    ("Cómo se revisa" -> "como-se-revisa")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", title) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def _front_matter(file: str, text: str) -> tuple[dict[str, object], str]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != _FENCE or _FENCE not in (s.strip() for s in lines[1:]):
        raise KnowledgeError(file, "front matter", "a page starts with YAML between two --- lines")
    end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == _FENCE)
    try:
        data = yaml.load("\n".join(lines[1:end]), Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise KnowledgeError(file, "front matter", f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise KnowledgeError(file, "front matter", "must be a mapping of fields")
    return data, "\n".join(lines[end + 1 :])


def _check_order(
    file: str,
    field: str,
    found: list[str],
    required: tuple[str, ...],
    shown: Callable[[str], str] = str,
) -> None:
    """``found`` and ``required`` are English keys; errors name the headings as the page writes them."""
    missing = [title for title in required if title not in found]
    if missing:
        raise KnowledgeError(file, field, f"missing section {shown(missing[0])!r}")
    positions = [found.index(title) for title in required]
    if positions != sorted(positions):
        order = ", ".join(shown(title) for title in required)
        raise KnowledgeError(file, field, f"sections must come in this order: {order}")


def _render(block_markdown: str, numbers: dict[str, int]) -> str:
    html = markdown.render(citations.to_markers(block_markdown, numbers))
    html = citations.markers_to_html(html, {n: key for key, n in numbers.items()})
    return re.sub(r'href="glossary#([a-z0-9-]+)"', r'href="#word-\1"', html)


@dataclass(frozen=True)
class _Headings:
    """A language's section headings: English heading -> the heading its pages use (none for
    English). Sections are checked by their English keys, errors name the page's own headings."""

    local: dict[str, str]

    def key(self, title: str) -> str:
        if not self.local:
            return title
        for english, translated in self.local.items():
            if title == translated:
                return english
        # An English heading left untranslated is not the section: the check then names the
        # heading the page should have used.
        return f"{title} (untranslated)" if title in self.local else title

    def shown(self, english: str) -> str:
        return self.local.get(english, english)


def _sections(
    file: str,
    kind: Kind,
    body: str,
    numbers: dict[str, int],
    referenced: bool,
    headings: dict[str, str] | None = None,
) -> tuple[Section, ...]:
    """The page's ``##`` sections, checked by their English keys (see ``_Headings``)."""
    names = _Headings(headings or {})
    parts = markdown.split(body, level=2)
    if parts.preamble:
        raise KnowledgeError(file, "sections", "text before the first ## section")
    titles = [block.title for block in parts.blocks]
    duplicated = sorted({t for t in titles if titles.count(t) > 1})
    if duplicated:
        raise KnowledgeError(file, "sections", f"section {duplicated[0]!r} appears twice")
    keys = [names.key(t) for t in titles]
    _check_order(file, "sections", keys, REQUIRED_SECTIONS[kind], names.shown)
    if referenced and URGENT_SECTION not in keys:
        raise KnowledgeError(file, "sections", f"missing section {names.shown(URGENT_SECTION)!r}")
    for block in parts.blocks:
        _check_block(file, kind, block, names)
    return tuple(
        Section(b.title, slug(k), b.markdown, _render(b.markdown, numbers), k)
        for b, k in zip(parts.blocks, keys, strict=True)
    )


def _check_block(file: str, kind: Kind, block: markdown.Block, names: _Headings) -> None:
    if not block.markdown:
        raise KnowledgeError(file, f"sections.{block.title}", "section is empty")
    if kind in {"condition", "cause"} and names.key(block.title) == "Treatment options":
        options = [names.key(b.title) for b in markdown.split(block.markdown, level=3).blocks]
        _check_order(file, f"sections.{block.title}", options, TREATMENT_OPTIONS, names.shown)


def parse_translation(
    file: str, text: str, source: Entry, source_sha256: str, headings: dict[str, str]
) -> Entry:
    """Validate a translated page against its English page ``source``.

    The translation brings its own title, summary, other names and body; kind, regions, related
    pages, references and review are the English page's, so they cannot drift apart. Its sections
    are checked by their English keys through ``headings``, and every citation must resolve to the
    English page's references. ``source_sha256`` is the English file's digest now: a page
    translated from another text is marked stale.
    """
    data, body = _front_matter(file, text)
    own = parse(file, TranslatedFrontMatter, data=data)
    stem = file.rsplit("/", 1)[-1].removesuffix(".md")
    if own.id != stem or own.id != source.id:
        raise KnowledgeError(file, "id", f"id {own.id!r} differs from the file name {stem!r}")
    meta = source.meta.model_copy(
        update={"title": own.title, "summary": own.summary, "also_called": own.also_called}
    )
    references = _numbered_references(file, meta, body)
    numbers = {reference.key: n for n, reference in enumerate(references, start=1)}
    sections = _sections(file, meta.kind, body, numbers, meta.references is not None, headings)
    return Entry(
        file=file,
        meta=meta,
        sections=sections,
        body_text=markdown.plain_text(citations.strip_citations(body)),
        references=references,
        words=_words(file, body, own.language),
        language=own.language,
        translation=own,
        stale=own.source_sha256 != source_sha256,
    )


def parse_page(file: str, text: str) -> Entry:
    """Validate one page; ``file`` names it in errors and its stem must be the page's id."""
    data, body = _front_matter(file, text)
    if "sources" not in data and "references" not in data:
        raise KnowledgeError(file, "references", "Field required: the page's full references")
    meta = parse(file, FrontMatter, data=data)
    stem = file.rsplit("/", 1)[-1].removesuffix(".md")
    if meta.id != stem:
        raise KnowledgeError(file, "id", f"id {meta.id!r} differs from the file name {stem!r}")
    references = _numbered_references(file, meta, body)
    numbers = {reference.key: n for n, reference in enumerate(references, start=1)}
    sections = _sections(file, meta.kind, body, numbers, meta.references is not None)
    return Entry(
        file=file,
        meta=meta,
        sections=sections,
        body_text=markdown.plain_text(citations.strip_citations(body)),
        references=references,
        words=_words(file, body),
    )


def _numbered_references(file: str, meta: FrontMatter, body: str) -> tuple[Reference, ...]:
    """The page's references in order of first citation; every citation and reference must pair."""
    listed = meta.references or []
    by_key: dict[str, Reference] = {}
    for number, reference in enumerate(listed):
        if reference.key in by_key:
            raise KnowledgeError(file, f"references.{number}.key", f"{reference.key!r} twice")
        by_key[reference.key] = reference
    cited = citations.cited_keys(body)
    for key in cited:
        if key not in by_key:
            raise KnowledgeError(file, "sections", f"citation [@{key}] resolves to no reference")
    for number, reference in enumerate(listed):
        if reference.key not in cited:
            raise KnowledgeError(
                file, f"references.{number}", f"{reference.key!r} is never cited in the text"
            )
    return tuple(by_key[key] for key in cited)


def _words(file: str, body: str, language: str = SOURCE_LANGUAGE) -> tuple[terms.Term, ...]:
    known = terms.terms(language)
    linked = terms.linked_terms(body)
    for term_id in linked:
        if term_id not in known:
            raise KnowledgeError(file, "sections", f"link to no glossary word {term_id!r}")
    return tuple(known[term_id] for term_id in linked)
