"""The spaCy component that adds the findings placed by level (levels.py) to the span group ConText
reads, before ConText runs, so negation, hedges and history apply to them as to any term."""

from spacy.language import Language
from spacy.tokens import Doc, Span

from spinetrack.domain.reports.case_levels import CASE_LEVELS, NO_CASE, CaseLevels
from spinetrack.domain.reports.distribution import read_distribution
from spinetrack.domain.reports.level_mismatch import FINDING as WRONG_LEVEL
from spinetrack.domain.reports.level_mismatch import read_mismatch, symptomatic_levels
from spinetrack.domain.reports.levels import (
    Segment,
    level_mentions,
    level_positions,
    operated_levels,
    read_levels,
)

COMPONENT = "spinetrack_levels"


@Language.factory(COMPONENT, default_config={"span_group_name": "medspacy_spans"})
def make_level_reader(nlp: Language, name: str, span_group_name: str) -> "LevelReader":
    return LevelReader(span_group_name)


class LevelReader:
    """Adds a span per finding placed by level, unless the words already give a level finding
    by name ("adjacent segment stenosis" is adjacent whatever its level says); a span per level
    that tells a wrong-level operation (level_mismatch.py); a span per limb pain whose roots are
    set against those before the operation (distribution.py). The case's operated levels, when
    the reader is given them, count beside the report's own, unless the report tells that the
    level operated was not the level meant: then the level meant stands for where the pain was
    before."""

    def __init__(self, span_group_name: str) -> None:
        self.group = span_group_name
        self.placed = frozenset(f.finding for f in level_positions().findings)

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans[self.group]) if self.group in doc.spans else []
        sentences = [(s.start_char, s.text) for s in doc.sents]
        per_sentence = [(offset, text, level_mentions(text)) for offset, text in sentences]
        case: CaseLevels = doc.user_data.get(CASE_LEVELS, NO_CASE)
        # the record says which levels were meant; a report alone, those it writes beside an
        # operation word ("Operation notes state L4-5 left discectomy")
        intended = case.operated or operated_levels(per_sentence)
        readings = [
            (WRONG_LEVEL, start, end) for start, end in read_mismatch(per_sentence, intended)
        ]
        wrong_level = bool(readings) or any(s.label_ == WRONG_LEVEL for s in spans)
        meant: frozenset[Segment] = frozenset()
        if wrong_level:
            case = NO_CASE  # the level meant is not the level operated: the record misleads
            # the pain before came from the level meant: the one the report calls symptomatic,
            # else the one that was to be operated
            meant = symptomatic_levels(per_sentence) or intended
        adjacent = self._named_adjacent(doc, spans)
        readings += [
            (r.finding, r.start, r.end)
            for r in read_levels(sentences, named_adjacent=adjacent, case=case, not_operated=meant)
        ]
        readings += read_distribution(sentences, case.operated, meant=meant)
        for finding, start, end in readings:
            span = doc.char_span(start, end, label=finding, alignment_mode="expand")
            if span is None or (
                finding in self.placed
                and any(
                    s.label_ in self.placed and s.start < span.end and span.start < s.end
                    for s in spans
                )
            ):
                continue
            spans.append(span)
        doc.spans[self.group] = spans
        return doc

    def _named_adjacent(self, doc: Doc, spans: list[Span]) -> frozenset[Segment]:
        """Segments an adjacent-level mention names: a level inside its words ("the segment below
        the fusion (L5/S1)") or the one written just before them ("C3/4 adjacent segment: ...")."""
        segments: set[Segment] = set()
        for span in spans:
            if not span.label_.startswith("adjacent_level_"):
                continue
            sentence = span.sent
            lead = doc.text[max(sentence.start_char, span.start_char - 12) : span.end_char]
            for level in level_mentions(lead):
                segments |= level.segments
        return frozenset(segments)
