"""Traceable sources on education pages: full references in front matter, ``[@key]`` in the text.

A patient (or a clinician checking a page) must be able to follow any number or any claim of benefit
or harm to where it comes from. So a page lists its references in full (authors, year, title, an
identifier such as a DOI, PMID or guideline number, and what kind of evidence it is), cites them in
the text as ``[@key]`` or ``[@key1; @key2]``, and the page shows those as numbered links to its
reference list, numbered in the order they are first cited.

``uncited`` finds the paragraphs that state a number or a claim of benefit or harm and cite nothing:
the check that keeps a page traceable as it is edited.
"""

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from markdown_it import MarkdownIt
from pydantic import Field, StringConstraints

from spinetrack.domain.knowledge import KnowledgeModel

EvidenceKind = Literal["guideline", "systematic_review", "trial", "cohort", "other"]
EVIDENCE_ORDER: tuple[EvidenceKind, ...] = (
    "guideline",
    "systematic_review",
    "trial",
    "cohort",
    "other",
)
"""Strongest first: a page leans on guidelines, reviews and trials before other material."""

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2)]
Identifier = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        # A DOI, a PubMed id, a guideline or label number, or a web address of the issuing body.
        pattern=r"^(doi:10\.\d{4,}/\S+|PMID:\d{4,9}|NICE [A-Z]{2,3}\d+|FDA .+|ISBN [0-9Xx-]+|https://\S+)$",
    ),
]


class Reference(KnowledgeModel):
    """One source, in full, as the front matter of a page lists it."""

    key: Key
    authors: Text
    year: Annotated[int, Field(ge=1900, le=2100)]
    title: Text
    published_in: Text
    identifier: Identifier
    kind: EvidenceKind

    def link(self) -> str | None:
        """Where the identifier can be opened, if it is one a browser can follow."""
        if self.identifier.startswith("doi:"):
            return "https://doi.org/" + self.identifier.removeprefix("doi:")
        if self.identifier.startswith("PMID:"):
            return "https://pubmed.ncbi.nlm.nih.gov/" + self.identifier.removeprefix("PMID:") + "/"
        if self.identifier.startswith("NICE "):
            code = self.identifier.removeprefix("NICE ").lower()
            return f"https://www.nice.org.uk/guidance/{code}"
        if self.identifier.startswith("https://"):
            return self.identifier
        return None


CITATION = re.compile(r"\[(@[a-z][a-z0-9-]*(?:\s*;\s*@[a-z][a-z0-9-]*)*)\]")
"""``[@key]`` or ``[@key1; @key2]``."""

_MARKER = "\u27e6cite:{}\u27e7"
_MARKER_PATTERN = re.compile("\u27e6cite:([0-9,]+)\u27e7")


def cited_keys(markdown: str) -> list[str]:
    """Every key cited in ``markdown``, in order of first citation."""
    found: list[str] = []
    for match in CITATION.finditer(markdown):
        for key in _keys(match.group(1)):
            if key not in found:
                found.append(key)
    return found


def _keys(group: str) -> list[str]:
    return [part.strip().removeprefix("@") for part in group.split(";")]


def to_markers(markdown: str, numbers: dict[str, int]) -> str:
    """Replace each citation by a marker that Markdown leaves alone, holding the source numbers."""

    def replace(match: re.Match[str]) -> str:
        return _MARKER.format(",".join(str(numbers[key]) for key in _keys(match.group(1))))

    return CITATION.sub(replace, markdown)


def markers_to_html(html: str, keys_by_number: dict[int, str]) -> str:
    """Turn the markers in rendered HTML into superscript links to the reference list."""

    def replace(match: re.Match[str]) -> str:
        links = ",".join(
            f'<a href="#ref-{keys_by_number[int(n)]}" aria-label="source {n}">{n}</a>'
            for n in match.group(1).split(",")
        )
        return f'<sup class="cite">[{links}]</sup>'

    return _MARKER_PATTERN.sub(replace, html)


def strip_citations(markdown: str) -> str:
    """The text without its citations (for search and for reading-level counts)."""
    return CITATION.sub("", markdown)


# --- the traceability check -------------------------------------------------------------------

_PARSER = MarkdownIt("commonmark").enable("table")

_NUMBER_WORDS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundred|thousand|half|quarter|third|thirds|most|majority"
)
_NUMBER = re.compile(
    rf"\d|%|\bper ?cent\b|\b(?:{_NUMBER_WORDS})\b\s+(?:in|out of|of)\s+(?:\d|\b(?:{_NUMBER_WORDS})\b)"
    rf"|\b(?:half|most|majority)\b",
    re.IGNORECASE,
)
_NAMES_WITH_DIGITS = re.compile(
    r"\btype [12]\b|\b3D\b|\b[CTLS]\d(?:[-–/][CTLS]?\d)?\b|\b\d+ ?°C\b|\b\d+ ?°F\b|\b999\b|\b911\b|\b988\b|"
    r"\b111\b|\bNG\d+\b|\b\d{4}\b(?= (?:review|guideline|warning|trial|study))",
    re.IGNORECASE,
)
"""Digits that name rather than count: PSPS type 2, spinal levels like L4-L5, phone numbers such as
999, guideline codes. A year followed by "review" or "warning" still needs its citation nearby, but
that citation is on the same line anyway; the year itself is not a claim."""

_CLAIM = re.compile(
    r"\b(?:works|worked|effective|benefit\w*|improv\w*|reduc\w*|relie(?:f|ve[sd]?)|"
    r"helps|helped|harm\w*|risks?|riskier|side[- ]effects?|complications?|safer|"
    r"better than|worse than|no better|lowers?|raises?|increases?|doubles?|slows|slowed)\b",
    re.IGNORECASE,
)


_LINK_TARGET = re.compile(r"\]\([^)]*\)")


@dataclass(frozen=True)
class Uncited:
    """A paragraph (or list item) that states a number or a claim and cites nothing."""

    what: Literal["number", "claim"]
    text: str


def _has_number(text: str) -> bool:
    return bool(_NUMBER.search(_NAMES_WITH_DIGITS.sub(" ", text)))


def uncited(markdown: str) -> list[Uncited]:
    """Paragraphs, list items and table cells with a number or a claim and no citation.

    A list item counts as cited when the paragraph that introduces its list cites, so "Possible
    problems include [@key]:" can head a list of risks. Headings are questions, not claims.
    """
    problems: list[Uncited] = []
    tokens = _PARSER.parse(markdown)
    lead_cites = False
    list_depth = 0
    lead_by_depth: list[bool] = []
    heading = False
    for token in tokens:
        if token.type == "heading_open":
            heading = True
        elif token.type == "heading_close":
            heading = False
        elif token.type in {"bullet_list_open", "ordered_list_open"}:
            list_depth += 1
            lead_by_depth.append(lead_cites)
        elif token.type in {"bullet_list_close", "ordered_list_close"}:
            list_depth -= 1
            lead_by_depth.pop()
        elif token.type == "inline" and not heading:
            cites = bool(CITATION.search(token.content))
            # The words a reader sees: link targets ("pain-relief-medicines") are not claims.
            text = _LINK_TARGET.sub("]", strip_citations(token.content))
            covered = cites or (list_depth > 0 and any(lead_by_depth))
            if not covered:
                if _has_number(text):
                    problems.append(Uncited("number", text.strip()))
                elif _CLAIM.search(text):
                    problems.append(Uncited("claim", text.strip()))
            lead_cites = cites and text.rstrip().endswith(":")
    return problems
