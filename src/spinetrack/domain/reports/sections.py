"""Section-aware sentence starts: a numbered item, a bullet or a ``Label:`` line starts a sentence.

Reports wrap their lines in the middle of sentences, so a line break alone says nothing; but a line
that opens with "1.", "2)", "-", or a header such as "Impression:" or "XR:" begins a new statement,
and a negation or hedge on the line before must not reach into it. pysbd splits the rest.
"""

import re

from spacy.language import Language
from spacy.tokens import Doc

COMPONENT = "spinetrack_sections"

_ITEM_START = re.compile(
    r"(?m)^[ \t]*(?:\d{1,2}[.)]\s|[-•*]\s|\(?[a-z]\)\s|[A-Za-z][A-Za-z /&-]{0,30}:)"
)


@Language.component(COMPONENT)
def mark_section_starts(doc: Doc) -> Doc:
    """Start a sentence at every line that opens a list item or a labelled section."""
    starts = {
        match.start() + len(match.group(0)) - len(match.group(0).lstrip())
        for match in _ITEM_START.finditer(doc.text)
    }
    if not starts:
        return doc
    for token in doc[1:]:
        if token.idx in starts and not token.is_space:
            token.is_sent_start = True
    return doc
