"""``patient_numbers`` gives one code per distinct id and distinct codes to distinct ids, whether
it numbers the ids by value (digits only, one width or no leading zeros) or by their dense rank."""

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from spinetrack.analytics.status import patient_numbers

# Ids that share a value with another ("7", "07", "+7", "-0", "0", "00") or are not numbers.
TEXTS = ["7", "07", "007", "+7", "-7", "0", "00", "-0", "10", "010", "99", "p1", " 7", "7 "]


def _one_code_per_id(ids: pl.Series) -> None:
    codes = patient_numbers(ids)
    assert codes.dtype == pl.UInt32
    assert codes.null_count() == 0
    pairs = pl.DataFrame({"id": ids, "code": codes}).unique()
    assert pairs["id"].n_unique() == pairs.height == pairs["code"].n_unique()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TEXTS), min_size=1, max_size=30))
def test_ids_that_share_a_value_keep_their_own_codes(texts: list[str]) -> None:
    _one_code_per_id(pl.Series("patient_id", texts, dtype=pl.String))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 10**18), min_size=1, max_size=30), st.integers(1, 20))
def test_digit_ids_of_one_width_or_without_leading_zeros(values: list[int], width: int) -> None:
    _one_code_per_id(pl.Series("patient_id", [str(v) for v in values], dtype=pl.String))
    padded = [str(v).zfill(width) for v in values]
    _one_code_per_id(pl.Series("patient_id", padded, dtype=pl.String))


def test_integer_ids_and_ids_spread_wider_than_the_codes() -> None:
    _one_code_per_id(pl.Series("patient_id", [5, -3, 5, 2**40, 0], dtype=pl.Int64))
    _one_code_per_id(pl.Series("patient_id", ["1", str(10**17), "1", "42"], dtype=pl.String))


def test_close_numeric_ids_are_numbered_by_value_in_their_order() -> None:
    ids = pl.Series("patient_id", ["00000012", "00000003", "00000012", "00000007"])
    assert patient_numbers(ids).to_list() == [10, 1, 10, 5]
