"""Vectorised patient status (no_baseline, too_early, succeeding, relapsed, failing) for a whole
cohort, with the rules of spinetrack.domain.outcomes.classify_patient, in the contract's order."""

import polars as pl

from spinetrack.analytics.exact import hundredths, hundredths_value
from spinetrack.analytics.outcomes import (
    IMPROVED,
    compared,
    counted,
    instrument_name,
)
from spinetrack.domain.instruments import instrument_ids
from spinetrack.domain.outcomes import schedule
from spinetrack.domain.outcomes.change import change_rules
from spinetrack.domain.outcomes.rules import pain_instruments, status_rules
from spinetrack.domain.outcomes.windows import rank

PATIENT = "patient_id"
OUTCOME_COLUMNS = (
    "patient_id",
    "status",
    "latest_timepoint",
    "disability_instrument",
    "disability_improvement",
    "pain_improvement",
)
LOSING_GROUND = "losing_ground"
"""The column ``classify_unsorted`` adds when asked: the signal of domain.outcomes.losing_ground."""
_NUMERIC_ID = r"^[+-]?[0-9]{1,18}$"
_PID_SPAN = 2**32 - 1


def _codes(names: tuple[str, ...]) -> list[int]:
    return [instrument_ids().index(name) for name in names]


def _preference() -> pl.Expr:
    """Position of a row's instrument among the disability instruments (null for the others)."""
    by_code: list[int | None] = [None] * len(instrument_ids())
    for position, code in enumerate(_codes(status_rules().disability_instruments)):
        by_code[code] = position
    return pl.lit(pl.Series(by_code, dtype=pl.Int64)).gather(pl.col("inst"))


def _latest(rows: pl.LazyFrame) -> pl.LazyFrame:
    """pid -> the deciding disability instrument and what its latest counted row says.

    ``rows`` are ``compared`` rows, sorted by pair then rank: the deciding instrument's rows are
    one run of the pair, and its last row is the latest time point. Counting the improved rows
    before it with a running sum replaces a group-by per patient."""
    preferred = _codes(status_rules().disability_instruments)
    last_of_pair = pl.col("pair") != pl.col("pair").shift(-1, fill_value=-1)
    improved = (pl.col("change") == IMPROVED).fill_null(False).cast(pl.UInt32)
    before = improved.cum_sum() - improved
    run_start = pl.when(pl.col("pair") != pl.col("pair").shift(1, fill_value=-1)).then(before)
    # One row per patient and disability instrument is left before the per-patient minimum.
    candidates = rows.with_columns(
        _preference().alias("preference"),
        (before > run_start.forward_fill()).alias("improved_before"),
    ).filter(last_of_pair & pl.col("preference").is_not_null())
    deciding = pl.col("preference") == pl.col("preference").min().over("pid")
    return candidates.filter(deciding).select(
        "pid",
        pl.col("preference")
        .replace_strict(dict(enumerate(preferred)), return_dtype=pl.Int64)
        .alias("disability"),
        pl.col("rank").alias("latest"),
        ((pl.col("rank") == 0) | pl.col("base_units").is_not_null()).alias("has_baseline"),
        pl.col("improvement_h").alias("disability_h"),
        pl.col("change").alias("last_change"),
        pl.col("within_pass").alias("last_pass"),
        "improved_before",
    )


def _pain(rows: pl.LazyFrame, latest: pl.LazyFrame) -> pl.LazyFrame:
    # Highest baseline first, then the first pain instrument by name.
    pain = rows.filter(
        pl.col("inst").is_in(_codes(pain_instruments())) & pl.col("base_units").is_not_null()
    )
    at_latest = pain.join(latest.select("pid", "latest"), on="pid").filter(
        pl.col("rank") == pl.col("latest")
    )
    ordered = at_latest.sort(
        ["pid", "base_units", instrument_name()], descending=[False, True, False]
    )
    return ordered.filter(pl.col("pid").is_first_distinct()).select(
        "pid", pl.col("improvement_h").alias("pain_h")
    )


