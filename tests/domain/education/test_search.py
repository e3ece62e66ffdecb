"""Searching the library: every word must match, titles and other names weigh most, words are prefixes."""

from pathlib import Path

import pytest

from spinetrack.domain.education import search
from spinetrack.domain.education.page import Entry, parse_page
from spinetrack.domain.education.search import SearchIndex, stem

FIXTURES = Path(__file__).with_name("fixtures")


def _ids(query: str) -> list[str]:
    return [e.id for e in search(query)]


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("pseudarthrosis", "failed-fusion"),
        ("non-union", "failed-fusion"),
        ("scar tissue", "epidural-fibrosis"),
        ("FBSS", "failed-back-syndrome"),
        ("post-laminectomy syndrome", "failed-back-syndrome"),
        ("PSPS", "persistent-spinal-pain-syndrome"),
        ("failed neck syndrome", "failed-neck-syndrome"),
        ("sagittal imbalance", "flat-back"),
        ("dural tear", "csf-leak"),
        ("SI joint", "sacroiliac-joint-pain"),
        ("gabapentin", "nerve-pain-medicines"),
        ("ibuprofen", "pain-relief-medicines"),
        ("ACDF", "spinal-fusion"),
        ("epidural steroid injection", "spinal-injections"),
        ("physiotherapy", "physical-therapy"),
        ("CBT", "pain-psychology"),
        ("acupuncture", "complementary-therapies"),
        ("discitis", "infection-after-spine-surgery"),
        ("loose screws", "implant-problems"),
        ("bending x-rays", "spine-x-rays"),
        ("nerve conduction", "emg"),
        ("medial branch block", "diagnostic-blocks"),
        ("CRP", "blood-tests-for-infection"),
        ("Dynesys", "dynamic-stabilization"),
        ("disc arthroplasty", "artificial-disc-replacement"),
    ],
)
def test_other_names_for_a_topic_find_its_entry_first(query: str, first: str) -> None:
    assert _ids(query)[0] == first


def test_a_query_that_is_exactly_an_entrys_name_puts_that_entry_first() -> None:
    assert _ids("fusion")[:2] == ["spinal-fusion", "failed-fusion"]


def test_a_word_finds_the_words_it_begins() -> None:
    assert _ids("stenos")[0] == "spinal-stenosis"


def test_a_plural_query_finds_the_singular() -> None:
    assert _ids("injections")[0] == "spinal-injections"
    assert "mri" in _ids("MRI scans")


def test_case_and_punctuation_do_not_matter() -> None:
    assert _ids("Scar-Tissue!") == _ids("scar tissue")


def test_every_word_must_appear_somewhere() -> None:
    assert "failed-fusion" in _ids("fusion")
    assert _ids("fusion zebra") == []


def test_a_word_in_the_body_alone_still_finds_the_entry() -> None:
    assert "arachnoiditis" in _ids("myelography")


@pytest.mark.parametrize("query", ["", "   ", "what is the", "?!"])
def test_a_query_without_real_words_finds_nothing(query: str) -> None:
    assert search(query) == []


def test_a_very_long_query_is_cut_rather_than_refused() -> None:
    assert search("fusion " * 200)


def _page(entry_id: str, title: str, summary: str, body: str) -> Entry:
    text = (FIXTURES / "valid-test.md").read_text(encoding="utf-8")
    text = text.replace("id: valid-test", f"id: {entry_id}").replace(
        "title: Valid test page", f"title: {title}"
    )
    text = text.replace(
        "summary: A small page that satisfies every rule, used to build the broken ones.",
        f"summary: {summary}",
    )
    text = text.replace("It loads.", body)
    return parse_page(f"education/{entry_id}.md", text)


def test_a_match_in_the_title_outranks_one_in_the_summary_which_outranks_the_body() -> None:
    pages = [
        _page("in-body", "Alpha page", "A summary without the word we want.", "Kyphoplasty here."),
        _page("in-summary", "Beta page", "A summary that mentions kyphoplasty once.", "Nothing."),
        _page("in-title", "Kyphoplasty", "A summary without the word we want.", "Nothing."),
    ]
    assert [e.id for e in SearchIndex(pages).search("kyphoplasty")] == [
        "in-title",
        "in-summary",
        "in-body",
    ]


def test_equal_scores_are_ordered_by_title() -> None:
    pages = [
        _page("second", "Zeta page", "A summary that mentions kyphoplasty once.", "Nothing."),
        _page("first", "Eta page", "A summary that mentions kyphoplasty once.", "Nothing."),
    ]
    assert [e.id for e in SearchIndex(pages).search("kyphoplasty")] == ["first", "second"]


@pytest.mark.parametrize(
    ("plural", "singular"),
    [
        ("stenoses", "stenosis"),
        ("radiculopathies", "radiculopathy"),
        ("pseudarthroses", "pseudarthrosis"),
        ("herniations", "herniation"),
    ],
)
def test_other_forms_of_a_word_find_the_pages_that_use_it(plural: str, singular: str) -> None:
    found = search(plural)
    assert found, f"{plural!r} finds nothing"
    assert found == search(singular)
    first = found[0]
    text = " ".join([first.title, *first.meta.also_called, first.meta.summary, first.body_text])
    assert singular in text.lower()


def test_stems_are_snowball_english() -> None:
    assert [stem(w) for w in ("stenoses", "injections", "injection")] == [
        "stenos",
        "inject",
        "inject",
    ]
