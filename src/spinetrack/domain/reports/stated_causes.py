"""Findings a report explains by a stated cause, judged by where the cause lies, not by its name.

A red flag is for the operated spine: a fever for a wound or disc infection, breathlessness for a
neck haematoma, clumsy hands for the cord. When the report ties such a finding to a cause ("fever
due to a UTI", "pneumonia causing fever", "breathless - ?PE", "Impression: tonsillitis") and the
cause lies outside the spine and the operation, the finding stays (it is still stated) but it is
explained, and its sign (signs.yaml) tells the red-flag rule so. Earlier passes listed the causes
one writer named (C. difficile, gout, tonsillitis); the next writer names others. Here the cause is
judged by its words against a closed vocabulary the reader can know in full (knowledge/reports/
stated_causes.yaml): the spine and the operation, cancer, and words that name no cause. Any other
content word is a cause elsewhere, which is how a diagnosis no list holds is still read.

The structure read is the clause: a finding, a link word and the cause phrase after it (or the
cause, a link and the finding), within one clause; a diagnosis or a result label whose clause is a
cause stated for the whole report. The reader has no parser, so a clause is what the tokens between
clause boundaries hold, as concepts.py reads it. Pure Python over lower-case tokens; the spaCy
component that adds the signs is cause_component.py.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Literal

from pydantic import Field, field_validator

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.reports.concepts import _SPLIT
from spinetrack.domain.reports.rules import _check_ids, compiles
from spinetrack.domain.sources import Sources

CAUSES_FILE = "reports/stated_causes.yaml"

CauseClass = Literal["cancer", "spine", "elsewhere", "empty"]


class Explains(KnowledgeModel):
    """A finding a stated cause can explain, the sign that then tells the red-flag rule, the
    classes of cause that explain it, and whether a cause stated for the whole report reaches it."""

    finding: str
    sign: str
    classes: list[Literal["cancer", "spine", "elsewhere"]] = Field(min_length=1)
    reach: Literal["direct", "report"]
    weak_links: bool = True
    """Whether a one-word link ("from", "?") may tie a cause to the finding."""
    note: str


class Fractures(KnowledgeModel):
    """A fracture read as a cause with a site: the sign set when its own words name no part of
    the spine, the words of a fracture, and the words that lead to a site after it."""

    sign: str
    words: list[str] = Field(min_length=1)
    of: list[str] = Field(min_length=1)


class Sited(KnowledgeModel):
    """Signs that belong to the operated site only when their own words do not place them
    elsewhere, and the words that lead from a sign to its site after it."""

    findings: list[str] = Field(min_length=1)
    leads: list[str] = Field(min_length=1)


class StatedCauses(KnowledgeModel):
    """knowledge/reports/stated_causes.yaml: which findings a cause explains, the link words,
    and the closed word classes a cause is judged by."""

    note: str
    sources: Sources
    explains: list[Explains] = Field(min_length=1)
    forward: list[list[str]] = Field(min_length=1)
    backward: list[list[str]] = Field(min_length=1)
    labels: list[list[str]] = Field(min_length=1)
    diagnoses: list[str] = Field(min_length=1)
    results: list[str] = Field(min_length=1)
    unsited_results: list[str] = Field(min_length=1)
    weak_links: list[list[str]] = Field(min_length=1)
    comparisons: list[str] = Field(min_length=1)
    copulas: list[str] = Field(min_length=1)
    showing: list[str] = Field(min_length=1)
    result_leads: list[str] = Field(min_length=1)
    determiners: list[str] = Field(min_length=1)
    positive: list[str] = Field(min_length=1)
    fractures: Fractures
    sited: Sited
    negations: list[str] = Field(min_length=1)
    level_token: str
    denials: list[str] = Field(min_length=1)
    hard_boundaries: list[str] = Field(min_length=1)
    phrase_boundaries: list[str] = Field(min_length=1)
    reach_tokens: int = Field(ge=1, le=30)
    phrase_tokens: int = Field(ge=1, le=20)
    spine: list[str] = Field(min_length=1)
    weak_spine: list[str] = Field(default_factory=list)
    masks: list[str] = Field(default_factory=list)
    not_spine: list[str] = Field(default_factory=list)
    cancer: list[str] = Field(min_length=1)
    empty: list[str] = Field(min_length=1)

    _check_level = field_validator("level_token")(compiles)

    @field_validator(
        "spine", "weak_spine", "cancer", "empty", "diagnoses", "results", "masks", "not_spine"
    )
    @classmethod
    def _lower(cls, words: list[str]) -> list[str]:
        for word in words:
            if word != word.lower() or not word.strip() or "*" in word[:-1]:
                raise ValueError(f"{word!r}: words are lower case, with '*' only at the end")
        return words


def parse_causes(data: object | None = None) -> StatedCauses:
    """The stated-cause rules (the shipped file, or ``data`` shaped like it); every finding and
    sign they name must be known to the vocabulary or signs.yaml."""
    rules = parse(CAUSES_FILE, StatedCauses, data)
    named = [(f"explains.{i}.finding", e.finding) for i, e in enumerate(rules.explains)]
    named += [(f"explains.{i}.sign", e.sign) for i, e in enumerate(rules.explains)]
    named.append(("fractures.sign", rules.fractures.sign))
    named += [(f"sited.findings.{i}", f) for i, f in enumerate(rules.sited.findings)]
    _check_ids(CAUSES_FILE, named)
    return rules


def signs_set() -> frozenset[str]:
    """The signs a stated cause or a fracture's site can set (a sign may have no term of its own,
    as fracture_elsewhere has none)."""
    rules = compiled().rules
    return frozenset({e.sign for e in rules.explains} | {rules.fractures.sign})


def _tokens(phrase: str) -> tuple[str, ...]:
    """A phrase as the reader's tokenizer cuts it: "x-ray" is three tokens, "2/2" three."""
    return tuple(_SPLIT.sub(r" \1 ", phrase).split())


