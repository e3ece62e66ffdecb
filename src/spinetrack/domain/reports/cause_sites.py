"""Where a fracture, an abscess or a cellulitis lies, read from its own words.

A fracture whose own words name no part of the spine ("a left intertrochanteric fracture",
"fracture of the distal fibula") is a fracture elsewhere, the sign the fracture red flag reads
beside a spine found not tender; the older list of fracture sites is not needed. An abscess or a
cellulitis whose own words place it away from the operated site ("a dental abscess", "cellulitis of
the left shin"), in a clause that names no part of the spine, is not the operated site's
(knowledge/reports/stated_causes.yaml, ``fractures`` and ``sited``). Pure Python over tokens.
"""

from collections.abc import Sequence

from spinetrack.domain.reports.cause_words import (
    Compiled,
    Explanation,
    Finding,
    classify,
    compiled,
    is_content,
    masked,
    phrase_after,
)


def fractures_elsewhere(
    tokens: Sequence[str], sentences: Sequence[tuple[int, int]], rules: Compiled
) -> list[Explanation]:
    """A fracture whose own words name a site that is not the spine ("a left intertrochanteric
    fracture", "fracture of the distal radius"): the words right before it up to a boundary or a
    verb of showing, and "of" (or "to", "in") with the words after it."""
    found = []
    stops = rules.hard | rules.soft | rules.showing
    for first, stop in sentences:
        for at in range(first, stop):
            if tokens[at] not in rules.fracture_words:
                continue
            if masked(tokens[at : at + 3], rules)[0]:
                continue  # "fracture clinic"
            start = at
            while (
                start > max(first, at - 3)
                and tokens[start - 1] not in stops
                and (is_content(tokens[start - 1]) or rules.level.match(tokens[start - 1]))
            ):
                start -= 1
            end = at + 1
            if end < stop and tokens[end] in rules.fracture_of:
                end = phrase_after(tokens, end + 1, stop, rules)
            elif end < stop and rules.level.match(tokens[end]):
                end += 1
            site = list(tokens[start:at]) + list(tokens[at + 1 : end])
            if classify(site) == "elsewhere":
                found.append(Explanation(rules.rules.fractures.sign, start, end))
    return found


def _site_words(
    tokens: Sequence[str], start: int, end: int, first: int, stop: int, rules: Compiled
) -> list[str]:
    """The words that place a mention ``[start, end)``: the run of words right before it ("a
    dental abscess") and, after a lead word, the phrase after it ("cellulitis of the left shin")."""
    before = start
    while (
        before > max(first, start - 3)
        and tokens[before - 1] not in rules.hard
        and tokens[before - 1] not in rules.soft
        and is_content(tokens[before - 1])
    ):
        before -= 1
    after = end
    if after < stop and tokens[after] in rules.sited_leads:
        after = phrase_after(tokens, after + 1, stop, rules)
    return list(tokens[before:start]) + list(tokens[end:after])


def misplaced(
    tokens: Sequence[str], sentences: Sequence[tuple[int, int]], findings: Sequence[Finding]
) -> list[Finding]:
    """The wound signs and abscesses whose own words place them away from the operated site, in a
    sentence that names no part of the spine, the wound or an implant: they are not the site's."""
    rules = compiled()
    found = []
    for mention in findings:
        if mention.id not in rules.sited:
            continue
        first, stop = next(((a, b) for a, b in sentences if a <= mention.start < b), (0, 0))
        # the clause the mention is in: "heel ulcer with cellulitis; spinal wound healed"
        while first < mention.start and any(t in rules.hard for t in tokens[first : mention.start]):
            first += 1
        end = mention.end
        while end < stop and tokens[end] not in rules.hard:
            end += 1
        stop = end
        sentence = tokens[first:stop]
        if any(t in rules.spine or rules.level.match(t) for t in sentence if is_content(t)):
            continue
        site = _site_words(tokens, mention.start, mention.end, first, stop, rules)
        if classify(site) == "elsewhere":
            found.append(mention)
    return found
