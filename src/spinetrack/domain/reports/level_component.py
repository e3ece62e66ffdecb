"""The spaCy component that adds the findings placed by level (levels.py) to the span group ConText
reads, before ConText runs, so negation, hedges and history apply to them as to any term."""

from spacy.language import Language
from spacy.tokens import Doc

from spinetrack.domain.reports.levels import level_positions, read_levels

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
        for reading in read_levels(sentences):
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
