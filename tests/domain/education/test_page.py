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
        ("missing-sources.md", "references", "Field required"),
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


_SPARE = (
    "  - key: spare-2020\n    authors: Someone A\n    year: 2020\n    title: Never cited\n"
    "    published_in: A journal\n    identifier: PMID:12345\n    kind: other\n"
)


def _referenced(change: tuple[str, str] | None = None) -> Entry:
    text = (FIXTURES / "valid-referenced.md").read_text(encoding="utf-8")
    if change:
        assert change[0] in text
        text = text.replace(*change)
    return parse_page("fixtures/valid-referenced.md", text)


def test_a_referenced_page_numbers_its_references_in_order_of_first_citation() -> None:
    entry = _referenced()
    assert entry.referenced
    assert [r.key for r in entry.references] == ["nice-ng59", "chou-2007"]
    why = next(s for s in entry.sections if s.title == "Why it is done")
    assert '<a href="#ref-nice-ng59" aria-label="source 1">1</a>' in why.html
    happens = next(s for s in entry.sections if s.title == "What happens")
    assert '>2</a>,<a href="#ref-nice-ng59"' in happens.html
    assert "@" not in entry.body_text


def test_a_referenced_page_shows_its_urgent_signs_apart_and_links_words_in_page() -> None:
    entry = _referenced()
    assert entry.urgent is not None and "emergency department" in entry.urgent.markdown
    assert "When to get help" not in [s.title for s in entry.body_sections]
    assert [w.id for w in entry.words] == ["disc"]
    assert '<a href="#word-disc">disc</a>' in entry.sections[0].html


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        (("[@chou-2007; @nice-ng59]", "[@nobody-2020]"), "sections", "resolves to no reference"),
        (("  - key: chou-2007", _SPARE + "  - key: chou-2007"), "references.1", "never cited"),
        (("## When to get help", "## Other help"), "sections", "'When to get help'"),
        (("glossary#disc", "glossary#no-such-word"), "sections", "no glossary word"),
        (("identifier: NICE NG59", "identifier: on the web"), "references.0.identifier", "match"),
        (("kind: guideline\n  - key", "kind: blog\n  - key"), "references.0.kind", "guideline"),
        (("references:", 'sources: ["A source line"]\nreferences:'), "", "not both"),
        (("reviewed_by:", "reviewer:"), "reviewed_by", "Field required"),
    ],
)
def test_a_broken_referenced_page_fails_naming_the_problem(
    change: tuple[str, str], field: str, says: str
) -> None:
    with pytest.raises(KnowledgeError) as caught:
        _referenced(change)
    assert caught.value.field == field
    assert says in str(caught.value)


def test_a_citation_on_a_page_without_references_resolves_to_nothing() -> None:
    text = (FIXTURES / "valid-test.md").read_text(encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"\[@x\] resolves to no reference"):
        parse_page("fixtures/valid-test.md", text.replace("To show", "To show [@x]"))
