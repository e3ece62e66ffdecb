"""CSV and Parquet for analysts and spreadsheets (polars): one table per kind of record, with the
column sets documented in docs/interop.md, and reading a CSV of one kind back into records, row by
row, so each unusable row is reported with its line and reason."""

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

import polars as pl

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.instruments import get_instrument, instrument_ids
from spinetrack.interop.records import (
    Answer,
    ComplicationRecord,
    Registry,
    RegistryPatient,
    ResponseRecord,
    SurgeryRecord,
    SurgeryRef,
)

Kind = Literal["patients", "surgeries", "complications", "responses"]
KINDS: tuple[Kind, ...] = ("patients", "surgeries", "complications", "responses")
Format = Literal["csv", "parquet"]
LEVEL_SEPARATOR = ";"

COLUMNS: dict[str, tuple[str, ...]] = {
    "patients": ("mrn", "given_name", "family_name", "birth_date", "sex", "email", "phone"),
    "surgeries": (
        "mrn",
        "performed_on",
        "region",
        "procedure",
        "approach",
        "levels",
        "instrumented",
        "surgeon",
        "revises_on",
        "revision_reason",
        "notes",
        "planned",
    ),
    "complications": ("mrn", "surgery_on", "kind", "reported_by", "occurred_on", "notes"),
    "responses": ("mrn", "instrument", "completed_at"),
    "statuses": (
        "mrn",
        "status",
        "latest_timepoint",
        "disability_instrument",
        "disability_improvement",
        "pain_improvement",
    ),
}
REQUIRED: dict[Kind, tuple[str, ...]] = {
    "patients": ("mrn", "given_name", "family_name", "birth_date", "sex"),
    "surgeries": ("mrn", "performed_on", "region", "procedure", "approach"),
    "complications": ("mrn", "surgery_on", "kind", "reported_by"),
    "responses": ("mrn", "instrument", "completed_at"),
}
SCORE_COLUMNS = (
    "source",
    "instrument_version",
    "score_status",
    "score_answered",
    "score_raw",
    "score_percent",
)
IDENTIFYING = ("given_name", "family_name", "email", "phone", "notes")
DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S%.f%:z"


def item_columns() -> list[str]:
    """Every instrument's item ids, in registry order, each once (COMI items are shared)."""
    return list(
        dict.fromkeys(item.id for i in instrument_ids() for item in get_instrument(i).items)
    )


def _frame(rows: list[dict[str, Any]], schema: Mapping[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=dict(schema), orient="row")


def _schema(names: tuple[str, ...], types: Mapping[str, Any]) -> dict[str, Any]:
    return {name: types.get(name, pl.String) for name in names}


def _surgeries(registry: Registry) -> pl.DataFrame:
    rows = [
        {
            "mrn": s.ref.mrn,
            "performed_on": s.ref.performed_on,
            "region": s.region,
            "procedure": s.procedure,
            "approach": s.approach,
            "levels": LEVEL_SEPARATOR.join(s.levels),
            "instrumented": s.instrumented,
            "surgeon": s.surgeon,
            "revises_on": s.revises.performed_on if s.revises else None,
            "revision_reason": s.revision_reason,
            "notes": s.notes,
            "planned": bool(s.planned),
        }
        for s in registry.surgeries
    ]
    types = {
        "performed_on": pl.Date,
        "revises_on": pl.Date,
        "instrumented": pl.Boolean,
        "planned": pl.Boolean,
    }
    return _frame(rows, _schema(COLUMNS["surgeries"], types))


def _responses(registry: Registry) -> pl.DataFrame:
    items = item_columns()
    rows = []
    for r in registry.responses:
        score = r.score
        row: dict[str, Any] = {
            "mrn": r.mrn,
            "instrument": r.instrument,
            "completed_at": r.completed_at,
        }
        row |= {item: r.answers.get(item) for item in items}
        row |= {
            "source": r.source,
            "instrument_version": r.instrument_version,
            "score_status": score.status if score else None,
            "score_answered": score.answered if score else None,
            "score_raw": score.raw if score else None,
            "score_percent": score.percent if score else None,
        }
        rows.append(row)
    types: dict[str, Any] = {"completed_at": pl.Datetime("us", "UTC"), "score_answered": pl.Int64}
    types |= {item: pl.Int64 for item in items} | {
        "score_raw": pl.Float64,
        "score_percent": pl.Float64,
    }
    return _frame(rows, _schema((*COLUMNS["responses"], *items, *SCORE_COLUMNS), types))


def tables(registry: Registry) -> dict[str, pl.DataFrame]:
    """The registry as tables: patients, surgeries, complications, responses (with scores), statuses.

    A de-identified registry has a `pseudonym` column instead of `mrn` and no identifying columns."""
    frames = {
        "patients": _frame(
            [vars(p) for p in registry.patients],
            _schema(COLUMNS["patients"], {"birth_date": pl.Date}),
        ),
        "surgeries": _surgeries(registry),
        "complications": _frame(
            [
                {
                    "mrn": c.surgery.mrn,
                    "surgery_on": c.surgery.performed_on,
                    "kind": c.kind,
                    "reported_by": c.reported_by,
                    "occurred_on": c.occurred_on,
                    "notes": c.notes,
                }
                for c in registry.complications
            ],
            _schema(COLUMNS["complications"], {"surgery_on": pl.Date, "occurred_on": pl.Date}),
        ),
        "responses": _responses(registry),
        "statuses": _frame(
            [{k: v for k, v in vars(s).items() if k != "region"} for s in registry.statuses],
            _schema(
                COLUMNS["statuses"],
                {"disability_improvement": pl.Float64, "pain_improvement": pl.Float64},
            ),
        ),
    }
    if registry.deidentified:
        frames = {
            name: frame.drop([c for c in IDENTIFYING if c in frame.columns]).rename(
                {"mrn": "pseudonym"}
            )
            for name, frame in frames.items()
        }
    return frames


FORMULA_START = r"^[=+\-@\t\r]"
"""Cells starting with these are formulas to a spreadsheet (OWASP, "CSV Injection"): a name typed
as `=HYPERLINK(...)` on the public form would run when a clinician opens the export."""


def neutralised(frame: pl.DataFrame) -> pl.DataFrame:
    """Text cells that a spreadsheet would read as a formula get a leading apostrophe, which makes
    the spreadsheet show them as text (OWASP's advice for CSV files); `read_csv` removes it."""
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(FORMULA_START))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )


