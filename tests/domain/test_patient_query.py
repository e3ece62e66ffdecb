"""Reading the search box: a birth date in the clinic's format or ISO, an MRN, words of a name."""

from datetime import date

import pytest

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.patient_query import fold, name_words, parse_query


def test_accents_and_capitals_fold_away() -> None:
    assert fold("José NÚÑEZ") == "jose nunez"
    assert fold("Øster Straße") == "oster strasse"


def test_names_split_where_letters_stop() -> None:
    assert name_words("García-López, José") == ("garcía", "lópez", "josé")
    assert name_words("O'Brien") == ("o", "brien")


def test_a_date_in_either_format_is_a_birth_date() -> None:
    assert parse_query("17 May 1961", "%d %b %Y").birth_date == date(1961, 5, 17)
    assert parse_query("1961-05-17", "%d %b %Y").birth_date == date(1961, 5, 17)
    assert parse_query("17/05/1961", "%d/%m/%Y").birth_date == date(1961, 5, 17)
    assert parse_query("17/05/1961", "%d %b %Y").birth_date is None


def test_one_word_is_both_an_mrn_and_a_name_and_digits_only_an_mrn() -> None:
    query = parse_query("  MRN0000009 ", "%d %b %Y")
    assert (query.mrn_prefix, query.name_words) == ("MRN0000009", ("mrn0000009",))
    digits = parse_query("004512", "%d %b %Y")
    assert (digits.mrn_prefix, digits.name_words) == ("004512", ())
    words = parse_query("jose  nunez", "%d %b %Y")
    assert (words.text, words.mrn_prefix, words.name_words) == (
        "jose nunez",
        None,
        ("jose", "nunez"),
    )


@pytest.mark.parametrize("text", ["", "a", "x" * 101, "one two three four five"])
def test_text_too_short_or_long_is_refused_naming_the_box(text: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_query(text, "%d %b %Y")
    assert refused.value.field == "q"
