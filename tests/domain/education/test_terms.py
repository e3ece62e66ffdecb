"""Glossary words: a page links a technical word where it first uses it, and the link resolves."""

from spinetrack.domain.education.terms import linked_terms, terms, unexplained


def test_every_word_has_a_definition_and_its_own_forms() -> None:
    found = terms()
    assert len(found) >= 30
    for term in found.values():
        assert term.forms == [form.lower() for form in term.forms]
        assert term.definition.endswith(".")


def test_linked_words_are_listed_in_order_of_first_link() -> None:
    text = "A [disc](glossary#disc) and [opioids](glossary#opioid) and a [disc](glossary#disc)."
    assert linked_terms(text) == ["disc", "opioid"]


def test_a_word_used_before_it_is_linked_is_unexplained() -> None:
    text = "Facet joints hurt.\n\nThe [facet joints](glossary#facet-joint) are small joints."
    assert unexplained(text, "some-page") == ["facet joints"]


def test_a_word_linked_at_first_use_or_linked_to_its_page_is_explained() -> None:
    assert unexplained("The [facet joints](glossary#facet-joint) hurt.", "some-page") == []
    assert unexplained("See [facet joint pain](facet-joint-pain).", "some-page") == []


def test_the_page_about_a_word_need_not_link_it() -> None:
    assert unexplained("Facet joints hurt.", "facet-joint-pain") == []


def test_a_word_in_a_heading_is_not_its_first_use() -> None:
    text = "### Are facet joints the cause?\n\nThe [facet joints](glossary#facet-joint) may hurt."
    assert unexplained(text, "some-page") == []


def test_a_word_first_met_in_a_link_to_another_page_is_explained_by_that_page() -> None:
    assert unexplained("See [artificial disc replacement](artificial-disc-replacement).", "x") == []
    assert unexplained("See [discs](https://example.org). A disc.", "x") == ["disc"]
