"""Vectorised outcome changes for whole cohorts: the same windows, selection and change tests as
spinetrack.domain.outcomes, computed for every patient at once on integer codes (for speed)."""

import polars as pl

from spinetrack.analytics.exact import half_up, hundredths, hundredths_value, to_units
from spinetrack.domain.instruments import instrument_ids
from spinetrack.domain.instruments.rounding import UNITS_PER_ONE
from spinetrack.domain.outcomes import schedule
from spinetrack.domain.outcomes.change import Threshold, change_rules


def instruments() -> pl.Enum:
    """Instrument ids as a polars Enum: the physical code is the registry position."""
    return pl.Enum(instrument_ids())


def instrument_code(column: str = "instrument") -> pl.Expr:
    """Registry position of an instrument id (the codes used in place of the names)."""
    return pl.col(column).cast(instruments()).to_physical()


def instrument_name(column: str = "inst") -> pl.Expr:
    return pl.col(column).replace_strict(dict(enumerate(instrument_ids())), return_dtype=pl.String)


def _per_instrument(values: dict[str, int | None]) -> pl.Expr:
    by_code = {code: values[name] for code, name in enumerate(instrument_ids())}
    return pl.col("inst").replace_strict(by_code, default=None, return_dtype=pl.Int64)


def patient_names(points: pl.LazyFrame) -> pl.LazyFrame:
    """patient_id <-> pid, the dense rank of the id (as ``coded`` numbers them)."""
    ids = points.select(pl.col("patient_id").unique().sort())
    return ids.with_row_index("pid", offset=1)


def coded(points: pl.LazyFrame) -> pl.LazyFrame:
    """Checked points with integer patient (pid) and instrument (inst) codes and input order."""
    return points.select(
        pl.col("patient_id").rank("dense").cast(pl.UInt32).alias("pid"),
        instrument_code().alias("inst"),
        pl.col("days_after_surgery").alias("days"),
        "score",
    )


def _window_rank() -> tuple[pl.Expr, pl.Expr]:
    position: pl.Expr = pl.lit(None, pl.Int8)
    nominal: pl.Expr = pl.lit(None, pl.Int64)
    for index, timepoint in reversed(list(enumerate(schedule()))):
        inside = pl.col("days").is_between(timepoint.start, timepoint.end)
        position = pl.when(inside).then(pl.lit(index, pl.Int8)).otherwise(position)
        nominal = pl.when(inside).then(pl.lit(timepoint.nominal, pl.Int64)).otherwise(nominal)
    return position, nominal


def counted(points: pl.LazyFrame) -> pl.LazyFrame:
    """Per patient, instrument and time point (``rank`` = its position), the response that counts:
    closest to the nominal day, then the earlier day, then the first given. ``pair`` codes the
    patient and instrument together, ``slot`` adds the time point."""
    position, nominal = _window_rank()
    slots, kinds = len(schedule()), len(instrument_ids())
    pair = pl.col("pid").cast(pl.Int64) * kinds + pl.col("inst").cast(pl.Int64)
    # Only the sort keys and the score go through the sort (memory); the rest is in the slot.
    placed = (
        coded(points)
        .with_columns(position.alias("rank"), nominal.alias("nominal"))
        .filter(pl.col("rank").is_not_null())
        .select(
            (pair * slots + pl.col("rank")).alias("slot"),
            (pl.col("days") - pl.col("nominal")).abs().cast(pl.Int32).alias("distance"),
            pl.col("days").cast(pl.Int32),
            "score",
        )
    )
    ordered = placed.sort(["slot", "distance", "days"], maintain_order=True)
    first = ordered.filter(pl.col("slot").is_first_distinct()).select("slot", "score")
    return first.select(
        (pl.col("slot") // (slots * kinds)).cast(pl.UInt32).alias("pid"),
        (pl.col("slot") // slots % kinds).alias("inst"),
        (pl.col("slot") // slots).alias("pair"),
        (pl.col("slot") % slots).alias("rank"),
        "score",
        to_units(pl.col("score")).alias("units"),
    )


def _reached(threshold: dict[str, Threshold], change: pl.Expr) -> pl.Expr:
    points = _per_instrument({i: t.points for i, t in threshold.items()})
    ratios = {
        i: t.percent_of_baseline.as_integer_ratio() if t.percent_of_baseline else (None, None)
        for i, t in threshold.items()
    }
    numerator = _per_instrument({i: r[0] for i, r in ratios.items()})
    denominator = _per_instrument({i: r[1] for i, r in ratios.items()})
    base = pl.col("base_units")
    share = half_up(base * numerator, denominator * UNITS_PER_ONE)
    by_share = numerator.is_not_null() & (base != 0) & (change >= share)
    return (change >= points) | by_share.fill_null(False)


def changes(chosen: pl.LazyFrame) -> pl.LazyFrame:
    """Change rows for the counted follow-ups that have a baseline, in exact integers."""
    rules = {i: change_rules(i) for i in instrument_ids()}
    base = chosen.filter(pl.col("rank") == 0).select("pair", pl.col("units").alias("base_units"))
    follow = chosen.filter(pl.col("rank") > 0).join(base, on="pair")
    improvement = hundredths(pl.col("base_units") - pl.col("units"))
    follow = follow.with_columns(improvement.alias("improvement_h"))
    improved = _reached({i: r.mcid for i, r in rules.items()}, pl.col("improvement_h"))
    worsened = _reached({i: r.deterioration for i, r in rules.items()}, -pl.col("improvement_h"))
    pass_units = _per_instrument({i: r.pass_units for i, r in rules.items()})
    return follow.with_columns(
        pl.when(improved)
        .then(pl.lit("improved"))
        .when(worsened)
        .then(pl.lit("worsened"))
        .otherwise(pl.lit("unchanged"))
        .alias("change"),
        (pl.col("units") <= pass_units).alias("within_pass"),
    )


def followup_changes(points: pl.DataFrame) -> pl.DataFrame:
    """Every follow-up of every instrument with a baseline (as OutcomeSummary.timepoints), sorted by
    patient, instrument name and time point. ``points`` are checked points (analytics.points)."""
    timepoints = dict(enumerate(t.id for t in schedule()))
    lazy = points.lazy()
    rows = changes(counted(lazy)).join(patient_names(lazy), on="pid")
    ordered = rows.sort(["patient_id", instrument_name(), "rank"]).select(
        "patient_id",
        instrument_name().alias("instrument"),
        pl.col("rank").replace_strict(timepoints, return_dtype=pl.String).alias("timepoint"),
        "score",
        hundredths_value(pl.col("improvement_h")).alias("improvement"),
        "change",
        "within_pass",
    )
    return ordered.collect()
