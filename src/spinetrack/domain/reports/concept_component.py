"""The spaCy component that adds the findings read as concepts (concepts.py) to the span group
ConText reads, before ConText runs, so negation, hedges and history apply to them as to any term."""

from spacy.language import Language
from spacy.tokens import Doc, Span

from spinetrack.domain.reports.concepts import compiled, match_concepts

COMPONENT = "spinetrack_concepts"


@Language.factory(COMPONENT, default_config={"span_group_name": "medspacy_spans"})
def make_concept_reader(nlp: Language, name: str, span_group_name: str) -> "ConceptReader":
    return ConceptReader(span_group_name)


class ConceptReader:
    """Adds a span per concept found in a sentence, from its first to its last word, unless a
    term of the same finding already overlaps those words (one mention, not two, for ConText).

    When the concept's own words hold a negation and reach beyond such a term, one span covering
    both replaces the term's: the extra words are the finding's own ("wet himself without
    knowing", "no injury from the fall"), and a negation among them must be pruned by ConText as
    part of the target rather than read as negating the finding or what follows it."""

    def __init__(self, span_group_name: str) -> None:
        self.group = span_group_name
        compiled()  # parse and check the concepts when the pipeline is built

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans[self.group]) if self.group in doc.spans else []
        for sentence in doc.sents:
            tokens = [token.lower_ for token in sentence]
            for match in match_concepts(tokens):
                start = sentence.start + match.first
                end = sentence.start + match.last + 1
                same = [
                    s
                    for s in spans
                    if s.label_ == match.finding and s.start < end and start < s.end
                ]
                if same and (
                    not match.own_negation or any(s.start <= start and end <= s.end for s in same)
                ):
                    continue  # the finding's own wording already covers these words
                if same:
                    start = min(start, *(s.start for s in same))
                    end = max(end, *(s.end for s in same))
                    spans = [s for s in spans if s not in same]
                span = Span(doc, start, end, label=match.finding)
                if match.uncertain:
                    span._.is_uncertain = True
                spans.append(span)
        doc.spans[self.group] = spans
        return doc