class _WordClass:
    """Membership of one token in a word list: whole words, or any token a ``stem*`` begins."""

    def __init__(self, words: Sequence[str]) -> None:
        parts = [part for word in words for part in _tokens(word.rstrip("*"))]
        self.whole = frozenset(w for w in words if not w.endswith("*")) | frozenset(parts)
        self.stems = tuple(w[:-1] for w in words if w.endswith("*"))

    def __contains__(self, token: str) -> bool:
        return token in self.whole or token.startswith(self.stems)


@dataclass(frozen=True)
class _Compiled:
    rules: StatedCauses
    explains: dict[str, Explains]
    forward: tuple[tuple[str, ...], ...]
    backward: tuple[tuple[str, ...], ...]
    labels: tuple[tuple[str, ...], ...]
    diagnoses: tuple[tuple[str, ...], ...]
    results: tuple[tuple[str, ...], ...]
    unsited: tuple[tuple[str, ...], ...]
    weak: frozenset[tuple[str, ...]]
    comparisons: frozenset[str]
    copulas: frozenset[str]
    masks: tuple[tuple[str, ...], ...]
    not_spine: tuple[tuple[str, ...], ...]
    showing: frozenset[str]
    result_leads: frozenset[str]
    determiners: frozenset[str]
    positive: frozenset[str]
    negations: frozenset[str]
    fracture_words: frozenset[str]
    sited: frozenset[str]
    sited_leads: frozenset[str]
    fracture_of: frozenset[str]
    level: re.Pattern[str]
    denials: frozenset[str]
    hard: frozenset[str]
    soft: frozenset[str]
    spine: _WordClass
    weak_spine: _WordClass
    cancer: _WordClass
    empty: _WordClass


