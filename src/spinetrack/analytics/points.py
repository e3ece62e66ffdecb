"""Score points from a text table, checked as spinetrack.domain.outcomes.ScorePoint checks one: rows
with an unknown instrument, a fractional day or a score off the scale are set aside with a reason."""

import polars as pl

from spinetrack.analytics.text_columns import loose_number
from spinetrack.domain.instruments import instrument_ids
from spinetrack.domain.outcomes.points import score_range

POINT_COLUMNS = ("patient_id", "instrument", "days_after_surgery", "score")
_INT64_LIMIT = 2.0**63


def _scale_limits() -> tuple[pl.Expr, pl.Expr]:
    """Lowest and highest score of the row's instrument, gathered by its Enum code."""
    ranges = [score_range(i) for i in instrument_ids()]
    code = pl.col("instrument").to_physical()
    low = pl.lit(pl.Series([r[0] for r in ranges], dtype=pl.Float64)).gather(code)
    high = pl.lit(pl.Series([r[1] for r in ranges], dtype=pl.Float64)).gather(code)
    return low, high


PROBLEMS = (
    "no patient_id",
    "unknown instrument",
    "days_after_surgery is missing or not a whole number",
    "score is missing, not a number or off the instrument's scale",
)
"""Why a row is set aside; judged rows carry the position (a small integer is cheaper to build
for millions of rows than text), and ``rejected`` gives the words."""


def _problem() -> pl.Expr:
    days = pl.col("days_after_surgery")
    score = pl.col("score")
    low, high = _scale_limits()
    whole_day = days.is_finite() & (days == days.floor()) & (days.abs() < _INT64_LIMIT)
    no_id, unknown, bad_day, bad_score = (pl.lit(code, pl.UInt8) for code in range(4))
    # Blank: nothing left once the leading white space goes (cheaper than stripping both ends).
    blank = pl.col("patient_id").str.strip_chars_start() == ""
    return (
        pl.when(pl.col("patient_id").is_null() | blank)
        .then(no_id)
        .when(pl.col("instrument").is_null())
        .then(unknown)
        .when(days.is_null() | ~whole_day)
        .then(bad_day)
        .when(score.is_null() | ~(score.is_finite() & score.is_between(low, high)))
        .then(bad_score)
        .otherwise(None)
        .alias("problem")
    )


def _instrument_codes(names: pl.Series, known: pl.Enum) -> pl.Series:
    """``names`` as the ``known`` Enum, a name matched without surrounding spaces and case, null
    when unknown. The ids are lower case without spaces, so a name that is an id as it stands
    needs no cleaning: only the others are stripped and lowered (cleaning every name of a
    60M-row file cost several seconds of CPU; a clean file has none to clean)."""
    direct = names.cast(known, strict=False)
    missed = (direct.is_null() & names.is_not_null()).arg_true()
    if missed.len() == 0:
        return direct
    cleaned = names.gather(missed).str.strip_chars().str.to_lowercase().cast(known, strict=False)
    return direct.scatter(missed, cleaned)


def judged_points(text: pl.LazyFrame) -> pl.LazyFrame:
    """A lazy table with POINT_COLUMNS (text, or Float64 for the two numbers), typed and judged: ``row`` (0-based data row), the
    parsed columns (instrument as an Enum of the known ids, null when unknown) and ``problem``
    (null for a usable point, else a position in PROBLEMS)."""
    known = pl.Enum(instrument_ids())
    schema = text.collect_schema()

    def numeric(column: str) -> pl.Expr:
        # A column the reader already typed (see cli.csv_input.scan_table) is not text to parse.
        if schema[column] == pl.String:
            return loose_number(column)
        return pl.col(column).cast(pl.Float64)

    parsed = text.select(
        pl.col("patient_id"),
        pl.col("instrument").map_batches(
            lambda names: _instrument_codes(names, known), return_dtype=known, is_elementwise=True
        ),
        numeric("days_after_surgery"),
        numeric("score"),
    ).with_row_index("row")
    return parsed.with_columns(_problem())


def usable(judged: pl.LazyFrame) -> pl.LazyFrame:
    """The usable points of ``judged_points``: instrument Enum, days Int64, score Float64."""
    return judged.filter(pl.col("problem").is_null()).select(
        "patient_id",
        "instrument",
        pl.col("days_after_surgery").cast(pl.Int64),
        "score",
    )


def rejected(judged: pl.LazyFrame) -> pl.LazyFrame:
    """The rows of ``judged_points`` set aside: ``row``, ``problem`` (in words) and the row's
    patient_id."""
    words = pl.col("problem").replace_strict(dict(enumerate(PROBLEMS)), return_dtype=pl.String)
    return judged.filter(pl.col("problem").is_not_null()).select(
        "row", words.alias("problem"), "patient_id"
    )


def checked_points(text: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split a text table with POINT_COLUMNS into usable points (typed: instrument Enum, days
    Int64, score Float64; input order kept) and the rejected rows (``row``: 0-based data row,
    ``problem``)."""
    judged = judged_points(text.lazy()).collect().lazy()
    return usable(judged).collect(), rejected(judged).select("row", "problem").collect()
