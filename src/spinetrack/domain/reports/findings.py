"""Findings read from report text, negation aware: which finding, where, and how it is asserted.

Every mention of a finding term gets one status from its ConText modifiers. Only ``affirmed`` and
``uncertain`` mentions become findings; negated, hypothetical, historical and family mentions never
do. Each finding keeps its report index and character span so a clinician can see, and dismiss,
the words it came from.
"""

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from spinetrack.domain.reports.case_levels import (
    CASE_LEVELS,
    NO_CASE,
    CaseLevels,
    below_the_neck,
)
from spinetrack.domain.reports.checkboxes import read_boxes
from spinetrack.domain.reports.document_kinds import not_meant_here
from spinetrack.domain.reports.implied import with_evidence, with_implied, without_contradicted
from spinetrack.domain.reports.later_values import normal_later
from spinetrack.domain.reports.levels import neck_wording
from spinetrack.domain.reports.narrator import names_patient, patient_kin
from spinetrack.domain.reports.pipeline import SPANS, pipeline
from spinetrack.domain.reports.resolution import (
    before_the_operation,
    corrections_at,
    examined_normal,
    lasting,
    normal_states,
    predating_ranges,
    resolved_ranges,
    sentences_now,
    taken_up_before,
    told_over,
    treated_after,
)
from spinetrack.domain.reports.rules import yields
from spinetrack.domain.reports.section_scope import sections
from spinetrack.domain.reports.signs import denial_cue, denial_signs, normal_statements
from spinetrack.domain.reports.spelling import Corrected, correct
from spinetrack.domain.reports.values import TREND

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

Status = Literal[
    "affirmed", "uncertain", "negated", "hypothetical", "historical", "family", "resolved"
]
FINDING_STATUSES: frozenset[Status] = frozenset({"affirmed", "uncertain"})

# When modifiers disagree the first that applies names the status. None of the first four is ever
# a finding; their order only picks the clearest label ("fever after the first operation settled"
# is historical before it is negated). "Possible" only lowers the weight of an affirmed mention.
_PRECEDENCE: tuple[tuple[str, Status], ...] = (
    ("is_family", "family"),
    ("is_historical", "historical"),
    ("is_negated", "negated"),
    ("is_hypothetical", "hypothetical"),
    ("is_uncertain", "uncertain"),
)


@dataclass(frozen=True, slots=True)
class Mention:
    """One finding term in one report: ``text`` is ``report_text[start:end]``."""

    id: str
    text: str
    report: int
    start: int
    end: int
    status: Status

    @property
    def is_finding(self) -> bool:
        return self.status in FINDING_STATUSES

    @property
    def certainty(self) -> Literal["affirmed", "uncertain"]:
        """How a finding is stated: ``uncertain`` when hedged, else ``affirmed``."""
        return "uncertain" if self.status == "uncertain" else "affirmed"


Teller = tuple[frozenset[str], tuple[int, int]]
"""The kin words naming the patient under a relative's opening, and that opening's span
(narrator.py); no words when the report has no such teller."""
_NO_TELLER: Teller = (frozenset(), (0, 0))


def _status(
    span: "Span", resolved: "Sequence[tuple[int, int]]", teller: Teller = _NO_TELLER
) -> Status:
    trend = span.id_ == TREND
    if span.label_ in lasting():
        resolved = ()
    for attribute, status in _PRECEDENCE:
        if attribute == "is_historical" and trend:
            continue  # "was 71 kg 18 months ago" dates the earlier value, not the finding
        if attribute == "is_family" and teller[0] and _patient_by_teller(span, teller):
            continue  # the son's "Dad" in a post he shares about the patient is the patient
        if attribute == "is_negated" and _negation_out_of_reach(span):
            continue  # "no retention, saddle sensation normal": the "no" is not about it
        if _only_in_asides(span, attribute):
            continue  # "fallen twice (no injuries), and today she cannot lift it": an aside's own
        if attribute == "is_negated" and _within(span, resolved):
            return "resolved"  # "Retention has resolved": over, which says more than absent
        if getattr(span._, attribute):
            return status
    if _within(span, resolved):
        return "resolved"
    return "affirmed"


_CATEGORY = {
    "is_family": "FAMILY",
    "is_historical": "HISTORICAL",
    "is_negated": "NEGATED_EXISTENCE",
    "is_hypothetical": "HYPOTHETICAL",
    "is_uncertain": "POSSIBLE_EXISTENCE",
}
_OPEN, _CLOSE = "([", ")]"
_CLAUSE_BREAK = re.compile(r"[,;:.!?]|\s(?:and|but|then|so)\s", re.I)


