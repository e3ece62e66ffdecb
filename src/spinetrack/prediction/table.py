"""The contract's table (shared/spec/risk.md) read into numbers: one float array per predictor with
NaN for an empty cell, category levels as their index, and the 12-month outcome classes computed by
spinetrack.domain.outcomes (the same MCID, deterioration and PASS tests as everywhere else).

A cell of the wrong type or out of its range is an error naming the data row (1 = the first row
under the header), the column and the patient, never coerced; an empty cell is missing."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from spinetrack.domain.errors import SpinetrackError
from spinetrack.domain.outcomes import compare
from spinetrack.prediction.arrays import Array
from spinetrack.prediction.settings import PredictorSpec, settings

ID_COLUMN = "patient_id"
FOLLOWUP_COLUMN = "followup_score"
SCORE_RANGE = (0.0, 100.0)
CLASSES = ("worsened", "unchanged", "improved")
"""Outcome class codes 0, 1, 2 (ordered)."""


class TableError(SpinetrackError):
    """A cell that breaks the contract: names the row and the column."""

    def __init__(self, row: int | None, column: str, problem: str, patient: str = "") -> None:
        where = f"column {column}" if row is None else f"data row {row}, column {column}"
        who = f" (patient_id {patient})" if patient else ""
        super().__init__(f"{where}: {problem}{who}")
        self.row = row
        self.column = column


class TooSmall(SpinetrackError):
    """The table holds fewer patients with outcomes than the minimum sample size."""


def predictor_specs() -> tuple[PredictorSpec, ...]:
    return settings().predictors


def predictor_names() -> tuple[str, ...]:
    return tuple(spec.name for spec in predictor_specs())


def table_columns(with_outcome: bool) -> tuple[str, ...]:
    """Every column of the contract's table (the follow-up only where outcomes are needed)."""
    names = (ID_COLUMN, *predictor_names())
    return (*names, FOLLOWUP_COLUMN) if with_outcome else names


@dataclass(frozen=True)
class Table:
    """Parsed rows: ``values[name]`` is a float array (NaN = missing, categories as level index)."""

    patient_id: list[str]
    values: dict[str, Array]
    followup: Array
    """The 12-month score, NaN where the patient was lost to follow-up."""

    def __len__(self) -> int:
        return len(self.patient_id)

    def subset(self, rows: Array) -> "Table":
        ids = [self.patient_id[i] for i in rows]
        return Table(ids, {k: v[rows] for k, v in self.values.items()}, self.followup[rows])

    def fingerprint(self) -> str:
        """A hash of every parsed value, to tell which data a model was fitted on."""
        digest = hashlib.sha256()
        digest.update("\x1f".join(self.patient_id).encode())
        for name in sorted(self.values):
            digest.update(name.encode())
            digest.update(np.ascontiguousarray(self.values[name]).tobytes())
        digest.update(np.ascontiguousarray(self.followup).tobytes())
        return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Outcomes:
    """Per row: ``known`` (baseline, follow-up and instrument present), the ordered class code
    (0 worsened, 1 unchanged, 2 improved; -1 unknown) and pass (1/0; -1 unknown)."""

    known: Array
    classes: Array
    passed: Array


def _text(frame: pl.DataFrame, column: str) -> pl.Series:
    if column not in frame.columns:
        return pl.Series(column, [None] * frame.height, dtype=pl.String)
    series = frame.get_column(column).cast(pl.String).str.strip_chars()
    return series.replace("", None)


def _first_bad(bad: pl.Series, text: pl.Series, ids: list[str], column: str, why: str) -> None:
    if not bad.any():
        return
    row = int(bad.arg_true()[0])
    raise TableError(row + 1, column, f"{text[row]!r} {why}", ids[row])


def _parse_number(
    text: pl.Series, ids: list[str], column: str, low: float | None, high: float | None, whole: bool
) -> Array:
    numbers = text.cast(pl.Float64, strict=False)
    present = text.is_not_null()
    _first_bad(
        present & (numbers.is_null() | numbers.is_nan()), text, ids, column, "is not a number"
    )
    filled = numbers.fill_null(0.0)
    if whole:
        _first_bad(
            present & (filled != filled.round(0)), text, ids, column, "is not a whole number"
        )
    if low is not None and high is not None:
        outside = present & ((filled < low) | (filled > high))
        _first_bad(outside, text, ids, column, f"is outside {low:g}-{high:g}")
    return numbers.to_numpy().astype(np.float64)


def _parse_levels(
    text: pl.Series, ids: list[str], column: str, levels: tuple[str, ...], flag: bool
) -> Array:
    lowered = text.str.to_lowercase() if flag else text
    codes = lowered.replace_strict(
        {level: float(i) for i, level in enumerate(levels)}, default=None, return_dtype=pl.Float64
    )
    expected = "true or false" if flag else "one of " + ", ".join(levels)
    _first_bad(text.is_not_null() & codes.is_null(), text, ids, column, f"is not {expected}")
    return codes.to_numpy().astype(np.float64)


def parse_column(frame: pl.DataFrame, spec: PredictorSpec, ids: list[str]) -> Array:
    """One predictor column as floats (NaN = empty), checked against its type and range."""
    text = _text(frame, spec.name)
    if spec.kind in ("number", "whole"):
        return _parse_number(text, ids, spec.name, spec.low, spec.high, spec.kind == "whole")
    return _parse_levels(text, ids, spec.name, spec.level_names(), spec.kind == "flag")


def parse_table(frame: pl.DataFrame, with_outcome: bool) -> Table:
    """Check and convert a table (any column types; text is read as in a CSV cell)."""
    if ID_COLUMN not in frame.columns:
        raise TableError(None, ID_COLUMN, "missing from the header")
    ids_text = _text(frame, ID_COLUMN)
    ids = [value or "" for value in ids_text.to_list()]
    values = {spec.name: parse_column(frame, spec, ids) for spec in predictor_specs()}
    if with_outcome:
        if FOLLOWUP_COLUMN not in frame.columns:
            raise TableError(None, FOLLOWUP_COLUMN, "missing from the header")
        followup = _parse_number(
            _text(frame, FOLLOWUP_COLUMN), ids, FOLLOWUP_COLUMN, *SCORE_RANGE, whole=False
        )
    else:
        followup = np.full(frame.height, np.nan)
    return Table(ids, values, followup)


def read_file(path: str | Path) -> pl.DataFrame:
    """A CSV or Parquet file (by suffix) with every column as text."""
    name = str(path)
    if name.lower().endswith(".parquet"):
        frame = pl.read_parquet(name)
        return frame.select(pl.col(c).cast(pl.String) for c in frame.columns)
    return pl.read_csv(name, infer_schema=False, encoding="utf8-lossy")


def outcomes(table: Table) -> Outcomes:
    """The 12-month classes and pass of each row, by spinetrack.domain.outcomes.compare."""
    n = len(table)
    levels = next(s for s in predictor_specs() if s.name == "instrument").level_names()
    base, after, inst = table.values["baseline_score"], table.followup, table.values["instrument"]
    known = ~(np.isnan(base) | np.isnan(after) | np.isnan(inst))
    classes = np.full(n, -1, dtype=np.int64)
    passed = np.full(n, -1, dtype=np.int64)
    code = {name: i for i, name in enumerate(CLASSES)}
    for i in np.flatnonzero(known):
        change = compare(levels[int(inst[i])], float(base[i]), float(after[i]))
        classes[i] = code[change.change]
        passed[i] = int(bool(change.within_pass))
    return Outcomes(known, classes, passed)
