"""Reading a user's CSV for a command: every column as text, the needed columns checked, and every
way a file can be unusable (missing, empty, not CSV, columns absent) turned into one clear exit 2."""

import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import polars as pl

from spinetrack.cli.errors import fail

STDIN = "-"


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


def read_table(name: str, required: Sequence[str]) -> pl.DataFrame:
    """The needed columns of the CSV at ``name`` (``-`` = stdin) as text; exits 2 when unusable.

    Header names are matched without surrounding spaces; other columns are not read."""
    source = _open(name)
    header = {column.strip(): column for column in _parse(name, source, ()).columns}
    missing = [column for column in required if column not in header]
    if missing:
        raise fail(
            f"{name}: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            f"(the header must name {', '.join(required)})"
        )
    table = _parse(name, source, [header[column] for column in required])
    return table.rename({header[column]: column for column in required})


def output_stream() -> BinaryIO:
    """Standard output as bytes, where the CSV goes."""
    return sys.stdout.buffer
