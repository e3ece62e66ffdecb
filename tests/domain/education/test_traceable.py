"""Pages in the referenced format are traceable and explain their words.

Every number and every claim of benefit or harm cites a source in the same paragraph; each page leans
on guidelines, systematic reviews or trials; no page cites grey material; every glossary word is
linked where it first appears. Pages still in the legacy format (one line per source, no in-text
citations) are not held to this until they are rewritten; see EDUCATION-FORMAT.md.
"""

import pytest

from spinetrack.domain.education import entries, entry
from spinetrack.domain.education.citations import uncited
from spinetrack.domain.education.terms import unexplained

REFERENCED = [e.id for e in entries() if e.referenced]
GREY = ("radiopaedia", "wikipedia", "medrxiv", "biorxiv", "researchgate", "physiospot", "studylib")
STRONG = {"guideline", "systematic_review", "trial"}


def _body(entry_id: str) -> str:
    return "\n\n".join(s.markdown for s in entry(entry_id).sections)


@pytest.mark.parametrize("entry_id", REFERENCED)
def test_every_number_and_claim_cites_its_source(entry_id: str) -> None:
    problems = [f"{u.what}: {u.text}" for u in uncited(_body(entry_id))]
    assert problems == []


@pytest.mark.parametrize("entry_id", REFERENCED)
def test_the_summary_states_no_number_or_claim_it_cannot_cite(entry_id: str) -> None:
    assert uncited(entry(entry_id).meta.summary) == []


@pytest.mark.parametrize("entry_id", REFERENCED)
def test_every_glossary_word_is_linked_where_it_first_appears(entry_id: str) -> None:
    assert unexplained(_body(entry_id), entry_id) == []


@pytest.mark.parametrize("entry_id", REFERENCED)
def test_sources_are_guidelines_reviews_or_trials_first_and_never_grey(entry_id: str) -> None:
    references = entry(entry_id).references
    assert {r.kind for r in references} & STRONG
    for reference in references:
        text = " ".join([reference.title, reference.published_in, reference.identifier]).lower()
        assert not any(grey in text for grey in GREY), reference.key


@pytest.mark.parametrize("entry_id", REFERENCED)
def test_the_reviewer_is_named_by_role_and_no_review_is_claimed_that_did_not_happen(
    entry_id: str,
) -> None:
    reviewed_by = entry(entry_id).meta.reviewed_by.lower()
    assert "spinetrack editorial team" in reviewed_by
    assert "awaiting review" in reviewed_by or "reviewed by" in reviewed_by
