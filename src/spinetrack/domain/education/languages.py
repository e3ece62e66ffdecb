"""The languages the education library is written in, found from the folders of knowledge/education/.

English is the source: its pages hold the metadata every translation shares (kind, regions,
related pages, references, review). Another language is a folder, ``education/<code>/``, holding
``sections.yaml`` (its section headings), its translated pages (same file names as the English
ones) and, when translated, its own ``glossary.yaml`` and ``urgent-care.yaml``. Adding a language is
that folder and a web catalogue; no code names a language but the source one.
"""

from functools import cache
from typing import Annotated

from pydantic import Field, StringConstraints

from spinetrack.domain.errors import KnowledgeError
from spinetrack.domain.knowledge import KnowledgeModel, list_files, list_folders, parse

SOURCE_LANGUAGE = "en"
FOLDER = "education"

Heading = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2)]


class Headings(KnowledgeModel):
    """English section heading -> the heading pages in this language use for it."""

    headings: Annotated[dict[Heading, Heading], Field(min_length=1)]


def folder(language: str) -> str:
    """The knowledge folder of a language's pages: ``education`` or ``education/<code>``."""
    return FOLDER if language == SOURCE_LANGUAGE else f"{FOLDER}/{language}"


@cache
def languages() -> tuple[str, ...]:
    """The source language, then every language with a folder of its own, sorted."""
    return (SOURCE_LANGUAGE, *list_folders(FOLDER))


@cache
def headings(language: str) -> dict[str, str]:
    """The language's section headings by English heading (identity for English)."""
    if language == SOURCE_LANGUAGE:
        return {}
    relpath = f"{folder(language)}/sections.yaml"
    if relpath not in list_files(folder(language)):
        raise KnowledgeError(relpath, "", "a language folder needs its section headings")
    found = parse(relpath, Headings).headings
    translated = list(found.values())
    doubled = sorted({h for h in translated if translated.count(h) > 1})
    if doubled:
        raise KnowledgeError(relpath, "headings", f"{doubled[0]!r} translates two headings")
    return found


def localized_file(language: str, name: str) -> str:
    """The language's own copy of a shared file (glossary, urgent box), else the English one."""
    own = f"{folder(language)}/{name}"
    if language != SOURCE_LANGUAGE and own in list_files(folder(language)):
        return own
    return f"{FOLDER}/{name}"
