"""Section-aware sentence starts: a numbered item, a bullet or a ``Label:`` line starts a sentence.

A row of a table typed with bars starts one too: "Previous cancer | x |" must not date the row
below it ("Unexplained weight loss | x |") as history.

Reports wrap their lines in the middle of sentences, so a line break alone says nothing; but a line
that opens with "1.", "2)", "-", or a header such as "Impression:" or "XR:" begins a new statement,
and a negation or hedge on the line before must not reach into it. pysbd splits the rest.
"""

import re

from spacy.language import Language
from spacy.tokens import Doc, Token

COMPONENT = "spinetrack_sections"

_ITEM_START = re.compile(
    r"(?m)^[ \t]*(?:\d{1,2}[.)]\s|[-•*]\s|\(?[a-z]\)\s|[A-Za-z][A-Za-z /&-]{0,30}:)"
)


_SENTENCE_END = frozenset(".!?:;")
_LEADER = re.compile(r"\.{4,}")
"""A form's dotted leader between a field and its answer ("Faecal soiling noted ....... N"): not
a sentence end, though pysbd takes it for one, which cut the answer off from the field it answers
(issue 16, scope19). An ellipsis of three dots in dictation is left to pysbd."""


def _after_leader(token: Token) -> bool:
    """Whether the token follows a dotted leader on its own line (spaces between them aside)."""
    i = token.i - 1
    while i >= 0 and token.doc[i].is_space and "\n" not in token.doc[i].text:
        i -= 1
    return i >= 0 and bool(_LEADER.fullmatch(token.doc[i].text))


def _is_query_mark(token: Token) -> bool:
    """A "?" that opens a query ("?CES", "Imp: ? epidural haematoma") rather than ending a
    question ("Bladder problems? No"): it stands apart from the word before it. pysbd takes
    every "?" for a sentence end, which cut "?saddle numbness" off from its hedge."""
    if token.text != "?" or token.i + 1 >= len(token.doc):
        return False
    if token.i == 0:
        return True
    before = token.doc[token.i - 1]
    return bool(before.whitespace_) or before.text in {":", "(", "-", "/", ","}


def _is_header(line: str) -> bool:
    """An all-capitals line ("CT LUMBAR SPINE", "IMPRESSION") heads what follows."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


@Language.component(COMPONENT)
def mark_section_starts(doc: Doc) -> Doc:
    """Start a sentence at every line that opens a list item or a labelled section, and join a
    line that only continues a wrapped sentence to the line before it."""
    text = doc.text
    starts = {
        match.start() + len(match.group(0)) - len(match.group(0).lstrip())
        for match in _ITEM_START.finditer(text)
    }
    for token in doc[1:]:
        if token.is_space:
            continue
        if _is_query_mark(doc[token.i - 1]) and token.idx not in starts:
            token.is_sent_start = False  # the word a query mark opens stays with it
            continue
        if token.idx in starts:
            token.is_sent_start = True
            continue
        if _after_leader(token):
            token.is_sent_start = False
            continue
        line_start = text.rfind("\n", 0, token.idx)
        if line_start < 0 or text[line_start + 1 : token.idx].strip():
            continue  # not the first word of a line
        previous_line = text[:line_start].rstrip().rsplit("\n", 1)[-1]
        line = text[line_start + 1 :].split("\n", 1)[0]
        if "|" in line and "|" in previous_line:
            token.is_sent_start = True  # a table row is a record of its own (flags16)
            continue
        if (
            previous_line
            and previous_line[-1] not in _SENTENCE_END
            and not _is_header(previous_line)
        ):
            token.is_sent_start = False
    return doc
