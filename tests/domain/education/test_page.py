"""One page at a time: valid pages parse into sections, broken ones fail naming the file and field."""

from pathlib import Path

import pytest

from spinetrack.domain.education.page import REQUIRED_SECTIONS, Entry, parse_page, slug
from spinetrack.domain.errors import KnowledgeError

FIXTURES = Path(__file__).with_name("fixtures")


def _parse(relpath: str) -> Entry:
    return parse_page(f"fixtures/{relpath}", (FIXTURES / relpath).read_text(encoding="utf-8"))


def test_a_valid_test_page_parses_into_its_sections_in_order() -> None:
    entry = _parse("valid-test.md")
    assert entry.id == "valid-test" and entry.kind == "test"
    assert [s.title for s in entry.sections] == list(REQUIRED_SECTIONS["test"])
    assert entry.sections[0].slug == "what-it-is"
    assert '<a href="other-page">the other page</a>' in entry.sections[0].html


def test_a_valid_condition_page_holds_every_treatment_option() -> None:
    entry = _parse("valid-condition.md")
    options = next(s for s in entry.sections if s.title == "Treatment options")
    for option in ("Non-surgical care", "Medicines", "Physical therapy and exercise", "Injections"):
        assert f"<h3>{option}</h3>" in options.html


def test_search_text_holds_what_the_reader_sees_not_link_targets() -> None:
    entry = _parse("valid-test.md")
    assert "the other page" in entry.body_text
    assert "other-page" not in entry.body_text


@pytest.mark.parametrize(
    ("fixture", "field", "says"),
    [
        ("missing-sources.md", "sources", "Field required"),
        ("empty-sources.md", "sources", "at least 1 item"),
        ("unknown-kind.md", "kind", "condition"),
        ("unknown-field.md", "author", "Extra inputs are not permitted"),
        ("bad-region.md", "regions.0", "lumbar"),
        ("short-summary.md", "summary", "at least 20 characters"),
        ("id-differs-from-file.md", "id", "differs from the file name"),
        ("no-front-matter.md", "front matter", "YAML between two --- lines"),
        ("unclosed-front-matter.md", "front matter", "YAML between two --- lines"),
        ("invalid-yaml.md", "front matter", "not valid YAML"),
        ("missing-section.md", "sections", "missing section 'Risks'"),
        ("sections-out-of-order.md", "sections", "must come in this order"),
        ("empty-section.md", "sections.Results", "section is empty"),
        ("text-before-sections.md", "sections", "text before the first ## section"),
        ("condition-without-injections.md", "sections.Treatment options", "'Injections'"),
    ],
)
def test_a_broken_page_fails_naming_its_file_and_field(fixture: str, field: str, says: str) -> None:
    with pytest.raises(KnowledgeError) as caught:
        _parse(f"broken/{fixture}")
    assert caught.value.file == f"fixtures/broken/{fixture}"
    assert caught.value.field == field
    assert says in str(caught.value)
    assert str(caught.value).startswith(f"fixtures/broken/{fixture}: {field}: ")


def test_a_section_title_given_twice_is_refused() -> None:
    text = (FIXTURES / "valid-test.md").read_text(encoding="utf-8") + "\n## Risks\n\nAgain.\n"
    with pytest.raises(KnowledgeError, match="'Risks' appears twice"):
        parse_page("fixtures/valid-test.md", text)


def test_an_empty_front_matter_is_refused_without_reading_any_file() -> None:
    with pytest.raises(KnowledgeError, match="must be a mapping"):
        parse_page("education/empty.md", "---\n---\n\n## What it is\n\nText.\n")


def test_slugs_are_lowercase_words_joined_by_hyphens() -> None:
    assert slug("How it is diagnosed") == "how-it-is-diagnosed"
    assert slug("Recovery and rehabilitation!") == "recovery-and-rehabilitation"