def _restored(frame: pl.DataFrame) -> pl.DataFrame:
    """Undo `neutralised`, so an exported table reads back as it was."""
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(r"^'[=+\-@\t\r]"))
        .then(pl.col(name).str.slice(1))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )


def write_tables(registry: Registry, directory: Path, fmt: Format) -> list[Path]:
    """Write one file per table into `directory` (created if needed); returns the paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables(registry).items():
        path = directory / f"{name}.{fmt}"
        if fmt == "csv":
            neutralised(frame).write_csv(
                path, datetime_format=DATETIME_FORMAT, float_precision=None
            )
        else:
            frame.write_parquet(path)
        written.append(path)
    return written


@dataclass(frozen=True)
class RowProblem:
    line: int
    """The line of the file (the header is line 1)."""
    field: str
    reason: str


@dataclass(frozen=True)
class Row:
    line: int
    record: Any


def read_csv(raw: bytes, kind: Kind) -> pl.DataFrame:
    """The CSV as text columns; a file that is not UTF-8 CSV with the kind's columns is unusable."""
    try:
        raw.decode("utf-8")  # polars reads some other encodings (UTF-16) without complaint
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "file", f"not UTF-8 text (byte {exc.start + 1}); save the file as UTF-8 CSV"
        ) from exc
    if b"\x00" in raw:
        raise InvalidInput("file", "the file contains NUL bytes, so it is not a CSV text file")
    try:
        frame = pl.read_csv(io.BytesIO(raw), infer_schema=False, encoding="utf8")
    except pl.exceptions.NoDataError as exc:
        raise InvalidInput("file", "the file is empty; expected a CSV with a header row") from exc
    except (pl.exceptions.PolarsError, UnicodeDecodeError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InvalidInput("file", f"not a readable UTF-8 CSV file ({detail})") from exc
    frame = _restored(frame.rename({c: c.strip() for c in frame.columns}))
    missing = [c for c in REQUIRED[kind] if c not in frame.columns]
    if missing:
        hint = ""
        if len(frame.columns) == 1 and any(sep in frame.columns[0] for sep in ";\t|"):
            hint = "; the columns must be separated by commas"
        raise InvalidInput(
            "header", f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}{hint}"
        )
    return frame


def _text(row: Mapping[str, str | None], column: str) -> str | None:
    value = row.get(column)
    value = value.strip() if value is not None else None
    return value or None


def _needed(row: Mapping[str, str | None], column: str) -> str:
    value = _text(row, column)
    if value is None:
        raise InvalidInput(column, "is empty")
    return value


def _day(row: Mapping[str, str | None], column: str) -> date | None:
    value = _text(row, column)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(column, f"{value!r} is not a date like 2024-03-01") from None


def _moment(value: str, column: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            column, f"{value!r} is not a date and time like 2024-03-01T09:30:00+00:00"
        ) from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _flag(row: Mapping[str, str | None], column: str) -> bool:
    value = (_text(row, column) or "false").lower()
    if value not in {"true", "false", "1", "0", "yes", "no"}:
        raise InvalidInput(column, f"{value!r} is not true or false")
    return value in {"true", "1", "yes"}


def _number(value: str, column: str) -> Answer:
    try:
        number = float(value)
    except ValueError:
        raise InvalidInput(column, f"{value!r} is not a number") from None
    return int(number) if number.is_integer() else number


def _required_day(row: Mapping[str, str | None], column: str) -> date:
    day = _day(row, column)
    if day is None:
        raise InvalidInput(column, "is empty")
    return day


