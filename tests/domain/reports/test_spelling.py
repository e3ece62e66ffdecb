"""Misspelt clinical words are read as the word meant, quoted as written, and real words stay."""

import pytest

from spinetrack.domain.reports import find_in_reports
from spinetrack.domain.reports.spelling import correct, correction


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("incontinance", "incontinence"),
        ("psuedarthrosis", "pseudarthrosis"),
        ("radiculapathy", "radiculopathy"),
        ("catheteriesd", "catheterised"),  # a word only the concepts' word groups use
    ],
)
def test_a_misspelt_lexicon_word_is_read_as_the_word_meant(written: str, meant: str) -> None:
    assert correction(written) == meant


@pytest.mark.parametrize(
    "word",
    ["impression", "injection", "turning", "afebrile", "apyrexial", "decompressed", "fusions"],
)
def test_real_words_and_other_forms_of_a_word_are_left_alone(word: str) -> None:
    assert correction(word) is None


def test_a_finding_from_a_misspelt_word_quotes_the_report_as_written() -> None:
    report = "Episode of urinary incontinance overnight. CT: psuedarthrosis at L4/5."
    found = {m.id: m for m in find_in_reports([report])}
    assert found["bladder_dysfunction"].text == "urinary incontinance"
    assert found["ct_no_bridging_bone"].text == "psuedarthrosis"
    mention = found["ct_no_bridging_bone"]
    assert report[mention.start : mention.end] == "psuedarthrosis"


def test_text_without_misspellings_is_passed_through_unchanged() -> None:
    corrected = correct("No bridging bone at L4-5.")
    assert corrected.text == "No bridging bone at L4-5." and corrected.origin == ()


def test_a_doubled_or_dropped_letter_inside_a_word_is_a_typo_but_a_new_ending_is_not() -> None:
    assert correction("stenossis") == "stenosis"
    assert correction("dischage") == "discharge"
    assert correction("fusions") is None
