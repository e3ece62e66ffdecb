"""Vectorised scoring of a whole table of responses to one instrument, with exactly the rules of
spinetrack.domain.instruments.score (integer arithmetic, the same rounding), row for row."""

import math
from collections.abc import Sequence
from functools import reduce

import polars as pl

from spinetrack.analytics.exact import half_up, hundredths_text
from spinetrack.domain.instruments import get_instrument
from spinetrack.domain.instruments.definition import (
    ComiRule,
    InstrumentDefinition,
    PercentOfMaxRule,
    SingleItemRule,
)

SCORE_COLUMNS = ("status", "answered", "raw", "percent")


def _invalid(definition: InstrumentDefinition) -> pl.Expr:
    bad = []
    for item in definition.items:
        value = pl.col(item.id)
        good = value.is_finite() & (value == value.floor()) & value.is_between(item.min, item.max)
        bad.append(value.is_not_null() & ~good)
    return pl.any_horizontal(bad)


def _answered(definition: InstrumentDefinition) -> pl.Expr:
    return pl.sum_horizontal([pl.col(i.id).is_not_null().cast(pl.Int64) for i in definition.items])


def _whole(item_id: str) -> pl.Expr:
    # Only used where the row is valid; strict=False keeps NaN in invalid rows from raising.
    return pl.col(item_id).cast(pl.Int64, strict=False)


def _percent_of_max(
    definition: InstrumentDefinition, rule: PercentOfMaxRule
) -> tuple[pl.Expr, ...]:
    items = len(definition.items)
    top = definition.items[0].max
    answered = _answered(definition)
    total = pl.sum_horizontal([_whole(i.id) for i in definition.items])
    enough = (items - answered) <= rule.max_missing
    safe = pl.max_horizontal(answered, pl.lit(1))
    percent = half_up(100 * 100 * total, top * safe)
    raw = half_up(100 * items * total, safe)
    return enough, raw, percent


def _single_item(definition: InstrumentDefinition, rule: SingleItemRule) -> tuple[pl.Expr, ...]:
    item = definition.items[0].id
    return pl.col(item).is_not_null(), 100 * _whole(item), pl.lit(None, pl.Int64)


def _comi(definition: InstrumentDefinition, rule: ComiRule) -> tuple[pl.Expr, ...]:
    # Exact integer units: each rescaled item and each domain mean is a whole number of them.
    spans = [item.max - item.min for item in definition.items]
    largest = max((len(d.items) for d in rule.domains if d.combine == "mean"), default=1)
    unit = math.lcm(*spans) * math.lcm(*range(1, largest + 1))
    domains, valued = [], []
    for domain in rule.domains:
        scaled = []
        for item_id in domain.items:
            item = definition.item(item_id)
            per_step = rule.domain_max * unit // (item.max - item.min)
            scaled.append((_whole(item_id) - item.min) * per_step)
        present = pl.sum_horizontal([pl.col(i).is_not_null().cast(pl.Int64) for i in domain.items])
        if domain.combine == "max":
            domains.append(pl.max_horizontal(scaled))
        else:
            domains.append(pl.sum_horizontal(scaled) // pl.max_horizontal(present, pl.lit(1)))
        valued.append(present > 0)
    enough = reduce(lambda a, b: a & b, valued)
    total = pl.sum_horizontal(domains)
    raw = half_up(100 * total, unit * len(rule.domains))
    return enough, raw, pl.lit(None, pl.Int64)


def _method_columns(definition: InstrumentDefinition) -> tuple[pl.Expr, ...]:
    rule = definition.scoring
    if isinstance(rule, PercentOfMaxRule):
        return _percent_of_max(definition, rule)
    if isinstance(rule, ComiRule):
        return _comi(definition, rule)
    return _single_item(definition, rule)


def score_columns(instrument_id: str) -> dict[str, pl.Expr]:
    """The scoring expressions over one Float64 column per item (null = missing, NaN = not a
    number): ``status``, ``answered``, and ``raw_text`` and ``percent_text`` (decimal text with
    two places, null unless ok). Expressions, so a lazy plan can score a file batch by batch on
    the streaming engine without handing rows to Python."""
    definition = get_instrument(instrument_id)
    enough, raw, percent = _method_columns(definition)
    invalid = _invalid(definition)
    ok = ~invalid & enough
    status = (
        pl.when(invalid)
        .then(pl.lit("invalid"))
        .when(~enough)
        .then(pl.lit("insufficient"))
        .otherwise(pl.lit("ok"))
    )
    return {
        "status": status,
        "answered": _answered(definition),
        "raw_text": hundredths_text(pl.when(ok).then(raw)),
        "percent_text": hundredths_text(pl.when(ok).then(percent)),
    }


def score_table(instrument_id: str, answers: pl.DataFrame) -> pl.DataFrame:
    """Score every row: ``answers`` holds one Float64 column per item (null = missing, NaN = not a
    number; other columns are ignored). Returns, per input row, status and answered, and raw and
    percent both as decimal text with two places (``raw_text``, ``percent_text``) and as floats."""
    columns = score_columns(instrument_id)
    scored = answers.select(expression.alias(name) for name, expression in columns.items())
    return scored.with_columns(
        pl.col("raw_text").cast(pl.Float64).alias("raw"),
        pl.col("percent_text").cast(pl.Float64).alias("percent"),
    )


def item_ids(instrument_id: str) -> Sequence[str]:
    return [item.id for item in get_instrument(instrument_id).items]
