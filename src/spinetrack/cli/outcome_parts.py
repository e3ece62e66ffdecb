"""Classifying a registry too large to hold whole: the points are split by a hash of the patient_id
into parts that each fit in memory, every part is classified on its own, and the parts' sorted
statuses are brought together range of ids by range into one output sorted by patient_id.

Classifying needs every point of a patient at once, so the in-memory path holds the whole file's
points (about 0.5 GB per million patients). Here one streaming pass writes each part to its own
temporary Parquet file, in input order (the counted response of a tie is the first given); every
patient lands in exactly one part, so a part's statuses are the whole file's statuses for its
patients, and peak memory follows the part's size, not the file's."""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from spinetrack.analytics.points import usable
from spinetrack.analytics.status import (
    NUMERIC_ORDER,
    PATIENT,
    classify_unsorted,
    numeric_ids,
    ordered_patients,
    patient_order,
)

_PART = "part"
_JUDGED = "judged"
_SORTED = "sorted"
_IN_ORDER = "in_order"
SHOWN = 5
"""Rows set aside that are described one by one."""
_ROW_GROUP = 65_536
"""Rows per row group of the temporary files: a range of ids reads only the row groups it
overlaps, so smaller groups mean less read twice."""
BUCKET_ROWS = 1_000_000
"""Patients put in order at once when the parts' statuses are brought together (~0.1 GB)."""
_SAMPLES_PER_RANGE = 64


@dataclass(frozen=True)
class PartsResult:
    """What the partitioned path found: the statuses (lazy, sorted by patient_id, to be streamed
    into the output while the temporary folder still exists), how many patients and how many
    rows were set aside, and the first few of those (``row``, ``problem`` code)."""

    statuses: pl.LazyFrame
    patients: int
    rejected_rows: int
    first_rejected: pl.DataFrame


def split(judged: pl.LazyFrame, parts: int, folder: Path) -> None:
    """One streaming pass over ``judged`` (see analytics.points.judged_points) that writes its
    rows into ``parts`` sub-folders by patient hash, usable and set aside alike (``row`` kept
    only on the rows set aside, the only ones reported by row).

    One sink, not one for the usable points and one for the rows set aside: two sinks fed by
    one Parquet scan held the rows the slower one had not taken yet (1.7 GB at 10M patients)."""
    row = pl.when(pl.col("problem").is_not_null()).then(pl.col("row")).alias("row")
    part = (pl.col(PATIENT).hash() % parts).alias(_PART)
    target = pl.PartitionBy(
        folder / _JUDGED, key=_PART, include_key=False, approximate_bytes_per_file=None
    )
    judged.with_columns(row, part).sink_parquet(
        target,
        compression="lz4",
        row_group_size=_ROW_GROUP,
        mkdir=True,
        engine="streaming",
    )


def _rejected_codes(judged: pl.LazyFrame) -> pl.LazyFrame:
    # The problem stays a small code; the few rows shown get their words at the end.
    return judged.filter(pl.col("problem").is_not_null()).select("row", "problem", PATIENT)


@dataclass(frozen=True)
class _Part:
    file: Path | None
    patients: int
    numeric: bool
    set_aside: int
    first_set_aside: pl.DataFrame


def _classify_part(folder: Path, sorted_file: Path) -> _Part:
    """Classify the part whose judged rows are in ``folder`` and write its statuses to
    ``sorted_file``, sorted (as numbers when all its ids are)."""
    judged = pl.read_parquet(sorted(folder.glob("*.parquet"))).lazy()
    points, set_aside = pl.collect_all([usable(judged), _rejected_codes(judged)])
    del judged
    ids = set_aside[PATIENT]
    others = ids.filter(ids.is_not_null() & (ids.str.strip_chars() != ""))
    first = set_aside.select("row", "problem").sort("row").head(SHOWN)
    if points.height == 0 and others.len() == 0:
        return _Part(None, 0, True, set_aside.height, first)
    held = [points]
    del points  # classify_unsorted lets the points go once it has numbered them
    statuses = classify_unsorted(held, others)
    numeric = numeric_ids(statuses[PATIENT])
    ordered = ordered_patients(statuses.lazy(), numeric).collect()
    ordered.write_parquet(sorted_file, compression="lz4", row_group_size=_ROW_GROUP)
    return _Part(sorted_file, statuses.height, numeric, set_aside.height, first)