def _only_in_asides(span: "Span", attribute: str) -> bool:
    """Whether every cue giving the span this attribute lies in a bracketed aside that does not
    hold the span: "(no injuries)" or "(not sure)" qualifies the words in its brackets, not a
    finding told after them (tune16l, thirteenth set's lay writers; Harkema 2009: a cue's scope
    ends where its clause does)."""
    category = _CATEGORY[attribute]
    cues = [m.modifier_span for m in span._.modifiers if m.category == category]
    if not cues:
        return False
    doc = span.doc
    return all(
        _aside(doc.text, doc[a].idx, doc[b - 1].idx + len(doc[b - 1]), span) for a, b in cues
    )


def _aside(text: str, start: int, end: int, span: "Span") -> bool:
    """Whether text[start:end] lies inside one pair of brackets closed before the span starts, with
    a clause break between them: an aside after a finding ("discitis (treated 2019)"), or one
    written straight before it as its qualifier ("thin (<1mm) lucency"), still speaks of it."""
    before, after = text[:start], text[end:]
    opened = max(before.rfind(c) for c in _OPEN)
    if opened < 0 or any(c in before[opened + 1 :] for c in _CLOSE):
        return False
    closes = [i for i in (after.find(c) for c in _CLOSE) if i >= 0]
    if not closes:
        return False
    closed = end + min(closes)
    if any(c in text[end:closed] for c in _OPEN):
        return False
    return closed < span.start_char and bool(
        _CLAUSE_BREAK.search(text, closed + 1, span.start_char)
    )


def _negation_out_of_reach(span: "Span") -> bool:
    """Whether the span is a sign stating a normal finding that no negation right before it
    denies (signs.yaml, ``normal_statements``)."""
    signs, reach = normal_statements()
    if span.label_ not in signs:
        return False
    return not any(
        m.category == "NEGATED_EXISTENCE" and span.start - reach <= m.modifier_span[1] <= span.end
        for m in span._.modifiers
    )


def _patient_by_teller(span: "Span", teller: Teller) -> bool:
    """Whether every family cue on the span is the teller's word for the patient or lies in the
    opening that names the teller."""
    kin, (start, end) = teller
    cues = [m.modifier_span for m in span._.modifiers if m.category == "FAMILY"]
    doc = span.doc
    return bool(cues) and all(
        names_patient(doc[a:b].text, kin, doc.text[: doc[a].idx])
        or (start <= doc[a].idx and doc[b - 1].idx < end)
        for a, b in cues
    )


def _within(span: "Span", ranges: "Sequence[tuple[int, int]]") -> bool:
    return any(start <= span.start_char and span.end_char <= end for start, end in ranges)


def _gives_way(
    span: "Span",
    spans: "Sequence[Span]",
    resolved: "Sequence[tuple[int, int]]" = (),
    teller: Teller = _NO_TELLER,
) -> bool:
    """Whether the span lies inside a span of a finding it yields to (finding_terms.yaml) that is
    stated: a denied longer term ("lost 6 kg, not on a diet") leaves the shorter one its own."""
    others = yields().get(span.label_)
    if not others:
        return False
    return any(
        other.label_ in others
        and other.start_char <= span.start_char
        and span.end_char <= other.end_char
        and _status(other, resolved, teller) in FINDING_STATUSES
        for other in spans
    )


def _mentions_of(doc: "Doc", report: int) -> list[Mention]:
    """One mention per finding and span of text: overlapping spans of different findings all
    stay ("progressive weakness of both legs" is progressive and bilateral), a finding matched
    twice over the same words (a phrase and a regex) counts once, and a finding's word inside a
    longer term of a finding it yields to is that finding's ("faecal incontinence")."""
    sentences = [(sent.start_char, sent.text) for sent in doc.sents]
    resolved = resolved_ranges(sentences)
    predating = predating_ranges(sentences)
    teller = patient_kin(doc.text)
    seen: set[tuple[str, int, int]] = set()
    spans = sorted(doc.spans.get(SPANS, []), key=lambda s: (s.start_char, -s.end_char))
    unique = []
    for span in spans:
        key = (span.label_, span.start_char, span.end_char)
        if key not in seen and not _gives_way(span, spans, resolved, teller):
            seen.add(key)
            unique.append(span)
    return [
        Mention(
            id=span.label_,
            text=span.text,
            report=report,
            start=span.start_char,
            end=span.end_char,
            status=_dated(
                span, _denied_inside(span, unique, _status(span, resolved, teller)), predating
            ),
        )
        for span in unique
    ]


