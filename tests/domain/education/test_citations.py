"""Citations: ``[@key]`` in the text becomes a numbered link, and uncited numbers and claims are found."""

import pytest

from spinetrack.domain.education.citations import (
    Reference,
    cited_keys,
    markers_to_html,
    strip_citations,
    to_markers,
    uncited,
)
from spinetrack.domain.education.markdown import render


def test_keys_are_listed_in_order_of_first_citation_once_each() -> None:
    text = "One [@b]. Two [@a; @b]. Three [@c]."
    assert cited_keys(text) == ["b", "a", "c"]


def test_a_citation_renders_as_numbered_links_to_the_reference_list() -> None:
    numbers = {"b": 1, "a": 2}
    html = markers_to_html(render(to_markers("It works [@a; @b].", numbers)), {1: "b", 2: "a"})
    assert '<sup class="cite">[<a href="#ref-a" aria-label="source 2">2</a>,' in html
    assert '<a href="#ref-b" aria-label="source 1">1</a>]</sup>' in html
    assert "@" not in html


def test_stripping_citations_leaves_the_words() -> None:
    assert strip_citations("It works [@a; @b].") == "It works ."


@pytest.mark.parametrize(
    "paragraph",
    [
        "About 1 in 5 people have it.",
        "It worked for 40% of people.",
        "It worked for forty per cent of people.",
        "One in five people have it.",
        "Most people get better.",
        "About half still had trouble swallowing.",
        "Pain eased within 6 weeks.",
    ],
)
def test_a_number_without_a_citation_is_found(paragraph: str) -> None:
    assert [u.what for u in uncited(paragraph)] == ["number"]


@pytest.mark.parametrize(
    "paragraph",
    [
        "This treatment works well.",
        "It reduces pain.",
        "Smoking raises the risk of the bones not joining.",
        "Side effects include sleepiness.",
        "Rarely, it causes harm to a nerve.",
    ],
)
def test_a_claim_of_benefit_or_harm_without_a_citation_is_found(paragraph: str) -> None:
    assert [u.what for u in uncited(paragraph)] == ["claim"]


def test_a_citation_in_the_same_paragraph_covers_its_numbers_and_claims() -> None:
    text = "About 1 in 5 people have it. It reduces pain for most [@a]."
    assert uncited(text) == []


def test_a_citation_in_another_paragraph_does_not_cover_this_one() -> None:
    text = "Cited claim: it helps [@a].\n\nUncited: it helps a lot."
    assert [u.text for u in uncited(text)] == ["Uncited: it helps a lot."]


def test_a_list_is_covered_by_the_citation_of_the_paragraph_introducing_it() -> None:
    text = "Possible problems [@a]:\n\n- A risk of infection.\n- 1 in 100 get a headache.\n"
    assert uncited(text) == []
    text = "Possible problems:\n\n- A risk of infection.\n"
    assert [u.what for u in uncited(text)] == ["claim"]


def test_names_with_digits_and_plain_words_need_no_citation() -> None:
    text = (
        "Persistent spinal pain syndrome type 2 can follow surgery at L4-L5 or C5-C6.\n\n"
        "In the UK call 999.\n\nYour team will talk with you.\n\n## Does 1 in 5 apply to me?\n"
    )
    assert uncited(text) == []


@pytest.mark.parametrize(
    ("identifier", "link"),
    [
        ("doi:10.1002/14651858.CD014789.pub2", "https://doi.org/10.1002/14651858.CD014789.pub2"),
        ("PMID:23227324", "https://pubmed.ncbi.nlm.nih.gov/23227324/"),
        ("NICE NG59", "https://www.nice.org.uk/guidance/ng59"),
        ("FDA Drug Safety Communication 2014-04-23", None),
    ],
)
def test_an_identifier_opens_where_a_browser_can_follow_it(
    identifier: str, link: str | None
) -> None:
    reference = Reference(
        key="k",
        authors="Someone A",
        year=2020,
        title="A title",
        published_in="A journal",
        identifier=identifier,
        kind="other",
    )
    assert reference.link() == link


def test_an_identifier_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError, match="identifier"):
        Reference(
            key="k",
            authors="Someone A",
            year=2020,
            title="A title",
            published_in="A journal",
            identifier="see the website",
            kind="other",
        )


def test_link_targets_are_not_read_as_claims_or_numbers() -> None:
    assert uncited("See [pain medicines](pain-relief-medicines) and [page](page-2).") == []
