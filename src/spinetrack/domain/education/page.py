"""One education page: YAML front matter, then Markdown sections whose titles depend on its kind.

Patients look for the same answers in the same places, so every condition page has the sections the
product lists, and every test or treatment page has the ones that fit it; a page missing one does not
load, and the error names the file and the field.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Literal

import yaml
from pydantic import Field, StringConstraints

from spinetrack.domain.education import markdown
from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import SAFE_LOADER, KnowledgeModel, parse
from spinetrack.domain.sources import Sources

Kind = Literal["condition", "cause", "test", "treatment"]
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
}
"""Section titles each kind of page must have, in this order (a page may add its own between them)."""

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
    sources: Sources


@dataclass(frozen=True)
class Section:
    title: str
    slug: str
    markdown: str
    html: str


@dataclass(frozen=True)
class Entry:
    """A glossary entry as readers see it: its front matter, its sections, and its words for search."""

    file: str
    meta: FrontMatter
    sections: tuple[Section, ...]
    body_text: str

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
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


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


def _check_order(file: str, field: str, found: list[str], required: tuple[str, ...]) -> None:
    missing = [title for title in required if title not in found]
    if missing:
        raise KnowledgeError(file, field, f"missing section {missing[0]!r}")
    positions = [found.index(title) for title in required]
    if positions != sorted(positions):
        raise KnowledgeError(
            file, field, f"sections must come in this order: {', '.join(required)}"
        )


def _sections(file: str, kind: Kind, body: str) -> tuple[Section, ...]:
    parts = markdown.split(body, level=2)
    if parts.preamble:
        raise KnowledgeError(file, "sections", "text before the first ## section")
    titles = [block.title for block in parts.blocks]
    duplicated = sorted({t for t in titles if titles.count(t) > 1})
    if duplicated:
        raise KnowledgeError(file, "sections", f"section {duplicated[0]!r} appears twice")
    _check_order(file, "sections", titles, REQUIRED_SECTIONS[kind])
    for block in parts.blocks:
        if not block.markdown:
            raise KnowledgeError(file, f"sections.{block.title}", "section is empty")
        if kind in {"condition", "cause"} and block.title == "Treatment options":
            options = [b.title for b in markdown.split(block.markdown, level=3).blocks]
            _check_order(file, "sections.Treatment options", options, TREATMENT_OPTIONS)
    return tuple(
        Section(b.title, slug(b.title), b.markdown, markdown.render(b.markdown))
        for b in parts.blocks
    )


def parse_page(file: str, text: str) -> Entry:
    """Validate one page; ``file`` names it in errors and its stem must be the page's id."""
    data, body = _front_matter(file, text)
    meta = parse(file, FrontMatter, data=data)
    stem = file.rsplit("/", 1)[-1].removesuffix(".md")
    if meta.id != stem:
        raise KnowledgeError(file, "id", f"id {meta.id!r} differs from the file name {stem!r}")
    sections = _sections(file, meta.kind, body)
    return Entry(file=file, meta=meta, sections=sections, body_text=markdown.plain_text(body))
