"""Classifying in parts (cli.outcome_parts): whatever the number of parts, the statuses are the
ones the whole file classified at once gives, row for row and in the contract's order."""

from pathlib import Path
from unittest.mock import patch

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from spinetrack.analytics.points import judged_points
from spinetrack.analytics.status import OUTCOME_COLUMNS, classify_table
from spinetrack.cli import outcome_parts
from spinetrack.cli.outcome_parts import classify_parts, temporary_folder
from spinetrack.domain.instruments import instrument_ids

TEXT = dict.fromkeys(["patient_id", "instrument", "days_after_surgery", "score"], pl.String)
# Numbers that tie as numbers ("7", "07", "+7"), ids that are not numbers, and a blank id.
IDS = ["1", "2", "7", "07", "+7", "-3", "10", "9", "100", "p1", "P2", "b", " "]
NUMBER_IDS = [i for i in IDS if i.strip().lstrip("+-").isdigit()]


@st.composite
def text_rows(draw: st.DrawFn, ids: list[str]) -> tuple[str, str, str, str]:
    patient = draw(st.sampled_from(ids))
    instrument = draw(st.sampled_from([*instrument_ids(), "eq5d"]))
    day = draw(st.sampled_from(["-90", "-10", "0", "40", "42", "44", "91", "365", "730", "1.5"]))
    score = draw(st.sampled_from(["0", "3", "7", "20.5", "41.15", "55", "80", "101", ""]))
    return patient, instrument, day, score


def _in_parts(
    text: pl.DataFrame, parts: int, bucket_rows: int = 3
) -> tuple[pl.DataFrame, int, list[int]]:
    """Classified in ``parts``, the statuses put in order ``bucket_rows`` patients at a time."""
    judged = judged_points(text.lazy())
    with patch.object(outcome_parts, "BUCKET_ROWS", bucket_rows), temporary_folder() as scratch:
        result = classify_parts(judged, parts, Path(scratch), lambda _: None)
        statuses = pl.concat(list(result.statuses))
    return statuses, result.rejected_rows, result.first_rejected["row"].to_list()


def _whole(text: pl.DataFrame) -> tuple[pl.DataFrame, int, list[int]]:
    judged = judged_points(text.lazy()).collect()
    usable = judged.filter(pl.col("problem").is_null()).select(
        "patient_id", "instrument", pl.col("days_after_surgery").cast(pl.Int64), "score"
    )
    rejected = judged.filter(pl.col("problem").is_not_null())
    ids = rejected["patient_id"]
    others = ids.filter(ids.is_not_null() & (ids.str.strip_chars() != ""))
    return (
        classify_table(usable, others),
        rejected.height,
        rejected["row"].head(5).to_list(),
    )


@settings(max_examples=60, deadline=None)
@given(
    st.one_of(st.just(IDS), st.just(NUMBER_IDS)).flatmap(
        lambda ids: st.lists(text_rows(ids), max_size=50)
    ),
    st.integers(2, 6),
    st.integers(1, 8),
)
def test_any_number_of_parts_gives_the_whole_files_statuses(
    rows: list[tuple[str, str, str, str]], parts: int, bucket_rows: int
) -> None:
    text = pl.DataFrame(rows, schema=TEXT, orient="row")
    statuses, set_aside, first = _in_parts(text, parts, bucket_rows)
    whole, whole_set_aside, whole_first = _whole(text)
    assert statuses.select(OUTCOME_COLUMNS).equals(whole.select(OUTCOME_COLUMNS))
    assert (set_aside, first) == (whole_set_aside, whole_first)


def test_numeric_ids_that_tie_as_numbers_keep_their_order_across_parts() -> None:
    # "7", "07" and "+7" are the same number: they are ordered by their text, whichever part
    # each landed in and however the ids are cut into ranges; a part of only numbers is
    # re-sorted as text when another holds "p1".
    ids = ["7", "07", "+7", "10", "9", "-3", "100", "70", "007"]
    rows = [(i, "odi", "-1", "50") for i in ids]
    numeric, _, _ = _in_parts(pl.DataFrame(rows, schema=TEXT, orient="row"), 4)
    assert numeric["patient_id"].to_list() == ["-3", "+7", "007", "07", "7", "9", "10", "70", "100"]
    texts, _, _ = _in_parts(
        pl.DataFrame([*rows, ("p1", "odi", "-1", "50")], schema=TEXT, orient="row"), 4
    )
    assert texts["patient_id"].to_list() == sorted([*ids, "p1"])
