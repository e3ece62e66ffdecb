"""Reading a user's CSV or Parquet file for a command: every column as text, the needed columns
checked, and every way a file can be unusable (missing, empty, not CSV, columns absent) turned into
one clear exit 2. Tables are scanned lazily and written by polars' streaming engine, so memory
stays flat however long the file is."""

import io
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

import polars as pl
from typer import Exit

from spinetrack.cli.errors import fail

STDIN = "-"
_COPY_BYTES = 1 << 20


Source = Path | io.BytesIO


def _open(source: str) -> Source:
    """A file is handed to polars by path (memory-mapped); stdin is read into memory."""
    if source == STDIN:
        return io.BytesIO(sys.stdin.buffer.read())
    path = Path(source)
    if not path.exists():
        raise fail(f"{source}: no such file")
    if path.is_dir():
        raise fail(f"{source}: is a directory, not a CSV file")
    try:
        with path.open("rb"):
            return path
    except OSError as exc:
        raise fail(f"{source}: cannot be read ({exc.strerror})") from exc


def _parse(name: str, source: Source, columns: Sequence[str] | None = None) -> pl.DataFrame:
    if isinstance(source, io.BytesIO):
        source.seek(0)
    try:
        return pl.read_csv(
            source,
            columns=list(columns) if columns else None,
            n_rows=0 if columns == () else None,
            infer_schema=False,
            truncate_ragged_lines=True,
            encoding="utf8-lossy",
        )
    except pl.exceptions.NoDataError as exc:
        raise fail(f"{name}: the file is empty; expected a CSV with a header row") from exc
    except (pl.exceptions.PolarsError, OSError) as exc:
        detail = str(exc).strip().splitlines()[0]
        raise fail(f"{name}: not a readable CSV file ({detail})") from exc


def _is_parquet(name: str) -> bool:
    return name.lower().endswith(".parquet")


def _missing(name: str, required: Sequence[str], found: Iterable[str]) -> Exit:
    missing = [column for column in required if column not in set(found)]
    return fail(
        f"{name}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
        f"(the header must name {', '.join(required)})"
    )


def _scan_parquet(name: str, required: Sequence[str], numbers: Sequence[str]) -> pl.LazyFrame:
    """The needed columns of a Parquet file, each as text so a cell means what it would in CSV;
    a column of ``numbers`` stored as numbers is read as Float64 directly (its text would parse
    back to the same value)."""
    path = _open(name)
    try:
        schema = pl.read_parquet_schema(path)
    except (pl.exceptions.PolarsError, OSError) as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise fail(f"{name}: not a readable Parquet file ({detail})") from exc
    if any(column not in schema for column in required):
        raise _missing(name, required, schema)

    def column(name: str) -> pl.Expr:
        numeric = name in numbers and schema[name].is_numeric()
        return pl.col(name).cast(pl.Float64 if numeric else pl.String)

    return pl.scan_parquet(path).select(column(name) for name in required)


def scan_table(name: str, required: Sequence[str], numbers: Sequence[str] = ()) -> pl.LazyFrame:
    """The needed columns of the CSV or Parquet file at ``name`` (``-`` = CSV on stdin) as text, to
    be read in batches by polars' streaming engine; exits 2 when the header is unusable.

    CSV header names are matched without surrounding spaces; other columns are not read. A file
    is chosen as Parquet by its ``.parquet`` suffix. The columns named in ``numbers`` are read as
    Float64 by the reader itself (cheaper than text then a cast); a CSV cell the reader cannot
    parse makes the run fail with a ComputeError, and the caller then reads the file again as text
    (``numbers`` empty), where such cells are judged one by one."""
    if _is_parquet(name):
        return _scan_parquet(name, required, numbers)
    source = _open(name)
    header = {column.strip(): column for column in _parse(name, source, ()).columns}
    if any(column not in header for column in required):
        raise _missing(name, required, header)
    if isinstance(source, io.BytesIO):
        source.seek(0)
    scan = pl.scan_csv(
        source,
        infer_schema=False,
        schema_overrides={header[column]: pl.Float64 for column in numbers},
        truncate_ragged_lines=True,
        encoding="utf8-lossy",
    )
    return scan.select(pl.col(header[column]).alias(column) for column in required)


def write_table(
    frame: pl.LazyFrame, name: str, out: str | None, sink: BinaryIO, float_precision: int | None
) -> None:
    """Run ``frame`` on the streaming engine into ``out`` (Parquet when it ends in ``.parquet``,
    else CSV) or, without ``out``, as CSV into ``sink``.

    The rows go to a temporary file first, renamed onto ``out`` or copied to ``sink`` only when
    the whole input was read: an input that turns out unreadable half way (``name``) exits 2 and
    leaves no partial output behind."""

    def write(partial: str) -> None:
        if out is not None and _is_parquet(out):
            frame.sink_parquet(partial, engine="streaming")
        else:
            frame.sink_csv(partial, float_precision=float_precision, engine="streaming")

    _write_whole(write, name, out, sink)


def writes_csv(out: str | None) -> bool:
    """Whether ``out`` (None: standard output) gets CSV, not Parquet."""
    return out is None or not _is_parquet(out)


def write_csv_frames(
    frames: Iterable[pl.DataFrame],
    name: str,
    out: str | None,
    sink: BinaryIO,
    float_precision: int | None,
) -> None:
    """``frames`` one after another as one CSV (the first one's header) into ``out`` or ``sink``,
    as ``write_table`` writes CSV; ``frames`` must hold at least one frame, empty or not.

    For rows made a frame at a time (the statuses of a large file, range by range): each is
    written as it comes, not first spilled to be scanned again."""

    def write(partial: str) -> None:
        header = True
        with open(partial, "wb") as target:
            for frame in frames:
                frame.write_csv(target, include_header=header, float_precision=float_precision)
                header = False
        if header:
            raise ValueError("write_csv_frames needs at least one frame")

    _write_whole(write, name, out, sink)


def _write_whole(write: Callable[[str], None], name: str, out: str | None, sink: BinaryIO) -> None:
    """``write`` a temporary file beside ``out``, then rename it onto ``out`` or copy it into
    ``sink``; a polars error (the input ``name`` unreadable half way) exits 2."""
    folder = Path(out).resolve().parent if out is not None else None
    handle, partial = tempfile.mkstemp(suffix=".partial", dir=folder)
    os.close(handle)
    try:
        write(partial)
        if out is not None:
            os.replace(partial, out)
        else:
            with open(partial, "rb") as written:
                shutil.copyfileobj(written, sink, _COPY_BYTES)
            sink.flush()
    except pl.exceptions.PolarsError as exc:
        kind = "Parquet" if _is_parquet(name) else "CSV"
        detail = str(exc).strip().splitlines()[0]
        raise fail(f"{name}: not a readable {kind} file ({detail})") from exc
    finally:
        Path(partial).unlink(missing_ok=True)


def output_stream() -> BinaryIO:
    """Standard output as bytes, where the CSV goes."""
    return sys.stdout.buffer
