"""The spaCy component that adds the findings placed by level (levels.py) to the span group ConText
reads, before ConText runs, so negation, hedges and history apply to them as to any term."""

from spacy.language import Language
from spacy.tokens import Doc, Span

from spinetrack.domain.reports.levels import Segment, level_mentions, level_positions, read_levels

COMPONENT = "spinetrack_levels"


@Language.factory(COMPONENT, default_config={"span_group_name": "medspacy_spans"})
def make_level_reader(nlp: Language, name: str, span_group_name: str) -> "LevelReader":
    return LevelReader(span_group_name)


class LevelReader:
    """Adds a span per finding placed by level, unless the words already give a level finding
    by name ("adjacent segment stenosis" is adjacent whatever its level says)."""

    def __init__(self, span_group_name: str) -> None:
        self.group = span_group_name
        self.placed = frozenset(f.finding for f in level_positions().findings)

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans[self.group]) if self.group in doc.spans else []
        sentences = [(s.start_char, s.text) for s in doc.sents]
        adjacent = self._named_adjacent(doc, spans)
        for reading in read_levels(sentences, named_adjacent=adjacent):
            span = doc.char_span(
                reading.start, reading.end, label=reading.finding, alignment_mode="expand"
            )
            if span is None or any(
                s.label_ in self.placed and s.start < span.end and span.start < s.end for s in spans
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
