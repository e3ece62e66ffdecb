"""Responses handed to a bulk import as columns, one table per instrument, checked and scored a
whole column at a time: the demo clinic's 1.24 million responses (100,000 patients) cost more as
one validated `NewResponse` and one dictionary each than storing them did.

Each table is checked as `NewResponse` and `checked_score` check one response: a known instrument,
only its items, numbers only, a known source; the moment read as UTC. Scores come from the
vectorised scorer (`analytics.scoring.score_table`, held to the domain's scorer by tests). Any
response it does not score `ok` is sent through `checked_row`, the one-at-a-time check every door
uses, so a refusal is worded, and an insufficient response keeps its reason, exactly as from a
single entry. The stored answers are the JSON text `json.dumps` writes for the same dictionary.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, get_args

import polars as pl

from spinetrack.analytics.scoring import score_table
from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.instruments import get_instrument
from spinetrack.services.records.record_response import NewResponse, checked_row

if TYPE_CHECKING:
    from polars._typing import PolarsDataType

STORED = (
    "patient",
    "order",
    "instrument",
    "instrument_version",
    "completed_at",
    "source",
    "answers",
    "score_status",
    "score_answered",
    "score_raw",
    "score_percent",
    "score_reason",
)
"""The columns of a checked table: the stored columns of `checked_row`, with the patient's
position in the import and the response's order among the patient's."""


@dataclass(frozen=True)
class ResponseColumns:
    """Many responses to one instrument. ``table`` has ``patient`` (the patient's position in
    the import), ``order`` (a patient's responses are stored in this order), ``completed_at``
    (a Datetime; without a zone it is UTC) and one numeric column per item given, named by the
    item's id (null: not answered); each response gives every one of those items."""

    instrument: str
    table: pl.DataFrame
    source: str = "import"


def _items(columns: ResponseColumns) -> list[str]:
    return [c for c in columns.table.columns if c not in ("patient", "order", "completed_at")]


@dataclass(frozen=True)
class CheckedTable:
    """A table whose shape passed, sorted by patient and order with the moment in UTC, and its
    rows as stored (`STORED`) as far as the vectorised scorer took them: rows it did not score
    `ok` are checked one by one batch by batch (`scored`), so a refusal is met in patient order."""

    columns: ResponseColumns
    stored: pl.DataFrame


def checked_tables(tables: Sequence[ResponseColumns], patients: int) -> list[CheckedTable]:
    """The tables, refused as a whole where the shape is wrong (what would fail every row),
    scored a whole column at a time (one call per instrument, not one per batch)."""
    allowed = get_args(NewResponse.model_fields["source"].annotation)
    checked = []
    for t, columns in enumerate(tables):
        where = f"response_tables.{t}"
        definition = get_instrument(columns.instrument)
        known = {item.id for item in definition.items}
        items = _items(columns)
        if not 1 <= len(items) <= 64:
            raise InvalidInput(f"{where}.answers", "expected 1 to 64 items")
        for item in items:
            if item not in known:
                raise InvalidInput(f"{where}.answers.{item}", f"not an item of {definition.id}")
            if not columns.table[item].dtype.is_numeric():
                raise InvalidInput(f"{where}.answers.{item}", "expected numbers")
        if columns.source not in allowed:
            raise InvalidInput(f"{where}.source", f"expected one of {', '.join(allowed)}")
        table = columns.table
        if not isinstance(table["completed_at"].dtype, pl.Datetime):
            raise InvalidInput(f"{where}.completed_at", "expected a date and time")
        position = table["patient"]
        outside = position.is_null() | (position < 0) | (position >= patients)
        if not position.dtype.is_integer() or outside.any():
            raise InvalidInput(f"{where}.patient", "no such patient in this import")
        moment = pl.col("completed_at")
        utc = (
            moment.dt.replace_time_zone("UTC")
            if table["completed_at"].dtype.time_zone is None
            else moment.dt.convert_time_zone("UTC")
        )
        table = table.with_columns(utc.dt.cast_time_unit("us")).sort(
            "patient", "order", maintain_order=True
        )
        ready = ResponseColumns(columns.instrument, table, columns.source)
        checked.append(CheckedTable(ready, _stored(ready)))
    return checked


def json_object(items: Sequence[str], table: pl.DataFrame) -> pl.Series:
    """Each row's answers as the JSON text `json.dumps` writes for the dictionary of ``items``
    (in that order, null for a missing answer): whole columns joined, integers only; a column of
    other numbers is written value by value by `json.dumps` itself."""
    parts: list[pl.Expr] = []
    for i, item in enumerate(items):
        key = ("{" if i == 0 else ", ") + json.dumps(item) + ": "
        series = table[item]
        if series.dtype.is_integer():
            value = pl.col(item).cast(pl.String).fill_null("null")
        else:
            value = pl.lit(pl.Series([json.dumps(v) for v in series.to_list()]))
        parts += [pl.lit(key), value]
    parts.append(pl.lit("}"))
    return table.select(pl.concat_str(parts).alias("answers"))["answers"]


def scored(
    tables: Sequence[CheckedTable], start: int, end: int, ahead: dict[int, int]
) -> pl.DataFrame:
    """The checked rows of the patients at positions ``start`` to ``end`` (exclusive), in the
    columns of `STORED`, sorted by patient and order. ``ahead`` counts each patient's responses
    given one by one (they come first, and a refusal is numbered after them)."""
    parts = []
    for checked in tables:
        table = checked.columns.table
        bounds = pl.Series([start, end], dtype=table["patient"].dtype)
        low, high = table["patient"].search_sorted(bounds, side="left").to_list()
        if high == low:
            continue
        part, stored = table.slice(low, high - low), checked.stored.slice(low, high - low)
        others = (stored["score_status"] != "ok").arg_true().to_list()
        if others:
            stored = _one_by_one(tables, checked.columns, part, stored, others, ahead)
        parts.append(stored)
    if not parts:
        return pl.DataFrame(schema=_SCHEMA)
    return pl.concat(parts).sort("patient", "order", maintain_order=True)


_SCHEMA: dict[str, "PolarsDataType"] = {
    "patient": pl.Int64,
    "order": pl.Int64,
    "instrument": pl.String,
    "instrument_version": pl.String,
    "completed_at": pl.Datetime("us", "UTC"),
    "source": pl.String,
    "answers": pl.String,
    "score_status": pl.String,
    "score_answered": pl.Int64,
    "score_raw": pl.Float64,
    "score_percent": pl.Float64,
    "score_reason": pl.String,
}


def _stored(columns: ResponseColumns) -> pl.DataFrame:
    """The rows as stored, scored by the vectorised scorer (rows not `ok` are redone later)."""
    table = columns.table
    definition = get_instrument(columns.instrument)
    items = _items(columns)
    scores = score_table(columns.instrument, table.select(pl.col(items).cast(pl.Float64)))
    height = table.height
    return pl.DataFrame(
        {
            "patient": table["patient"].cast(pl.Int64),
            "order": table["order"].cast(pl.Int64),
            "instrument": pl.Series([columns.instrument] * height, dtype=pl.String),
            "instrument_version": pl.Series([definition.version] * height, dtype=pl.String),
            "completed_at": table["completed_at"],
            "source": pl.Series([columns.source] * height, dtype=pl.String),
            "answers": json_object(items, table),
            "score_status": scores["status"],
            "score_answered": scores["answered"].cast(pl.Int64),
            "score_raw": scores["raw"],
            "score_percent": scores["percent"],
            "score_reason": pl.Series([""] * height, dtype=pl.String),
        },
        schema=_SCHEMA,
    )


def _one_by_one(
    tables: Sequence[CheckedTable],
    columns: ResponseColumns,
    part: pl.DataFrame,
    frame: pl.DataFrame,
    rows: list[int],
    ahead: dict[int, int],
) -> pl.DataFrame:
    """Check the rows the table did not score `ok` as single entries (their own wording and
    reason), their scores replacing the table's."""
    items = _items(columns)
    fixed: dict[str, list[Any]] = {
        k: frame[k].to_list()
        for k in ("score_status", "score_answered", "score_raw", "score_percent", "score_reason")
    }
    for row in rows:
        values = part.row(row, named=True)
        response = NewResponse(
            instrument=columns.instrument,
            completed_at=values["completed_at"],
            answers={item: values[item] for item in items},
            source=columns.source,
        )
        try:
            stored = checked_row(response)
        except InvalidInput as exc:
            patient, order = values["patient"], values["order"]
            number = ahead.get(patient, 0) + _before(tables, patient, order)
            raise InvalidInput(
                f"patients.{patient}.responses.{number}.{exc.field}", exc.reason
            ) from exc
        for key, column in fixed.items():
            column[row] = stored[key]
    return frame.with_columns(pl.Series(k, v, dtype=_SCHEMA[k]) for k, v in fixed.items())


def _before(tables: Sequence[CheckedTable], patient: int, order: int) -> int:
    """How many of the patient's column responses are stored before the one at ``order``."""
    return sum(
        t.columns.table.filter((pl.col("patient") == patient) & (pl.col("order") < order)).height
        for t in tables
    )
