"""The shipped library: every page validates, covers what patients look up, cites sources, links up."""

from pathlib import Path

import pytest

from spinetrack.domain.education import entries, entry, urgent_care
from spinetrack.domain.education.glossary import check
from spinetrack.domain.education.markdown import link_targets, plain_text, split
from spinetrack.domain.education.page import (
    REQUIRED_SECTIONS,
    TREATMENT_OPTIONS,
    Entry,
    parse_page,
)
from spinetrack.domain.education.terms import terms
from spinetrack.domain.errors import KnowledgeError, NotFound
from spinetrack.domain.knowledge import list_files

FIXTURES = Path(__file__).with_name("fixtures")
IDS = [e.id for e in entries()]

# The topics the issue and the triage vocabulary name, as a patient would look them up.
MUST_COVER = {
    "failed-neck-syndrome": "condition",
    "failed-back-syndrome": "condition",
    "failed-fusion": "condition",
    "persistent-spinal-pain-syndrome": "condition",
    "epidural-fibrosis": "cause",
    "recurrent-disc-herniation": "cause",
    "adjacent-segment-disease": "cause",
    "arachnoiditis": "cause",
    "spinal-stenosis": "cause",
    "spinal-instability": "cause",
    "implant-problems": "cause",
    "infection-after-spine-surgery": "cause",
    "nerve-root-injury": "cause",
    "sacroiliac-joint-pain": "cause",
    "facet-joint-pain": "cause",
    "flat-back": "cause",
    "csf-leak": "cause",
    "psychological-and-social-factors": "cause",
    "mri": "test",
    "ct-scan": "test",
    "emg": "test",
    "spine-x-rays": "test",
    "diagnostic-blocks": "test",
    "physical-therapy": "treatment",
    "spinal-injections": "treatment",
    "nerve-pain-medicines": "treatment",
    "spinal-cord-stimulation": "treatment",
    "revision-surgery": "treatment",
    "spinal-fusion": "treatment",
    "artificial-disc-replacement": "treatment",
    "dynamic-stabilization": "treatment",
    "pain-psychology": "treatment",
    "complementary-therapies": "treatment",
}


def _fixture(name: str) -> Entry:
    return parse_page(name, (FIXTURES / name).read_text(encoding="utf-8"))


def test_the_library_holds_at_least_25_entries_one_per_markdown_file() -> None:
    assert len(IDS) >= 25
    assert len(IDS) == len(list_files("education", suffix=".md"))


def test_every_topic_patients_look_up_has_an_entry_of_the_right_kind() -> None:
    assert {i: entry(i).kind for i in MUST_COVER} == MUST_COVER


def test_entries_come_in_alphabetical_order_of_title() -> None:
    titles = [e.title.lower() for e in entries()]
    assert titles == sorted(titles)


@pytest.mark.parametrize("entry_id", IDS)
def test_every_page_has_the_sections_its_kind_requires_in_order(entry_id: str) -> None:
    found = entry(entry_id)
    titles = [s.title for s in found.sections]
    required = REQUIRED_SECTIONS[found.kind]
    assert [t for t in titles if t in required] == list(required)


@pytest.mark.parametrize("entry_id", [i for i in IDS if entry(i).kind in {"condition", "cause"}])
def test_every_condition_covers_each_treatment_option_and_each_kind_of_surgery(
    entry_id: str,
) -> None:
    options = next(s for s in entry(entry_id).sections if s.title == "Treatment options")
    subsections = {b.title: b.markdown for b in split(options.markdown, level=3).blocks}
    assert list(subsections) == list(TREATMENT_OPTIONS)
    surgery = " ".join(plain_text(subsections["Surgery"]).lower().split())
    for option in ("revision", "fusion", "artificial disc replacement", "dynamic stabili"):
        assert option in surgery, f"{entry_id}: the surgery options do not mention {option}"