def _as_text_order(file: Path) -> Path:
    """A part sorted by number, re-sorted as text (another part holds an id that is not one)."""
    table = pl.read_parquet(file).drop(NUMERIC_ORDER)
    ordered = ordered_patients(table.lazy(), numeric=False).collect()
    ordered.write_parquet(file, compression="lz4", row_group_size=_ROW_GROUP)
    return file


def _in_order(files: list[Path], numeric: bool, patients: int, folder: Path) -> pl.LazyFrame:
    """The sorted parts' rows in patient order, as a scan of files that are in order one after
    another (so writing it streams).

    The ids are cut into ranges of about BUCKET_ROWS patients at keys sampled from the sorted
    parts; each range is read from every part (the parts' row groups outside it are skipped by
    their statistics), sorted, and written to its own file. A streaming merge of the parts,
    tried first, held about a gigabyte at 10M patients."""
    key = NUMERIC_ORDER if numeric else PATIENT
    ranges = max(1, -(-patients // BUCKET_ROWS))
    step = max(1, patients // (ranges * _SAMPLES_PER_RANGE))
    sampled = pl.concat([pl.scan_parquet(file).select(key).gather_every(step) for file in files])
    keys = sampled.collect()[key].sort()
    cuts = sorted({keys[len(keys) * i // ranges] for i in range(1, ranges)})
    (folder / _IN_ORDER).mkdir()
    written = []
    for number, (low, high) in enumerate(zip([None, *cuts], [*cuts, None], strict=True)):
        inside = pl.lit(True)
        if low is not None:
            inside = inside & (pl.col(key) >= low)
        if high is not None:
            inside = inside & (pl.col(key) < high)
        rows = pl.scan_parquet(files).filter(inside).sort(patient_order(numeric)).collect()
        written.append(folder / _IN_ORDER / f"{number:06d}.parquet")
        rows.write_parquet(written[-1], compression="lz4", row_group_size=_ROW_GROUP)
    ordered = pl.scan_parquet(written)
    return ordered.drop(NUMERIC_ORDER) if numeric else ordered


def classify_parts(
    judged: pl.LazyFrame, parts: int, folder: Path, advance: Callable[[int], None]
) -> PartsResult:
    """Split ``judged`` into ``parts`` under ``folder``, classify each part, and return the
    statuses in patient order. ``folder`` must outlive the returned lazy frame's collection."""
    split(judged, parts, folder)
    advance(1)
    (folder / _SORTED).mkdir()
    done = [
        _classify_part(part, folder / _SORTED / f"{part.name}.parquet")
        for part in (sorted((folder / _JUDGED).iterdir()) if (folder / _JUDGED).is_dir() else [])
    ]
    advance(1)
    classified = [(part, part.file) for part in done if part.file is not None]
    numeric = all(part.numeric for part, _ in classified)
    files = [file if part.numeric == numeric else _as_text_order(file) for part, file in classified]
    patients = sum(part.patients for part, _ in classified)
    if files:
        statuses = _in_order(files, numeric, patients, folder)
    else:
        empty = pl.DataFrame(schema=usable(judged).collect_schema())
        statuses = classify_unsorted([empty]).lazy()
    firsts = [part.first_set_aside for part in done]
    if firsts:
        first = pl.concat(firsts).sort("row").head(SHOWN)
    else:
        first = pl.DataFrame(
            schema=_rejected_codes(judged).select("row", "problem").collect_schema()
        )
    set_aside = sum(part.set_aside for part in done)
    return PartsResult(statuses, patients, set_aside, first)


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    """Where the parts go: the system's temporary folder, removed when the run ends."""
    return tempfile.TemporaryDirectory(prefix="spinetrack-outcomes-")
