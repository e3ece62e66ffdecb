"""The spaCy component that adds the findings read from numbers (values.py) to the span group
ConText reads. Kept apart from values.py so reading the value rules never imports spaCy."""

from spacy.language import Language
from spacy.tokens import Doc

from spinetrack.domain.reports.grade_grids import read_grade_grids
from spinetrack.domain.reports.value_tables import read_tables
from spinetrack.domain.reports.values import TREND, read_values, value_rules

COMPONENT = "spinetrack_values"


@Language.factory(COMPONENT, default_config={"span_group_name": "medspacy_spans"})
def make_value_reader(nlp: Language, name: str, span_group_name: str) -> "ValueReader":
    return ValueReader(span_group_name)


class ValueReader:
    """The spaCy component: adds a span per value finding to the span group ConText reads."""

    def __init__(self, span_group_name: str) -> None:
        self.group = span_group_name
        value_rules()  # parse and check the rules when the pipeline is built, not on first use

    def __call__(self, doc: Doc) -> Doc:
        sentences = [(sent.start_char, sent.text) for sent in doc.sents]
        spans = list(doc.spans[self.group]) if self.group in doc.spans else []
        for reading in [
            *read_values(sentences),
            *read_tables(doc.text),
            *read_grade_grids(doc.text),
        ]:
            span = doc.char_span(
                reading.start,
                reading.end,
                label=reading.finding,
                alignment_mode="expand",
                span_id=TREND if reading.trend else 0,
            )
            if span is None:
                continue
            if reading.uncertain:
                span._.is_uncertain = True
            spans.append(span)
        doc.spans[self.group] = spans
        return doc