@pytest.mark.parametrize("entry_id", IDS)
def test_every_entry_cites_sources_and_says_when_it_was_reviewed(entry_id: str) -> None:
    found = entry(entry_id)
    meta = found.meta
    if found.referenced:
        assert found.references and all(len(r.title) > 10 for r in found.references)
    else:
        assert meta.sources and all(len(s) > 20 for s in meta.sources)
    assert meta.last_reviewed.year >= 2026
    assert "spinetrack editorial team" in meta.reviewed_by


@pytest.mark.parametrize("entry_id", IDS)
def test_related_entries_and_page_links_resolve_to_other_entries(entry_id: str) -> None:
    found = entry(entry_id)
    assert found.meta.related and entry_id not in found.meta.related
    for related in found.meta.related:
        assert entry(related).id == related
    for section in found.sections:
        for target in link_targets(section.markdown):
            if target.startswith("glossary#"):
                assert target.removeprefix("glossary#") in terms(), f"{entry_id}: {target}"
                continue
            assert target in IDS, f"{entry_id}: {section.title} links to {target}"


def test_every_entry_is_linked_from_another_entry() -> None:
    linked = {r for e in entries() for r in e.meta.related}
    linked |= {t for e in entries() for s in e.sections for t in link_targets(s.markdown)}
    linked |= {t.page for t in terms().values() if t.page}
    assert set(IDS) - linked == set()


def test_an_unknown_id_is_not_found() -> None:
    with pytest.raises(NotFound, match="library entry no-such-page not found"):
        entry("no-such-page")


def test_the_urgent_care_box_gives_emergency_and_same_day_signs_with_sources() -> None:
    box = urgent_care()
    assert box.emergency.signs and box.same_day.signs and box.sources
    emergency = " ".join(box.emergency.signs).lower()
    for sign in ("numbness", "urine", "weakness", "breathing"):
        assert sign in emergency


def _variant(name: str, *changes: tuple[str, str]) -> Entry:
    """A fixture page with some of its text replaced."""
    text = (FIXTURES / name).read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text
        text = text.replace(old, new)
    return parse_page(name, text)


RELATED_FIXED = ("related: [other-page]", "related: [valid-condition]")
LINK_FIXED = ("](other-page)", "](valid-condition)")


def test_pages_whose_links_resolve_check_together() -> None:
    check([_fixture("valid-condition.md"), _variant("valid-test.md", RELATED_FIXED, LINK_FIXED)])


def test_a_related_id_without_a_page_fails_naming_the_file_and_field() -> None:
    with pytest.raises(KnowledgeError) as caught:
        check([_fixture("valid-condition.md"), _variant("valid-test.md", LINK_FIXED)])
    assert (caught.value.file, caught.value.field) == ("valid-test.md", "related.0")
    assert "no other entry 'other-page'" in str(caught.value)


def test_an_entry_cannot_list_itself_as_related() -> None:
    page = _variant("valid-test.md", ("related: [other-page]", "related: [valid-test]"), LINK_FIXED)
    with pytest.raises(KnowledgeError, match="no other entry 'valid-test'"):
        check([page])


def test_a_link_to_a_missing_page_fails_naming_the_section() -> None:
    with pytest.raises(KnowledgeError) as caught:
        check([_fixture("valid-condition.md"), _variant("valid-test.md", RELATED_FIXED)])
    assert (caught.value.file, caught.value.field) == ("valid-test.md", "sections.What it is")
    assert "link to no entry 'other-page'" in str(caught.value)


def test_links_to_anchors_and_other_sites_are_not_page_links() -> None:
    extra = ("It links to", "See [below](#risks) and [NICE](https://www.nice.org.uk). It links to")
    check(
        [
            _fixture("valid-condition.md"),
            _variant("valid-test.md", RELATED_FIXED, LINK_FIXED, extra),
        ]
    )


def test_two_pages_with_one_id_fail() -> None:
    page = _fixture("valid-condition.md")
    with pytest.raises(KnowledgeError, match=r"is also the id of valid-condition\.md"):
        check([page, page])