def _longest_first(phrases: Sequence[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted({tuple(p) for p in phrases}, key=len, reverse=True))


@cache
def compiled() -> _Compiled:
    """The shipped rules, parsed once, with their phrases cut into tokens."""
    rules = parse_causes()
    return _Compiled(
        rules=rules,
        explains={e.finding: e for e in rules.explains},
        forward=_longest_first([tuple(p) for p in rules.forward]),
        backward=_longest_first([tuple(p) for p in rules.backward]),
        labels=_longest_first([tuple(p) for p in rules.labels]),
        diagnoses=_longest_first([_tokens(p) for p in rules.diagnoses]),
        results=_longest_first([_tokens(p) for p in rules.results]),
        unsited=_longest_first([_tokens(p) for p in rules.unsited_results]),
        weak=frozenset(tuple(p) for p in rules.weak_links),
        comparisons=frozenset(rules.comparisons),
        copulas=frozenset(rules.copulas),
        masks=_longest_first([_tokens(p) for p in rules.masks]),
        not_spine=_longest_first([_tokens(p) for p in rules.not_spine]),
        showing=frozenset(rules.showing),
        result_leads=frozenset(rules.result_leads),
        determiners=frozenset(rules.determiners),
        positive=frozenset(rules.positive),
        negations=frozenset(rules.negations),
        fracture_words=frozenset(rules.fractures.words),
        sited=frozenset(rules.sited.findings),
        sited_leads=frozenset(rules.sited.leads),
        fracture_of=frozenset(rules.fractures.of),
        level=re.compile(rules.level_token),
        denials=frozenset(rules.denials),
        hard=frozenset(rules.hard_boundaries),
        soft=frozenset(rules.phrase_boundaries),
        spine=_WordClass(rules.spine),
        weak_spine=_WordClass(rules.weak_spine),
        cancer=_WordClass(rules.cancer),
        empty=_WordClass(rules.empty),
    )


def _is_content(token: str) -> bool:
    """A word that can name something: letters, two or more of them (numbers and marks cannot)."""
    letters = token.replace("-", "").replace(".", "").replace("'", "")
    return len(letters) >= 2 and letters.isalpha()


def _masked(
    tokens: Sequence[str], rules: _Compiled, phrases: Sequence[tuple[str, ...]] | None = None
) -> list[bool]:
    """Which tokens lie inside one of ``phrases`` (by default the masks: "came back")."""
    hidden = [False] * len(tokens)
    for i in range(len(tokens)):
        for mask in rules.masks if phrases is None else phrases:
            if tuple(tokens[i : i + len(mask)]) == mask:
                for j in range(i, i + len(mask)):
                    hidden[j] = True
    return hidden


def classify(tokens: Sequence[str]) -> CauseClass:
    """Where a cause phrase (lower-case tokens) lies: ``cancer`` when a cancer word names it,
    else ``spine`` when a word of the spine or the operation does, else ``elsewhere`` when any
    other content word does; a phrase of region words only (``lumbar``) is the spine's, and one of
    no content at all (``unknown source``, ``day 3``) is ``empty``."""
    rules = compiled()
    hidden = _masked(tokens, rules)
    elsewhere = _masked(tokens, rules, rules.not_spine)
    if any(t in rules.negations for t in tokens):
        return "empty"  # "no consolidation", "UTI excluded": no cause is stated
    if any(rules.level.match(t) for t in tokens):
        return "spine"
    words = [t for t, h in zip(tokens, hidden, strict=True) if not h and _is_content(t)]
    if any(w in rules.cancer for w in words):
        return "cancer"
    if any(
        e and _is_content(t) and t not in rules.empty
        for t, e in zip(tokens, elsewhere, strict=True)
    ):
        return "elsewhere"  # "neck of femur": a spine word naming a site elsewhere
    if any(w in rules.spine for w in words):
        return "spine"
    if any(w not in rules.empty and w not in rules.weak_spine for w in words):
        return "elsewhere"
    if any(w in rules.weak_spine for w in words):
        return "spine"
    return "empty"


@dataclass(frozen=True, slots=True)
class Finding:
    """A finding mention the cause may explain: its id and token range in the document."""

    id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Explanation:
    """The sign a stated cause sets, over the cause phrase's tokens ``[start, end)``."""

    sign: str
    start: int
    end: int


def _match(tokens: Sequence[str], at: int, phrases: Sequence[tuple[str, ...]]) -> int:
    """Length of the first (longest) phrase found at ``at``, or 0."""
    for phrase in phrases:
        if tuple(tokens[at : at + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _phrase_after(tokens: Sequence[str], start: int, stop: int, rules: _Compiled) -> int:
    """End of the cause phrase that begins at ``start``: the next clause boundary, the end of the
    sentence (``stop``), or the phrase's length limit."""
    end = start
    limit = min(stop, start + rules.rules.phrase_tokens)
    while end < limit and tokens[end] not in rules.hard and tokens[end] not in rules.soft:
        end += 1
    return end


def _phrase_before(tokens: Sequence[str], end: int, first: int, rules: _Compiled) -> int:
    """Start of the cause phrase that ends at ``end`` (a backward link's cause)."""
    start = end
    limit = max(first, end - rules.rules.phrase_tokens)
    while (
        start > limit
        and tokens[start - 1] not in rules.hard
        and tokens[start - 1] not in rules.soft
    ):
        start -= 1
    return start


def _clause_start(tokens: Sequence[str], at: int, first: int, rules: _Compiled) -> bool:
    """Whether only marks, hedges or the link's own lead lie between the sentence start and ``at``
    (a link that opens its sentence, with the subject left out)."""
    return all(not _is_content(t) or t in rules.empty for t in tokens[first:at])


def _denied(tokens: Sequence[str], at: int, first: int, rules: _Compiled) -> bool:
    """Whether a denial stands right before the link ("not due to", "never explained by")."""
    return any(t in rules.denials for t in tokens[max(first, at - 2) : at])


def _reachable(
    tokens: Sequence[str], frm: int, to: int, rules: _Compiled, weak: bool = False
) -> bool:
    """Whether ``frm`` and ``to`` lie in one clause, close enough for a link between them: no
    clause boundary and no copula past the first two tokens between them, and for a one-word
    link nothing but numbers and marks."""
    gap = tokens[frm:to]
    if len(gap) > rules.rules.reach_tokens or any(t in rules.hard for t in gap):
        return False
    if any(t in rules.copulas for t in gap[2:]):
        return False
    return not weak or not any(_is_content(t) for t in gap)


@dataclass(frozen=True, slots=True)
class Reading:
    """What the stated causes of one report say: the signs they set, and the signs no cause may
    set because the report also ties their finding to the spine (``vetoed``)."""

    explained: list[Explanation]
    vetoed: frozenset[str]


def explanations(
    tokens: Sequence[str],
    sentences: Sequence[tuple[int, int]],
    findings: Sequence[Finding],
) -> Reading:
    """The signs the report's stated causes set. ``tokens`` are the document's lower-case tokens,
    ``sentences`` its sentences as token ranges, ``findings`` the mentions found so far.

    A finding the report also ties to a cause in the spine ("fever - ?UTI ?wound", "Impression:
    wound infection") is not explained away: the spine is among its causes, so every sign its
    other causes would set is dropped, the named causes of finding_terms.yaml's own entries too."""
    rules = compiled()
    found = _fractures(tokens, sentences, rules)
    explainable = [f for f in findings if f.id in rules.explains]
    if not explainable:
        return Reading(found, frozenset())
    explained: list[Explanation] = []
    spinal: set[str] = set()

    def explain(targets: Sequence[Finding], start: int, end: int, reach: str) -> None:
        if start >= end:
            return
        kind = classify(tokens[start:end])
        for target in targets:
            rule = rules.explains[target.id]
            if reach != "direct" and rule.reach != "report":
                continue
            if kind in rule.classes:
                explained.append(Explanation(rule.sign, start, end))
            elif kind in ("spine", "cancer") and reach != "result":
                spinal.add(rule.sign)

    for first, stop in sentences:
        before = [f for f in explainable if f.start < first]
        sentence = _Sentence(tokens, first, stop, rules, explainable, before, explain)
        at = first
        while at < stop:
            at += _read_link(sentence, at)
    return Reading(found + [e for e in explained if e.sign not in spinal], frozenset(spinal))


@dataclass(frozen=True)
class _Sentence:
    """One sentence being read for links, with what a link found in it needs."""

    tokens: Sequence[str]
    first: int
    stop: int
    rules: _Compiled
    explainable: Sequence[Finding]
    before: Sequence[Finding]
    """The explainable findings of the sentences before (a link with its subject left out)."""
    explain: Callable[[Sequence[Finding], int, int, str], None]


def _read_link(sentence: _Sentence, at: int) -> int:
    """Reads the link, if any, at token ``at``; returns how many tokens to move on."""
    tokens, rules = sentence.tokens, sentence.rules
    if tokens[at] in rules.hard or _denied(tokens, at, sentence.first, rules):
        return 1
    for read in (_forward, _backward, _result, _labelled):
        size = read(sentence, at)
        if size:
            return size
    return 1


def _forward(sentence: _Sentence, at: int) -> int:
    """A finding, then a link, then its cause ("fever due to a UTI", "source: chest")."""
    tokens, rules, first, stop = sentence.tokens, sentence.rules, sentence.first, sentence.stop
    size = _match(tokens, at, rules.forward)
    label = _match(tokens, at, rules.labels)
    if label and at + label < stop and tokens[at + label] in (":", "-", "is", "was", "="):
        size = label + 1  # "source: chest", "cause found - kinked catheter"
    if not size:
        return 0
    link = tuple(tokens[at : at + size])
    weak = link in rules.weak
    if link == ("from",) and at > first and tokens[at - 1] in rules.comparisons:
        return 1  # "up from 1.1", "different from before"
    near = [
        f
        for f in sentence.explainable
        if first <= f.start
        and f.end <= at
        and (not weak or rules.explains[f.id].weak_links)
        and _reachable(tokens, f.end, at, rules, weak)
    ]
    if not near and not weak and size > 1 and _clause_start(tokens, at, first, rules):
        near = list(sentence.before)  # the subject left out: the findings told just before
    sentence.explain(near, at + size, _phrase_after(tokens, at + size, stop, rules), "direct")
    return size


def _backward(sentence: _Sentence, at: int) -> int:
    """A cause, then a link, then the finding ("pneumonia causing a fever")."""
    tokens, rules = sentence.tokens, sentence.rules
    size = _match(tokens, at, rules.backward)
    if size:
        near = [
            f
            for f in sentence.explainable
            if f.start >= at + size
            and f.end <= sentence.stop
            and _reachable(tokens, at + size, f.start, rules)
        ]
        sentence.explain(near, _phrase_before(tokens, at, sentence.first, rules), at, "direct")
    return size


def _result(sentence: _Sentence, at: int) -> int:
    """A result before its test ("gout crystals on aspirate", "C. difficile toxin positive")."""
    tokens, rules = sentence.tokens, sentence.rules
    size = _result_after(tokens, at, sentence.first, sentence.stop, rules)
    if size:
        start = _phrase_before(tokens, at, sentence.first, rules)
        sentence.explain(sentence.explainable, start, at, "result")
    return size


def _labelled(sentence: _Sentence, at: int) -> int:
    """A diagnosis or a result after its label ("Impression: tonsillitis", "CXR: collapse")."""
    tokens, rules, stop = sentence.tokens, sentence.rules, sentence.stop
    size, kind = _label(tokens, at, sentence.first, stop, rules)
    if not size:
        return 0
    if kind == "report":  # an impression is read to its clause's end: "compatible with ..."
        end = at + size
        while end < stop and tokens[end] not in rules.hard and tokens[end] != ",":
            end += 1
    else:
        end = _phrase_after(tokens, at + size, stop, rules)
    sentence.explain(sentence.explainable, at + size, end, kind)
    return size


def _fractures(
    tokens: Sequence[str], sentences: Sequence[tuple[int, int]], rules: _Compiled
) -> list[Explanation]:
    """A fracture whose own words name a site that is not the spine ("a left intertrochanteric
    fracture", "fracture of the distal radius"): the words right before it up to a boundary or a
    verb of showing, and "of" (or "to", "in") with the words after it."""
    found = []
    stops = rules.hard | rules.soft | rules.showing
    for first, stop in sentences:
        for at in range(first, stop):
            if tokens[at] not in rules.fracture_words:
                continue
            if _masked(tokens[at : at + 3], rules)[0]:
                continue  # "fracture clinic"
            start = at
            while (
                start > max(first, at - 3)
                and tokens[start - 1] not in stops
                and (_is_content(tokens[start - 1]) or rules.level.match(tokens[start - 1]))
            ):
                start -= 1
            end = at + 1
            if end < stop and tokens[end] in rules.fracture_of:
                end = _phrase_after(tokens, end + 1, stop, rules)
            elif end < stop and rules.level.match(tokens[end]):
                end += 1
            site = list(tokens[start:at]) + list(tokens[at + 1 : end])
            if classify(site) == "elsewhere":
                found.append(Explanation(rules.rules.fractures.sign, start, end))
    return found


def _result_after(tokens: Sequence[str], at: int, first: int, stop: int, rules: _Compiled) -> int:
    """Length of a test told after its result, at ``at``: "on aspirate", "on CXR" ("crystals on
    aspirate"), or a test word with "positive" after it ("toxin positive", "PCR positive"); 0
    when there is none."""
    if tokens[at] in rules.result_leads:
        lead = 2 if tokens[at + 1 : at + 2] and tokens[at + 1] in rules.determiners else 1
        size = _match(tokens, at + lead, rules.results) or _match(tokens, at + lead, rules.unsited)
        return size + lead if size else 0
    size = _match(tokens, at, rules.results) or _sited(tokens, at, first, rules)
    if size and at > first and at + size < stop and tokens[at + size] in rules.positive:
        return size + 1
    return 0


def _sited(tokens: Sequence[str], at: int, first: int, rules: _Compiled) -> int:
    """Length of a test that names no site of its own ("X-ray", "swab") at ``at``, when a word
    right before it names one outside the spine ("hip X-ray", "throat swab"); else 0."""
    size = _match(tokens, at, rules.unsited)
    if not size or at == first:
        return 0
    return size if classify(tokens[max(first, at - 2) : at]) == "elsewhere" else 0


def _label(
    tokens: Sequence[str], at: int, first: int, stop: int, rules: _Compiled
) -> tuple[int, str]:
    """Length of a diagnosis or result label at ``at`` with its ":", "-" or verb of showing
    ("Impression:", "CXR:", "CTPA shows"), and which it is; (0, "") when there is none. A
    diagnosis label opens its clause."""
    size = _match(tokens, at, rules.diagnoses)
    if size and _clause_start(tokens, at, first, rules):
        if at + size < stop and tokens[at + size] in (":", "-"):
            return size + 1, "report"
        return 0, ""
    size = _match(tokens, at, rules.results) or _sited(tokens, at, first, rules)
    if not size:
        return 0, ""
    after = at + size
    # "CXR:", "CTPA shows", "urine culture grew", "hip X-ray after the fall shows"
    for k in range(after, min(stop, after + 5)):
        if k == after and tokens[k] in (":", "-"):
            return k + 1 - at, "result"
        if tokens[k] in rules.showing:
            return k + 1 - at, "result"
        if tokens[k] in rules.hard:
            break
    return 0, ""


def _site_words(
    tokens: Sequence[str], start: int, end: int, first: int, stop: int, rules: _Compiled
) -> list[str]:
    """The words that place a mention ``[start, end)``: the run of words right before it ("a
    dental abscess") and, after a lead word, the phrase after it ("cellulitis of the left shin")."""
    before = start
    while (
        before > max(first, start - 3)
        and tokens[before - 1] not in rules.hard
        and tokens[before - 1] not in rules.soft
        and _is_content(tokens[before - 1])
    ):
        before -= 1
    after = end
    if after < stop and tokens[after] in rules.sited_leads:
        after = _phrase_after(tokens, after + 1, stop, rules)
    return list(tokens[before:start]) + list(tokens[end:after])


def misplaced(
    tokens: Sequence[str], sentences: Sequence[tuple[int, int]], findings: Sequence[Finding]
) -> list[Finding]:
    """The wound signs and abscesses whose own words place them away from the operated site, in a
    sentence that names no part of the spine, the wound or an implant: they are not the site's."""
    rules = compiled()
    found = []
    for mention in findings:
        if mention.id not in rules.sited:
            continue
        first, stop = next(((a, b) for a, b in sentences if a <= mention.start < b), (0, 0))
        # the clause the mention is in: "heel ulcer with cellulitis; spinal wound healed"
        while first < mention.start and any(t in rules.hard for t in tokens[first : mention.start]):
            first += 1
        end = mention.end
        while end < stop and tokens[end] not in rules.hard:
            end += 1
        stop = end
        sentence = tokens[first:stop]
        if any(t in rules.spine or rules.level.match(t) for t in sentence if _is_content(t)):
            continue
        site = _site_words(tokens, mention.start, mention.end, first, stop, rules)
        if classify(site) == "elsewhere":
            found.append(mention)
    return found