_SWALLOWED_DENIAL = re.compile(r"\b(?:no|not|nil|without)\s+(?:[a-z-]+\s+){0,2}$", re.I)
"""A denial that ends a normal statement's words up to where another finding's term begins, with
at most two words between ("MRI showed no [significant] compression of the cord")."""


def _denied_inside(span: "Span", spans: "Sequence[Span]", status: Status) -> Status:
    """A finding whose term begins inside a normal statement's span, just after that statement's
    own "no" ("MRI showed no compression of the spinal cord": normal imaging, and no cord
    compression), is negated: ConText prunes a negation that lies inside another term, so the
    statement's denial would otherwise not reach it (signs.yaml ``normal_statements``)."""
    if status not in FINDING_STATUSES:
        return status
    normal, _ = normal_statements()
    if span.label_ in normal:
        return status
    text = span.doc.text
    for other in spans:
        if (
            other.label_ in normal
            and other.start_char < span.start_char < other.end_char
            and _SWALLOWED_DENIAL.search(text, other.start_char, span.start_char)
        ):
            return "negated"
    return status


def _dated(
    span: "Span", status: Status, predating: "Sequence[tuple[frozenset[str], int, int]]"
) -> Status:
    """A finding stated now that a cue dates to before the operation, unchanged since, is the old
    state: historical (resolution_cues.yaml, ``predating``; corpus FORMAT.md, third set: bladder
    or bowel symptoms unchanged from before surgery are historical)."""
    if status not in FINDING_STATUSES:
        return status
    dated = any(
        span.label_ in findings and start <= span.start_char and span.end_char <= end
        for findings, start, end in predating
    )
    return "historical" if dated else status


def _in_sections(mentions: list[Mention], report: str) -> list[Mention]:
    """A finding under a label that says how it is meant ("Advice:", "PMH:") takes the label's
    status (knowledge/reports/section_scope.yaml); negated mentions stay negated."""
    scopes = sections(report)
    if not scopes:
        return mentions
    return [
        next(
            (
                replace(m, status=scope.status)
                for scope in scopes
                if m.is_finding and scope.covers(m.id, m.start, m.end)
            ),
            m,
        )
        for m in mentions
    ]


def _resolved_later(mentions: list[Mention]) -> list[Mention]:
    """A finding whose last mention in a report is resolved ("retention 700 mL on day 1 ...
    Retention has resolved") is resolved in its earlier mentions too."""
    last: dict[str, Mention] = {}
    for mention in mentions:
        last[mention.id] = mention
    return [
        replace(m, status="resolved")
        if m.is_finding and last[m.id].status == "resolved" and last[m.id].start > m.start
        else m
        for m in mentions
    ]


def _answered_later(mentions: list[Mention]) -> list[Mention]:
    """A finding queried ("?urinary retension - bladder scan 320 then voided") whose last mention
    in the report denies it ("Not in retention") is negated: the query was answered. Only hedged
    mentions give way; an affirmed one stays."""
    last: dict[str, Mention] = {}
    for mention in mentions:
        last[mention.id] = mention
    return [
        replace(m, status="negated")
        if m.status == "uncertain" and last[m.id].status == "negated" and last[m.id].start > m.start
        else m
        for m in mentions
    ]


def _treated_later(mentions: list[Mention], report: str) -> list[Mention]:
    """A finding whose treatment the report tells later ("retention D1 ... TWOC passed", "neck
    haematoma ... evacuated") is resolved where it was told before that
    (knowledge/reports/resolution_cues.yaml, ``treated``)."""
    treated = treated_after(report)
    if not treated:
        return mentions
    return [
        replace(m, status="resolved") if m.is_finding and m.start < treated.get(m.id, -1) else m
        for m in mentions
    ]


def _corrected_later(mentions: list[Mention], report: str) -> list[Mention]:
    """A finding the report states and then, after a correction ("On review: ... there is no
    screw fracture", "on review pt snoring ... no stridor"), denies is denied: the correction
    supersedes what it corrects (corpus FORMAT.md, fifth set: an addendum or a dictated
    self-correction takes the corrected meaning). Only a finding mentioned again after the
    correction, and negated there, changes."""
    corrections = corrections_at(report)
    if not corrections:
        return mentions
    changed = []
    for m in mentions:
        after = next((c for c in corrections if c > m.end), None)
        denied = (
            m.is_finding
            and after is not None
            and any(o.id == m.id and o.status == "negated" and o.start > after for o in mentions)
        )
        changed.append(replace(m, status="negated") if denied else m)
    return changed


