"""Exact integer arithmetic in polars, mirroring spinetrack.domain.instruments.rounding: scores as
integer billionths, rounding half up (away from zero), and hundredths turned into decimal text.

Polars divides a column by a constant by multiplying with the reciprocal (2556 / 100 gives
25.560000000000002), so values leave integer hundredths through numpy's element-wise division or
their exact decimal text, never through polars' division by a literal.
"""

import polars as pl

from spinetrack.domain.instruments.rounding import UNITS_PER_HUNDREDTH, UNITS_PER_ONE


def half_up(numerator: pl.Expr, denominator: pl.Expr | int) -> pl.Expr:
    """``numerator / denominator`` rounded to an integer, halves away from zero (denominator > 0)."""
    magnitude = (2 * numerator.abs() + denominator) // (2 * denominator)
    return pl.when(numerator < 0).then(-magnitude).otherwise(magnitude)


def to_units(score: pl.Expr) -> pl.Expr:
    """Float scores as integer billionths (as the domain's ``round(value * 10**9)``)."""
    return (score * UNITS_PER_ONE).round(0, mode="half_to_even").cast(pl.Int64)


def hundredths(units: pl.Expr) -> pl.Expr:
    return half_up(units, UNITS_PER_HUNDREDTH)


def hundredths_text(value: pl.Expr) -> pl.Expr:
    """Integer hundredths as decimal text with two places ("-2.35", "0.00"); null stays null."""
    sign = pl.when(value < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    whole = (value.abs() // 100).cast(pl.String)
    cents = (value.abs() % 100).cast(pl.String).str.zfill(2)
    return pl.concat_str(sign, whole, pl.lit("."), cents)


def _divided_by_100(hundredths: pl.Series) -> pl.Series:
    # numpy divides element by element (IEEE division, correctly rounded, as Python's ``/``).
    values = hundredths.cast(pl.Float64).to_numpy() / 100.0
    return pl.Series(hundredths.name, values, nan_to_null=True)


def hundredths_value(value: pl.Expr) -> pl.Expr:
    """Integer hundredths as the nearest float, exactly as the domain's ``h / 100``: a true
    division of each value (several times cheaper than the round trip through the decimal text,
    which gives the same float)."""
    return value.map_batches(_divided_by_100, return_dtype=pl.Float64, is_elementwise=True)