def _losing_ground(rows: pl.LazyFrame, latest: pl.LazyFrame) -> pl.LazyFrame:
    """pid -> whether the deciding disability instrument's latest follow-up is worse than its best
    earlier follow-up by at least the instrument's MCID, as domain.outcomes.losing_ground judges
    (only follow-ups with a baseline count there, so rows without ``base_units`` are left out;
    a patient with no such latest or earlier follow-up is not losing ground)."""
    needed = {
        code: change_rules(name).mcid.points
        for code, name in zip(
            _codes(status_rules().disability_instruments),
            status_rules().disability_instruments,
            strict=True,
        )
    }
    mine = rows.join(latest.select("pid", "disability", "latest"), on="pid").filter(
        (pl.col("inst").cast(pl.Int64) == pl.col("disability")) & pl.col("base_units").is_not_null()
    )
    best = (
        mine.filter(pl.col("rank") < pl.col("latest"))
        .group_by("pid")
        .agg(pl.col("units").min().alias("best_units"))
    )
    last = mine.filter(pl.col("rank") == pl.col("latest")).select(
        "pid", "disability", pl.col("units").alias("last_units")
    )
    threshold = pl.col("disability").replace_strict(needed, return_dtype=pl.Int64)
    worse = hundredths(pl.col("last_units") - pl.col("best_units"))
    return last.join(best, on="pid").select("pid", (worse >= threshold).alias(LOSING_GROUND))


def _status() -> pl.Expr:
    judged_from = rank(status_rules().judged_from.timepoint)
    return (
        pl.when(pl.col("disability").is_null() | ~pl.col("has_baseline"))
        .then(pl.lit("no_baseline"))
        .when(pl.col("latest") < judged_from)
        .then(pl.lit("too_early"))
        .when((pl.col("last_change") == IMPROVED) | pl.col("last_pass").fill_null(False))
        .then(pl.lit("succeeding"))
        .when(pl.col("improved_before").fill_null(False))
        .then(pl.lit("relapsed"))
        .otherwise(pl.lit("failing"))
    )


_VALUE = "numeric_order"


def _values_of(ids: pl.Series) -> pl.Series | None:
    """The ids as Int64 when no two of them share a value: integer ids, or text ids of digits
    alone that are all of one width or have no leading zero (then an id's text follows from its
    value); else None."""
    if ids.dtype.is_integer():
        values = ids.cast(pl.Int64, strict=False)
        return values if values.null_count() == 0 else None
    if ids.dtype != pl.String:
        return None
    values = ids.cast(pl.Int64, strict=False)
    if values.null_count() or (ids.str.starts_with("+") | ids.str.starts_with("-")).any():
        return None
    lengths = ids.str.len_bytes()
    if lengths.min() != lengths.max() and (ids.str.starts_with("0") & (lengths > 1)).any():
        return None
    return values


def patient_numbers(ids: pl.Series) -> pl.Series:
    """``pid``, a UInt32 code per distinct id (one id, one code), for the packed keys of
    analytics.outcomes.counted. Ids whose values tell them apart (see ``_values_of``) and span
    less than 2**32 are numbered by value, which costs a parse instead of the sort of their text
    that a dense rank needs (a fifth of classifying a part at 10M patients); other ids get their
    dense rank, as analytics.outcomes.numbered gives."""
    values = _values_of(ids) if ids.len() else None
    if values is not None:
        low, high = values.min(), values.max()
        if isinstance(low, int) and isinstance(high, int) and high - low < _PID_SPAN:
            return (values - low + 1).cast(pl.UInt32).alias("pid")
    return ids.rank("dense").cast(pl.UInt32).alias("pid")


def numeric_ids(ids: pl.Series) -> bool:
    """Whether every patient_id is a whole number, so the ids are sorted as numbers."""
    return ids.dtype == pl.String and bool(ids.str.contains(_NUMERIC_ID).all())