def _patient(row: Mapping[str, str | None], _: dict[Any, int]) -> RegistryPatient:
    return RegistryPatient(
        mrn=_needed(row, "mrn"),
        given_name=_text(row, "given_name"),
        family_name=_text(row, "family_name"),
        birth_date=_required_day(row, "birth_date"),
        sex=_needed(row, "sex"),
        email=_text(row, "email"),
        phone=_text(row, "phone"),
    )


def _surgery(row: Mapping[str, str | None], same_day: dict[Any, int]) -> SurgeryRecord:
    mrn = _needed(row, "mrn")
    day = _required_day(row, "performed_on")
    revises = _day(row, "revises_on")
    ref = SurgeryRef(mrn, day, same_day[(mrn, day)])
    same_day[(mrn, day)] += 1
    return SurgeryRecord(
        ref=ref,
        region=_needed(row, "region"),
        procedure=_needed(row, "procedure"),
        approach=_needed(row, "approach"),
        levels=tuple(
            lv.strip() for lv in (_text(row, "levels") or "").split(LEVEL_SEPARATOR) if lv.strip()
        ),
        instrumented=_flag(row, "instrumented"),
        surgeon=_text(row, "surgeon"),
        revises=SurgeryRef(mrn, revises) if revises else None,
        revision_reason=_text(row, "revision_reason"),
        notes=_text(row, "notes"),
        planned=_flag(row, "planned"),
    )


def _complication(row: Mapping[str, str | None], _: dict[Any, int]) -> ComplicationRecord:
    return ComplicationRecord(
        surgery=SurgeryRef(_needed(row, "mrn"), _required_day(row, "surgery_on")),
        kind=_needed(row, "kind"),
        reported_by=_needed(row, "reported_by"),
        occurred_on=_day(row, "occurred_on"),
        notes=_text(row, "notes"),
    )


class _Responses:
    """Rows of responses: each row's answers are the columns of its instrument's items."""

    def __init__(self, columns: list[str]) -> None:
        self.items = {i: [item.id for item in get_instrument(i).items] for i in instrument_ids()}
        self.answer_columns = [c for c in item_columns() if c in columns]

    def __call__(self, row: Mapping[str, str | None], _: dict[Any, int]) -> ResponseRecord:
        instrument = _needed(row, "instrument")
        if instrument not in self.items:
            raise InvalidInput("instrument", f"unknown instrument {instrument!r}")
        mine = self.items[instrument]
        answers: dict[str, Answer] = {}
        for column in self.answer_columns:
            value = _text(row, column)
            if value is None:
                continue
            if column not in mine:
                raise InvalidInput(column, f"is not an item of {instrument}; leave it empty")
            answers[column] = _number(value, column)
        return ResponseRecord(
            mrn=_needed(row, "mrn"),
            instrument=instrument,
            completed_at=_moment(_needed(row, "completed_at"), "completed_at"),
            answers=answers,
        )


def record_lines(raw: bytes) -> list[int]:
    """The file line each data record starts on (the header is line 1).

    A quoted cell may hold a line break, so record n is not always on line n + 1; reading the
    text with the csv module, which counts the physical lines it consumes, says where each record
    really begins, so a problem names the line a person finds in their editor.
    """
    reader = csv.reader(io.StringIO(raw.decode("utf-8", errors="replace"), newline=""))
    starts: list[int] = []
    consumed = 0
    try:
        for _ in reader:
            starts.append(consumed + 1)
            consumed = reader.line_num
    except csv.Error:  # polars read it, so it is readable; keep what was counted
        pass
    return starts[1:]


def parse_rows(
    frame: pl.DataFrame,
    kind: Kind,
    problems: list[RowProblem],
    lines: Sequence[int] | None = None,
) -> Iterator[Row]:
    """Each readable row as a record; each unreadable one is added to `problems` instead.

    `lines` (from `record_lines`) gives each row's line in the file; without it, or when it does
    not count the same rows as polars did, row n is taken to be on line n + 2."""
    readers: dict[Kind, Callable[[Mapping[str, str | None], dict[Any, int]], Any]] = {
        "patients": _patient,
        "surgeries": _surgery,
        "complications": _complication,
        "responses": _Responses(frame.columns),
    }
    read = readers[kind]
    same_day: dict[Any, int] = defaultdict(int)
    known = lines is not None and len(lines) == frame.height
    for position, row in enumerate(frame.iter_rows(named=True)):
        line = lines[position] if known and lines is not None else position + 2
        try:
            yield Row(line, read(row, same_day))
        except InvalidInput as exc:
            problems.append(RowProblem(line, exc.field, exc.reason))


def problems_csv(problems: list[RowProblem]) -> bytes:
    """The downloadable report of rejected rows: line, field, reason."""
    frame = pl.DataFrame(
        {
            "line": [p.line for p in problems],
            "field": [p.field for p in problems],
            "reason": [p.reason for p in problems],
        },
        schema={"line": pl.Int64, "field": pl.String, "reason": pl.String},
    )
    return neutralised(frame).write_csv().encode()