def _denied_now(mentions: list[Mention], report: str) -> list[Mention]:
    """A finding affirmed in one sentence and denied, or replaced by a normal state, in a later one
    that speaks of now ("D10: wound oozing pus ... Month 4 (now): wound healed") came and went: it
    is resolved. The
    earlier sentence must not speak of now itself, so two findings told side by side at the time
    of writing ("numb left foot now, right foot normal now") keep their own statuses
    (resolution_cues.yaml, ``current_time``)."""
    pieces = sentences_now(report)

    def piece(offset: int) -> tuple[int, int, bool]:
        return next((p for p in pieces if p[0] <= offset < p[1]), (offset, offset, False))

    later_denials = [(m.id, piece(m.start)) for m in mentions if m.status == "negated"] + [
        (finding, piece(at)) for finding, at in normal_states(report)
    ]
    later_denials = [(finding, p) for finding, p in later_denials if p[2]]
    # a finding named again and told over right there ("Assessment: early post-op fever
    # resolved") ends its earlier mentions, whether or not its piece says "now"
    told = [m for m in mentions if m.is_finding and told_over(report, m.end)]
    later_denials += [(m.id, (m.start, m.end, True)) for m in told]
    mentions = [  # and is itself over ("pyrexia settled")
        replace(m, status="resolved") if m in told and m.status in FINDING_STATUSES else m
        for m in mentions
    ]
    if not later_denials:
        return mentions
    changed = []
    for m in mentions:
        own = piece(m.start)
        over = (
            m.is_finding
            and not own[2]
            and any(f == m.id and p[0] >= own[1] for f, p in later_denials)
        )
        changed.append(replace(m, status="resolved") if over else m)
    return changed


def _settled_later(mentions: list[Mention], report: str) -> list[Mention]:
    """A raised value a later normal reading of the same measure ends ("Temp 38.4 at 04:00, 37.6
    at 06:00", "WCC 11.9 -> 8.3") is resolved (later_values.py; resolution_cues.yaml,
    ``later_normal``). Only a reading gives way to a reading: a fever the patient felt is not a
    value a thermometer's later one corrects."""
    normal = normal_later(report)
    if not normal:
        return mentions
    return [
        replace(m, status="resolved")
        if m.is_finding
        and any(c.isdigit() for c in m.text)
        and any(f == m.id and m.end <= at for f, at in normal)
        else m
        for m in mentions
    ]


def _not_borne_out(mentions: list[Mention], report: str) -> list[Mention]:
    """A complaint that an examination told after it finds normal ("says the leg gives way ...
    hip flexion 5/5 on repeated testing") is denied (resolution_cues.yaml, ``examined_normal``),
    and so is a finding told in the same words ("weakness of both hands" is also bilateral)."""
    normal = examined_normal(report)
    if not normal:
        return mentions
    denied = [
        m for m in mentions if m.is_finding and any(f == m.id and m.end <= at for f, at in normal)
    ]
    return [
        replace(m, status="negated")
        if m in denied
        or (m.is_finding and any(d.start < m.end and m.start < d.end for d in denied))
        else m
        for m in mentions
    ]


def _dated_before(mentions: list[Mention], report: str) -> list[Mention]:
    """A finding told in a chronology's entry dated before the index operation is historical
    (resolution_cues.yaml, ``chronology``)."""
    return _historical_within(mentions, *before_the_operation(report))


def _taken_up_before(mentions: list[Mention], report: str) -> list[Mention]:
    """A finding in the clause that a later one dates to before the operation ("she had a fall in
    July but that was before the operation") is historical (resolution_cues.yaml,
    ``taken_up_before``)."""
    return _historical_within(mentions, *taken_up_before(report))


def _historical_within(
    mentions: list[Mention], keeps: frozenset[str], ranges: list[tuple[int, int]]
) -> list[Mention]:
    """The mentions with every finding wholly inside one of the ranges made historical, except
    the findings an earlier date does not change (``keeps``: a diabetes dated is still there)."""
    if not ranges:
        return mentions
    return [
        replace(m, status="historical")
        if m.is_finding
        and m.id not in keeps
        and any(a <= m.start and m.end <= b for a, b in ranges)
        else m
        for m in mentions
    ]


def _on_this_document(mentions: list[Mention], report: str) -> list[Mention]:
    """The mentions less those whose words mean something else on this kind of document ("the
    claimant" of a disability-benefit form is not an injury claim; document_kinds.yaml)."""
    kinds = not_meant_here(report)
    if not kinds:
        return mentions
    return [
        m
        for m in mentions
        if not any(m.id in findings and wording.fullmatch(m.text) for findings, wording in kinds)
    ]


