"""The spaCy component that adds the signs of stated causes (stated_causes.py) to the span group
ConText reads, before ConText runs: a cause denied or asked about ("not due to a UTI", "if the
fever is from the chest") is read as any mention is, and a hedged one ("likely PE") still counts,
as every sign does."""

from spacy.language import Language
from spacy.tokens import Doc, Span

from spinetrack.domain.reports.cause_sites import misplaced
from spinetrack.domain.reports.cause_words import Finding, compiled
from spinetrack.domain.reports.stated_causes import explanations

COMPONENT = "spinetrack_stated_causes"


@Language.factory(COMPONENT, default_config={"span_group_name": "medspacy_spans"})
def make_cause_reader(nlp: Language, name: str, span_group_name: str) -> "CauseReader":
    return CauseReader(span_group_name)


class CauseReader:
    """Adds a span per stated cause that explains a finding found so far, labelled with the sign
    the explanation sets, over the cause's own words; marks negated a wound sign or an abscess
    whose own words place it away from the operated site (ConText only ever adds a negation, so
    the mark stays). A sign whose finding the report also ties to the spine is marked negated
    wherever it is read, since the spine is then among the finding's causes."""

    def __init__(self, span_group_name: str) -> None:
        self.group = span_group_name
        compiled()  # parse and check the rules when the pipeline is built

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans[self.group]) if self.group in doc.spans else []
        findings = [Finding(s.label_, s.start, s.end) for s in spans]
        tokens = [_word(doc, i) for i in range(len(doc))]
        sentences = [(s.start, s.end) for s in doc.sents]
        seen = {(s.label_, s.start, s.end) for s in spans}
        reading = explanations(tokens, sentences, findings)
        for found in reading.explained:
            key = (found.sign, found.start, found.end)
            if key not in seen:
                seen.add(key)
                spans.append(Span(doc, found.start, found.end, label=found.sign))
        placed = {(f.id, f.start, f.end) for f in misplaced(tokens, sentences, findings)}
        for span in spans:
            if (span.label_, span.start, span.end) in placed:
                span._.is_negated = True  # not the operated site's: read as not stated
            elif span.label_ in reading.vetoed:
                span._.is_negated = True  # the finding is also tied to the spine
        doc.spans[self.group] = spans
        return doc


JOINED_HYPHEN = "<joined-hyphen>"
"""What a hyphen inside a word ("pre-op", "T2-weighted") is read as: no link, since a dash is a
link of its own for some findings ("lost 5 kg - gastroenteritis") only when it stands apart."""


def _word(doc: Doc, index: int) -> str:
    """The lower-case token, or ``JOINED_HYPHEN`` for a hyphen with no space on either side."""
    token = doc[index]
    joined = index > 0 and not doc[index - 1].whitespace_ and not token.whitespace_
    if token.text in ("-", "\u2013") and joined:
        return JOINED_HYPHEN
    return token.lower_
