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
    # A gather from a literal indexed by the instrument code: cheaper than a hash lookup per row.
    by_code = pl.Series([values[name] for name in instrument_ids()], dtype=pl.Int64)
    return pl.lit(by_code).gather(pl.col("inst"))


def patient_names(points: pl.LazyFrame) -> pl.LazyFrame:
    """patient_id <-> pid, the dense rank of the id (as ``coded`` numbers them)."""
    ids = points.select(pl.col("patient_id").unique().sort())
    return ids.with_row_index("pid", offset=1)


def numbered(points: pl.LazyFrame) -> pl.LazyFrame:
    """Checked points with ``pid``, the dense rank of the patient_id (as ``patient_names``)."""
    return points.with_columns(pl.col("patient_id").rank("dense").cast(pl.UInt32).alias("pid"))


def coded(points: pl.LazyFrame) -> pl.LazyFrame:
    """Checked points with integer patient (pid) and instrument (inst) codes and input order; a
    ``pid`` the points already hold (from ``numbered``) is kept."""
    if "pid" not in points.collect_schema():
        points = numbered(points)
    return points.select(
        "pid",
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


def timepoint_rank() -> pl.Expr:
    """Position in the schedule of the time point whose window holds the column ``days`` (the
    first such, as domain.outcomes.window_of); null between and beyond the windows."""
    return _window_rank()[0]


def _order_bits() -> int:
    """Bits that hold a day's offset from the first window day, and its distance to a nominal day."""
    timepoints = schedule()
    return (max(t.end for t in timepoints) - min(t.start for t in timepoints)).bit_length()


def counted(points: pl.LazyFrame) -> pl.LazyFrame:
    """Per patient, instrument and time point (``rank`` = its position), the response that counts:
    closest to the nominal day, then the earlier day, then the first given. ``pair`` codes the
    patient and instrument together, ``slot`` adds the time point. The rows come out sorted by
    ``pair`` then ``rank`` (so by patient, and ``pid`` is flagged sorted).

    The slot, the distance and the day are packed into one Int64 key, and a stable sort on that
    one column does the picking: a single-column sort is several times cheaper than a sort on
    three (a patient code below 2**32 leaves room: 32 + 6 + 2 * 10 bits with today's windows)."""
    position, nominal = _window_rank()
    slots, kinds = len(schedule()), len(instrument_ids())
    bits = _order_bits()
    first_day = min(t.start for t in schedule())
    if 32 + (slots * kinds).bit_length() + 2 * bits > 63:
        raise ValueError("windows and instruments too many to pack a response's order in 63 bits")
    pair = pl.col("pid").cast(pl.Int64) * kinds + pl.col("inst").cast(pl.Int64)
    distance = (pl.col("days") - pl.col("nominal")).abs()
    order = distance * (1 << bits) + (pl.col("days") - first_day)
    placed = (
        coded(points)
        .with_columns(position.alias("rank"), nominal.alias("nominal"))
        .filter(pl.col("rank").is_not_null())
        .select(((pair * slots + pl.col("rank")) * (1 << (2 * bits)) + order).alias("key"), "score")
    )
    slot = pl.col("key") // (1 << (2 * bits))
    ordered = placed.sort("key", maintain_order=True).select(slot.alias("slot"), "score")
    first = ordered.filter(pl.col("slot") != pl.col("slot").shift(1, fill_value=-1))
    return first.select(
        (pl.col("slot") // (slots * kinds)).cast(pl.UInt32).set_sorted().alias("pid"),
        (pl.col("slot") // slots % kinds).cast(pl.UInt8).alias("inst"),
        (pl.col("slot") // slots).alias("pair"),
        (pl.col("slot") % slots).cast(pl.Int8).alias("rank"),
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


IMPROVED, WORSENED, UNCHANGED = 2, 1, 0
CHANGES = {IMPROVED: "improved", WORSENED: "worsened", UNCHANGED: "unchanged"}


def _change_columns() -> tuple[pl.Expr, pl.Expr]:
    """``change`` (an Int8 code of CHANGES) and ``within_pass``, from ``improvement_h``, ``units``
    and ``base_units``."""
    rules = {i: change_rules(i) for i in instrument_ids()}
    improved = _reached({i: r.mcid for i, r in rules.items()}, pl.col("improvement_h"))
    worsened = _reached({i: r.deterioration for i, r in rules.items()}, -pl.col("improvement_h"))
    pass_units = _per_instrument({i: r.pass_units for i, r in rules.items()})
    change = (
        pl.when(improved)
        .then(pl.lit(IMPROVED, pl.Int8))
        .when(worsened)
        .then(pl.lit(WORSENED, pl.Int8))
        .otherwise(pl.lit(UNCHANGED, pl.Int8))
    )
    return change.alias("change"), (pl.col("units") <= pass_units).alias("within_pass")


def changes(chosen: pl.LazyFrame) -> pl.LazyFrame:
    """Change rows for the counted follow-ups that have a baseline, in exact integers."""
    base = chosen.filter(pl.col("rank") == 0).select("pair", pl.col("units").alias("base_units"))
    follow = chosen.filter(pl.col("rank") > 0).join(base, on="pair")
    improvement = hundredths(pl.col("base_units") - pl.col("units"))
    follow = follow.with_columns(improvement.alias("improvement_h"))
    change, within_pass = _change_columns()
    return follow.with_columns(change.replace_strict(CHANGES, return_dtype=pl.String), within_pass)


def compared(chosen: pl.LazyFrame) -> pl.LazyFrame:
    """Every counted row (``counted``'s order: by pair, then rank) with its pair's ``base_units``,
    ``improvement_h``, ``change`` (a code of CHANGES) and ``within_pass``; all four null on a
    baseline row and on a follow-up without a baseline. The rows' order stands in for the join on
    ``pair`` that ``changes`` makes: a pair's baseline is its first row."""
    is_base = pl.col("rank") == 0
    base = pl.when(is_base).then(pl.col("units")).forward_fill()
    base_pair = pl.when(is_base).then(pl.col("pair")).forward_fill()
    with_base = chosen.with_columns(
        pl.when(~is_base & (base_pair == pl.col("pair"))).then(base).alias("base_units")
    ).with_columns(hundredths(pl.col("base_units") - pl.col("units")).alias("improvement_h"))
    change, within_pass = _change_columns()
    has_base = pl.col("base_units").is_not_null()
    return with_base.with_columns(
        pl.when(has_base).then(change).alias("change"),
        pl.when(has_base).then(within_pass).alias("within_pass"),
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
