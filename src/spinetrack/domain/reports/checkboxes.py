"""Tick boxes of template notes read as what they say, before the wording rules see the text.

EHR templates and referral forms write answers as boxes: ``Bladder: [x] normal [ ] retention``,
``Saddle numbness  Y [ ]  N [x]``, ``[x] neurological deficit [ ] bladder [ ] fever``. Read as plain
words, every option of the list looks like a statement, so a form that ticks "none" reads as if it
listed the complaint. Here an unticked option is not a statement (its box and words are blanked
out), a ticked box leaves its option as a plain answer, and a yes/no pair ticked "no" becomes a
plain "- no." answer, which the ConText rules read as a negation of the label before it
(context_modifiers.yaml); its full stop keeps the "no" from the next field on the line ("Head
injury Y [ ] N [x]   New pain Y [x] N [ ]"). Every replacement keeps the text's length,
so each character stays where the report has it and a finding still quotes the report's own words.

The reading follows the fifth blind corpus writer's labelling choices (corpus FORMAT.md, "Fifth
blind set": a ticked normal option negates the abnormal ones beside it; an unticked box in a "tick
all that apply" list is not a statement).
"""

import re

_TICK = r"[xX✓✔√]"
_YES_NO = re.compile(
    rf"\bY(?:es)?\s*\[\s*(?P<yes>{_TICK}?)\s*\]\s*N(?:o)?\s*\[\s*(?P<no>{_TICK}?)\s*\]"
)
"""A yes/no pair of boxes, the option's letter before its box: ``Y [ ]  N [x]``."""
_UNTICKED = re.compile(r"\[[ \t]?\][ \t]*[^\[\]\n]*")
"""An empty box and its option, up to the next box or the end of the line: ``[ ] retention``. A
box that ends its line has no option after it: the next line is not its option (flags16)."""
_TICKED = re.compile(rf"\[\s*{_TICK}\s*\]")
"""A ticked box, which leaves its option as a plain answer: ``Neck swelling: [x] none`` reads
``Neck swelling:     none``."""


def _blank(text: str) -> str:
    return "".join(c if c == "\n" else " " for c in text)


def _yes_no(match: re.Match[str]) -> str:
    span = match.group(0)
    if match.group("no") and not match.group("yes"):
        answer = " - no."  # the full stop ends the answer: its "no" must not reach the next field
        return _blank(span[: len(span) - len(answer)]) + answer if len(span) > len(answer) else span
    return _blank(span)


def read_boxes(text: str) -> str:
    """The text with unticked options and the boxes blanked out and ticked-no pairs written as "- no"; text
    without boxes is returned unchanged. The result has the same length as ``text``."""
    if "[" not in text:
        return text
    text = _YES_NO.sub(_yes_no, text)
    text = _UNTICKED.sub(lambda m: _blank(m.group(0)), text)
    return _TICKED.sub(lambda m: _blank(m.group(0)), text)
