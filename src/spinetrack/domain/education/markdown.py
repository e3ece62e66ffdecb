"""Markdown for the education pages: split a page into its sections, render them, list their links.

CommonMark with tables and without raw HTML, so a page can never smuggle markup or scripts in.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")


@dataclass(frozen=True)
class Block:
    """A heading of the given level and the Markdown source under it, up to the next such heading."""

    title: str
    markdown: str


@dataclass(frozen=True)
class Split:
    preamble: str
    blocks: tuple[Block, ...]


def split(markdown: str, level: int) -> Split:
    """Cut ``markdown`` at its headings of ``level`` (2 for ``##``); text before the first is the preamble."""
    lines = markdown.splitlines()
    tokens = _MARKDOWN.parse(markdown)
    starts: list[tuple[int, int, str]] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == f"h{level}" and token.map:
            starts.append((token.map[0], token.map[1], tokens[index + 1].content.strip()))
    first = starts[0][0] if starts else len(lines)
    blocks = []
    for number, (_, body_start, title) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(lines)
        blocks.append(Block(title, "\n".join(lines[body_start:end]).strip()))
    return Split("\n".join(lines[:first]).strip(), tuple(blocks))


def render(markdown: str) -> str:
    """HTML of a Markdown fragment (raw HTML in the source is shown as text, never executed)."""
    html: str = _MARKDOWN.render(markdown)
    return html


def _leaves(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _leaves(token.children)


def link_targets(markdown: str) -> list[str]:
    """Every link target in the fragment, in order."""
    return [
        str(token.attrs["href"])
        for token in _leaves(_MARKDOWN.parse(markdown))
        if token.type == "link_open" and "href" in token.attrs
    ]


def plain_text(markdown: str) -> str:
    """The words a reader sees, without Markdown syntax or link targets (for search)."""
    return " ".join(
        token.content
        for token in _leaves(_MARKDOWN.parse(markdown))
        if token.type in {"text", "code_inline"}
    )