def in_patient_order(table: pl.DataFrame, numeric: bool) -> pl.DataFrame:
    """``table`` sorted by patient_id: by the id's value then its text when ``numeric`` (see
    ``numeric_ids``), else by the text alone.

    Numeric ids are sorted by value alone first, and by value and text only when two ids have
    the same value ("7" and "07"): a sort on one integer column is about half the CPU of one on
    the integer and the text."""
    if not numeric:
        return table.sort(PATIENT)
    keyed = table.with_columns(pl.col(PATIENT).cast(pl.Int64).alias(_VALUE))
    ordered = keyed.sort(_VALUE)
    if (ordered[_VALUE].diff() == 0).any():
        ordered = keyed.sort(_VALUE, PATIENT)
    return ordered.drop(_VALUE)


def sort_patients(table: pl.DataFrame) -> pl.DataFrame:
    """Order rows by patient_id: numerically when every id is a whole number, else as text."""
    return in_patient_order(table, numeric_ids(table[PATIENT]))


def classify_points(held: list[pl.DataFrame], patients: pl.Series | None = None) -> pl.DataFrame:
    """``classify_table`` for a caller that hands its points over: ``held`` holds the checked
    points as its only item and is emptied at once, so a caller keeping no other reference lets
    each stage's input go as soon as the next stage is built (at 10M patients the points and the
    counted rows are each gigabytes; holding all of them at once would double the peak)."""
    return sort_patients(classify_unsorted(held, patients))


def classify_unsorted(
    held: list[pl.DataFrame], patients: pl.Series | None = None, *, with_losing_ground: bool = False
) -> pl.DataFrame:
    """``classify_points`` without the final sort, for a caller that orders the rows itself (the
    partitioned path sorts each part and merges them). ``with_losing_ground`` adds the boolean
    column LOSING_GROUND (the stored outcome row carries it beside the status)."""
    # Each stage is materialised once: the later ones read it (a lazy plan would recompute it).
    keyed = held.pop()
    keyed = keyed.with_columns(patient_numbers(keyed[PATIENT]))
    # Each pid's id from its first row: no second sort of the ids' text.
    names = keyed.lazy().filter(pl.col("pid").is_first_distinct()).select("pid", PATIENT).collect()
    codes = keyed.drop(PATIENT)
    del keyed
    rows = compared(counted(codes.lazy()).drop("score")).collect()
    del codes
    latest = _latest(rows.lazy()).collect()
    pain = _pain(rows.lazy(), latest.lazy()).collect()
    losing = _losing_ground(rows.lazy(), latest.lazy()).collect() if with_losing_ground else None
    del rows
    timepoints = dict(enumerate(t.id for t in schedule()))
    judged = pl.col("status") != "no_baseline"
    result = (
        names.lazy()
        .join(latest.lazy(), on="pid", how="left")
        .join(pain.lazy(), on="pid", how="left")
        .with_columns(_status().alias("status"))
        .select(
            PATIENT,
            "status",
            pl.col("latest")
            .replace_strict(timepoints, default=None, return_dtype=pl.String)
            .alias("latest_timepoint"),
            instrument_name("disability").alias("disability_instrument"),
            hundredths_value(pl.col("disability_h")).alias("disability_improvement"),
            hundredths_value(pl.when(judged).then(pl.col("pain_h"))).alias("pain_improvement"),
            "pid",
        )
        .collect()
    )
    if losing is not None:
        result = result.join(losing, on="pid", how="left").with_columns(
            pl.col(LOSING_GROUND).fill_null(False)
        )
    result = result.drop("pid")
    if patients is not None and patients.len():
        others = pl.DataFrame({PATIENT: patients.unique()}).join(result, on=PATIENT, how="anti")
        filler = others.with_columns(
            pl.lit("no_baseline").alias("status"),
            *(pl.lit(None, result.schema[c]).alias(c) for c in OUTCOME_COLUMNS[2:]),
            *([pl.lit(False).alias(LOSING_GROUND)] if losing is not None else []),
        )
        result = pl.concat([result, filler.select(result.columns).cast(result.schema)])
    return result


def classify_table(points: pl.DataFrame, patients: pl.Series | None = None) -> pl.DataFrame:
    """One row per patient (every id in ``points``, plus any other in ``patients``), sorted by
    patient_id, with the OUTCOME_COLUMNS. ``points`` are checked points (see analytics.points)."""
    return classify_points([points], patients)
