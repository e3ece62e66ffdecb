"""Numbers from CSV text, decided once for every command: a blank cell is missing, a cell that is
not a number stays visible as NaN (so the row is invalid, never silently treated as missing)."""

import polars as pl


def number(column: str) -> pl.Expr:
    """Float64 from a text column: blank -> null, not a number -> NaN."""
    text = pl.col(column).str.strip_chars()
    parsed = text.cast(pl.Float64, strict=False)
    garbage = parsed.is_null() & (text.str.len_bytes() > 0)
    return pl.when(garbage).then(float("nan")).otherwise(parsed).alias(column)


def loose_number(column: str) -> pl.Expr:
    """Float64 from a text column where blank and not-a-number are the same to the caller: null."""
    return pl.col(column).str.strip_chars().cast(pl.Float64, strict=False).alias(column)