def _of_this_case(mentions: list[Mention], report: str, case: CaseLevels) -> list[Mention]:
    """The mentions less a neck finding whose sentence does not name the neck ("a fluctuant
    swelling under the scar") in a case operated only below the neck: the vocabulary's neck
    swelling follows anterior neck surgery, and that case's scar is on the back
    (level_positions.yaml, ``neck_findings``)."""
    if not below_the_neck(case):
        return mentions
    neck = neck_wording()
    return [m for m in mentions if m.id not in neck or neck[m.id].search(_sentence_of(m, report))]


_SENTENCE_END = re.compile(r"[.;!?\n]")


def _sentence_of(mention: Mention, report: str) -> str:
    """The sentence the mention is told in (from the last full stop, semicolon or line break
    before it to the next one after it)."""
    before = [end.end() for end in _SENTENCE_END.finditer(report, 0, mention.start)]
    after = _SENTENCE_END.search(report, mention.end)
    return report[before[-1] if before else 0 : after.start() if after else len(report)]


def read_mentions(reports: Sequence[str], case: CaseLevels = NO_CASE) -> list[Mention]:
    """Every finding term in the reports with its status, in report and text order; a finding
    whose definition contains another's brings that one too (implied.py). ``case`` holds the
    operated levels of the case the reports belong to, when the caller knows them."""
    if not reports:
        return []
    nlp = pipeline()
    corrected = [correct(read_boxes(report)) for report in reports]
    mentions: list[Mention] = []
    for index, doc in enumerate(
        nlp.pipe(_with_case(nlp.make_doc(c.text), case) for c in corrected)
    ):
        in_report = [
            _in_report(m, reports[index], corrected[index]) for m in _mentions_of(doc, index)
        ]
        report = reports[index]
        in_report = _dated_before(_on_this_document(in_report, report), report)
        in_report = _taken_up_before(in_report, report)
        in_report = _of_this_case(in_report, report, case)
        in_report = _resolved_later(_in_sections(in_report, report))
        in_report = _answered_later(in_report)
        for later_in_report in _LATER_IN_REPORT:
            in_report = later_in_report(in_report, report)
        mentions += in_report
    return without_contradicted(with_implied(with_evidence(mentions, reports)), reports)


_LATER_IN_REPORT: tuple[Callable[[list[Mention], str], list[Mention]], ...] = (
    _treated_later,
    _corrected_later,
    _denied_now,
    _not_borne_out,
    _settled_later,
)
"""What the rest of a report says after a finding, read in this order: a treatment, a correction,
a later denial, an examination that does not bear it out, a later normal reading. Each pass sees
what the passes before it decided."""


def _with_case(doc: "Doc", case: CaseLevels) -> "Doc":
    """The document with the case's operated levels where the level component reads them."""
    if case:
        doc.user_data[CASE_LEVELS] = case
    return doc


def _in_report(mention: Mention, report: str, corrected: Corrected) -> Mention:
    """The mention with the report's own span and words (the reader saw the corrected text)."""
    if not corrected.origin:  # same characters at the same places (checkboxes.py keeps length)
        return replace(mention, text=report[mention.start : mention.end])
    start, end = corrected.original_span(mention.start, mention.end)
    return replace(mention, start=start, end=end, text=report[start:end])


def _with_denials(mentions: list[Mention], reports: Sequence[str]) -> list[Mention]:
    """The mentions, each negated one followed by the signs its denial states (signs.yaml
    ``denial_of``: "no saddle numbness" is saddle sensation stated normal), over the same words,
    when a denial word stands just before it."""
    denials, cue = denial_signs(), denial_cue()
    out: list[Mention] = []
    for mention in mentions:
        out.append(mention)
        signs = denials.get(mention.id, ()) if mention.status == "negated" else ()
        if signs and cue.search(reports[mention.report][: mention.start]):
            out += [replace(mention, id=sign, status="affirmed") for sign in signs]
    return out


def find_in_reports(reports: Sequence[str], case: CaseLevels = NO_CASE) -> list[Mention]:
    """The findings the reports affirm or suggest: one per finding and report, the first affirmed
    mention if there is one, else the first uncertain one. A denial that states a sign (signs.yaml
    ``denial_of``) yields that sign."""
    chosen: dict[tuple[int, str], Mention] = {}
    for mention in _with_denials(read_mentions(reports, case), reports):
        if not mention.is_finding:
            continue
        key = (mention.report, mention.id)
        held = chosen.get(key)
        if held is None or (held.status == "uncertain" and mention.status == "affirmed"):
            chosen[key] = mention
    return sorted(chosen.values(), key=lambda m: (m.report, m.start))
