"""The spaCy component that adds the findings read from numbers (values.py) to the span group
ConText reads. Kept apart from values.py so reading the value rules never imports spaCy."""

from spacy.language import Language
from spacy.tokens import Doc, Span

from spinetrack.domain.reports.grade_grids import read_grade_grids
from spinetrack.domain.reports.spoken_numbers import spoken_as_digits
from spinetrack.domain.reports.value_negation import names_value
from spinetrack.domain.reports.value_tables import read_tables
from spinetrack.domain.reports.values import BORDERLINE, TREND, VALUE, read_values, value_rules
from spinetrack.domain.reports.yes_no_columns import answered_no

COMPONENT = "spinetrack_values"
NEGATION_REACH = "spinetrack_value_negation"
NEGATED = "NEGATED_EXISTENCE"


@Language.factory(COMPONENT, default_config={"span_group_name": "medspacy_spans"})
def make_value_reader(nlp: Language, name: str, span_group_name: str) -> "ValueReader":
    return ValueReader(span_group_name)


class ValueReader:
    """The spaCy component: adds a span per value finding to the span group ConText reads."""

    def __init__(self, span_group_name: str) -> None:
        self.group = span_group_name
        value_rules()  # parse and check the rules when the pipeline is built, not on first use

    def __call__(self, doc: Doc) -> Doc:
        text = spoken_as_digits(doc.text)  # same length: offsets stay the report's
        sentences = [(sent.start_char, text[sent.start_char : sent.end_char]) for sent in doc.sents]
        spans = list(doc.spans[self.group]) if self.group in doc.spans else []
        for reading in [
            *read_values(sentences),
            *read_tables(text),
            *read_grade_grids(text),
        ]:
            span = doc.char_span(
                reading.start,
                reading.end,
                label=reading.finding,
                alignment_mode="expand",
                span_id=TREND if reading.trend else BORDERLINE if reading.borderline else VALUE,
            )
            if span is None:
                continue
            if reading.uncertain:
                span._.is_uncertain = True
            spans.append(span)
        doc.spans[self.group] = spans
        return doc


@Language.factory(NEGATION_REACH, default_config={"span_group_name": "medspacy_spans"})
def make_negation_reach(nlp: Language, name: str, span_group_name: str) -> "NegationReach":
    return NegationReach(span_group_name)


class NegationReach:
    """The spaCy component run after ConText: a value reading ConText negated stays negated only
    if one of its negations names the value (value_negation.py); a negation of another noun
    earlier or later in the sentence ("no fever, CRP 38") leaves the measurement as it is. A
    finding named in a chart's yes/no header whose column ends in "N" is negated
    (yes_no_columns.py)."""

    def __init__(self, span_group_name: str) -> None:
        self.group = span_group_name

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans[self.group]) if self.group in doc.spans else []
        readings = sorted(
            (span for span in spans if span.id_ in (VALUE, TREND, BORDERLINE)),
            key=lambda span: span.start,
        )
        for span in readings:  # in text order: a reading freed here stops a later negation
            if not span._.is_negated:
                continue
            negations = [m.modifier_span for m in span._.modifiers if m.category == NEGATED]
            if not any(_reaches(doc, trigger, span, readings) for trigger in negations):
                span._.is_negated = False
        for start, end in answered_no(doc.text):  # "Stridor Y/N" over a column ending in "N"
            for span in spans:
                if start <= span.start_char and span.end_char <= end:
                    span._.is_negated = True
        return doc


def _reaches(doc: Doc, trigger: tuple[int, int], span: Span, readings: list[Span]) -> bool:
    """Whether a negation reaches a value reading: not past a reading it left standing, and for
    a reading well above its limit only if it names the value."""
    low, high = (trigger[1], span.start) if trigger[1] <= span.start else (span.end, trigger[0])
    if any(
        other is not span and low <= other.start and other.end <= high and not other._.is_negated
        for other in readings
    ):
        return False
    return span.id_ == BORDERLINE or _names(doc, trigger, span)


def _names(doc: Doc, trigger: tuple[int, int], span: Span) -> bool:
    """Whether the negation whose tokens are ``trigger`` names the value reading ``span``."""
    start, end = trigger
    if end <= span.start:
        return names_value(doc[end : span.start].text)
    if start >= span.end:
        return names_value(doc[span.end : start].text)
    return True
