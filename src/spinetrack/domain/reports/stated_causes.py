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
clause boundaries hold, as concepts.py reads it. How a cause is judged is cause_words.py; where a
fracture or an abscess lies, cause_sites.py. Pure Python over lower-case tokens; the spaCy
component that adds the signs is cause_component.py.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from spinetrack.domain.reports.cause_sites import fractures_elsewhere
from spinetrack.domain.reports.cause_words import (
    Compiled,
    Explanation,
    Finding,
    classify,
    compiled,
    is_content,
    match,
    phrase_after,
    phrase_before,
)


def _clause_start(tokens: Sequence[str], at: int, first: int, rules: Compiled) -> bool:
    """Whether only marks, hedges or the link's own lead lie between the start of the clause
    (the sentence's, or a line's: "O: T 38.4\nA: viral URTI") and ``at`` (a label that opens its
    line, a link that opens its sentence with the subject left out)."""
    start = at
    while start > first and tokens[start - 1] not in rules.hard:
        start -= 1
    return all(not is_content(t) or t in rules.empty for t in tokens[start:at])


def _denied(tokens: Sequence[str], at: int, first: int, rules: Compiled) -> bool:
    """Whether a denial stands right before the link ("not due to", "never explained by")."""
    return any(t in rules.denials for t in tokens[max(first, at - 2) : at])


def _reachable(
    tokens: Sequence[str], frm: int, to: int, rules: Compiled, weak: bool = False
) -> bool:
    """Whether ``frm`` and ``to`` lie in one clause, close enough for a link between them: no
    clause boundary and no copula past the first two tokens between them, and for a one-word
    link nothing but numbers and marks."""
    gap = tokens[frm:to]
    if len(gap) > rules.rules.reach_tokens or any(t in rules.hard for t in gap):
        return False
    if any(t in rules.copulas for t in gap[2:]):
        return False
    return not weak or not any(is_content(t) for t in gap)


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
    found = fractures_elsewhere(tokens, sentences, rules)
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
    rules: Compiled
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
    size = match(tokens, at, rules.forward)
    label = match(tokens, at, rules.labels)
    if label and at + label < stop and tokens[at + label] in (":", "-", "is", "was", "="):
        size = label + 1  # "source: chest", "cause found - kinked catheter"
    own = 0 if size else match(tokens, at, rules.own_links)
    if own:
        return _own_link(sentence, at, own)
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
    sentence.explain(near, at + size, phrase_after(tokens, at + size, stop, rules), "direct")
    return size


def _own_link(sentence: _Sentence, at: int, size: int) -> int:
    """A finding, then a link of its own, then its cause ("lost 4 kg - gastroenteritis"): only the
    findings whose rule lists that link, in the same clause before it, are explained."""
    tokens, rules, first = sentence.tokens, sentence.rules, sentence.first
    link = list(tokens[at : at + size])
    near = [
        f
        for f in sentence.explainable
        if first <= f.start
        and f.end <= at
        and link in rules.explains[f.id].links
        and _reachable(tokens, f.end, at, rules)
    ]
    end = phrase_after(tokens, at + size, sentence.stop, rules)
    if at + size < end and tokens[at + size] not in rules.plans:
        sentence.explain(near, at + size, end, "direct")
    return size


def _backward(sentence: _Sentence, at: int) -> int:
    """A cause, then a link, then the finding ("pneumonia causing a fever")."""
    tokens, rules = sentence.tokens, sentence.rules
    size = match(tokens, at, rules.backward)
    if size:
        near = [
            f
            for f in sentence.explainable
            if f.start >= at + size
            and f.end <= sentence.stop
            and _reachable(tokens, at + size, f.start, rules)
        ]
        sentence.explain(near, phrase_before(tokens, at, sentence.first, rules), at, "direct")
    return size


def _result(sentence: _Sentence, at: int) -> int:
    """A result before its test ("gout crystals on aspirate", "C. difficile toxin positive")."""
    tokens, rules = sentence.tokens, sentence.rules
    size = _result_after(tokens, at, sentence.first, sentence.stop, rules)
    if size:
        start = phrase_before(tokens, at, sentence.first, rules)
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
        end = phrase_after(tokens, at + size, stop, rules)
    sentence.explain(sentence.explainable, at + size, end, kind)
    return size


def _result_after(tokens: Sequence[str], at: int, first: int, stop: int, rules: Compiled) -> int:
    """Length of a test told after its result, at ``at``: "on aspirate", "on CXR" ("crystals on
    aspirate"), or a test word with "positive" after it ("toxin positive", "PCR positive"); 0
    when there is none."""
    if tokens[at] in rules.result_leads:
        lead = 2 if tokens[at + 1 : at + 2] and tokens[at + 1] in rules.determiners else 1
        size = match(tokens, at + lead, rules.results) or match(tokens, at + lead, rules.unsited)
        return size + lead if size else 0
    size = match(tokens, at, rules.results) or _sited(tokens, at, first, rules)
    if size and at > first and at + size < stop and tokens[at + size] in rules.positive:
        return size + 1
    return 0


def _sited(tokens: Sequence[str], at: int, first: int, rules: Compiled) -> int:
    """Length of a test that names no site of its own ("X-ray", "swab") at ``at``, when a word
    right before it names one outside the spine ("hip X-ray", "throat swab"); else 0."""
    size = match(tokens, at, rules.unsited)
    if not size or at == first:
        return 0
    return size if classify(tokens[max(first, at - 2) : at]) == "elsewhere" else 0


def _label(
    tokens: Sequence[str], at: int, first: int, stop: int, rules: Compiled
) -> tuple[int, str]:
    """Length of a diagnosis or result label at ``at`` with its ":", "-" or verb of showing
    ("Impression:", "CXR:", "CTPA shows"), and which it is; (0, "") when there is none. A
    diagnosis label opens its clause."""
    size = match(tokens, at, rules.diagnoses)
    if size and _clause_start(tokens, at, first, rules):
        if at + size < stop and tokens[at + size] in (":", "-"):
            return size + 1, "report"
        return 0, ""
    size = match(tokens, at, rules.results) or _sited(tokens, at, first, rules)
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
