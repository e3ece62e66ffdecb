"""Classifying a registry too large to hold whole: the points are split by a hash of the patient_id
into parts that each fit in memory, every part is classified on its own, and the parts' statuses
are cut into ranges of ids, each range sorted on its own, into one output sorted by patient_id.

Classifying needs every point of a patient at once, so the in-memory path holds the whole file's
points (about 0.5 GB per million patients). Here one streaming pass writes each part to its own
temporary Arrow IPC file, in input order (the counted response of a tie is the first given); every
patient lands in exactly one part, so a part's statuses are the whole file's statuses for its
patients, and peak memory follows the part's size, not the file's."""

import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from spinetrack.analytics.points import usable
from spinetrack.analytics.status import (
    PATIENT,
    classify_unsorted,
    in_patient_order,
    numeric_ids,
)

_PART = "part"
_JUDGED = "judged"
_RANGES = "ranges"
_TEXT_RANGES = "text_ranges"
_RANGE = "range"
SHOWN = 5
"""Rows set aside that are described one by one."""
BUCKET_ROWS = 1_000_000
"""Patients put in order at once when the parts' statuses are brought together (~0.1 GB)."""


@dataclass(frozen=True)
class PartsResult:
    """What the partitioned path found: the statuses (frames sorted by patient_id, one after
    another in patient order, at least one; each is read from the temporary folder as it is
    taken, so they are taken while that folder exists), how many patients and how many rows
    were set aside, and the first few of those (``row``, ``problem`` code)."""

    statuses: Iterator[pl.DataFrame]
    patients: int
    rejected_rows: int
    first_rejected: pl.DataFrame


def split(judged: pl.LazyFrame, parts: int, folder: Path) -> None:
    """One streaming pass over ``judged`` (see analytics.points.judged_points) that writes its
    rows into ``parts`` sub-folders by patient hash, usable and set aside alike (``row`` kept
    only on the rows set aside, the only ones reported by row).

    The parts are uncompressed Arrow IPC, read back whole: Parquet's encoding and compression cost
    about a sixth of the whole run's CPU at 10M patients, for files read once a few seconds later.
    One sink, not one for the usable points and one for the rows set aside: two sinks fed by
    one Parquet scan held the rows the slower one had not taken yet (1.7 GB at 10M patients)."""
    row = pl.when(pl.col("problem").is_not_null()).then(pl.col("row")).alias("row")
    part = (pl.col(PATIENT).hash() % parts).alias(_PART)
    target = pl.PartitionBy(
        folder / _JUDGED, key=_PART, include_key=False, approximate_bytes_per_file=None
    )
    judged.with_columns(row, part).sink_ipc(
        target, compression=None, mkdir=True, engine="streaming"
    )


def _rejected_codes(judged: pl.LazyFrame) -> pl.LazyFrame:
    # The problem stays a small code; the few rows shown get their words at the end.
    return judged.filter(pl.col("problem").is_not_null()).select("row", "problem", PATIENT)


@dataclass(frozen=True)
class _Cuts:
    """Where the patients are cut into ranges of about BUCKET_ROWS: ``keys`` ascending, range
    ``b`` holding the ids from ``keys[b - 1]`` up to, not including, ``keys[b]``. The keys are
    the ids' values when ``numeric`` (an id that is not a number falls in range 0), else their
    text."""

    numeric: bool
    keys: pl.Series

    @classmethod
    def sampled(cls, ids: pl.Series, numeric: bool, patients: int) -> "_Cuts":
        """Cuts for ``patients`` patients from ``ids``, a sample of them drawn at random (a
        part's: the hash spreads the patients evenly over the parts)."""
        values = (ids.cast(pl.Int64) if numeric else ids).sort()
        ranges = max(1, -(-patients // BUCKET_ROWS))
        picked = pl.Series([values[values.len() * i // ranges] for i in range(1, ranges)])
        return cls(numeric, picked.cast(values.dtype).unique().sort())

    def range_of(self) -> pl.Expr:
        """The range each row's patient_id falls in."""
        ids = pl.col(PATIENT)
        key = ids.cast(pl.Int64, strict=False) if self.numeric else ids
        return pl.lit(self.keys).search_sorted(key, side="right").alias(_RANGE)

    def write(self, statuses: pl.DataFrame, folder: Path, name: str) -> None:
        """``statuses`` into the ranges' sub-folders of ``folder``, as ``name``."""
        ranged = statuses.with_columns(self.range_of())
        for (number,), rows in ranged.partition_by(_RANGE, as_dict=True, include_key=False).items():
            (folder / f"{number:06d}").mkdir(parents=True, exist_ok=True)
            rows.write_ipc(folder / f"{number:06d}" / name, compression="uncompressed")


@dataclass(frozen=True)
class _Part:
    statuses: pl.DataFrame | None
    set_aside: int
    first_set_aside: pl.DataFrame


def _classify_part(folder: Path) -> _Part:
    """Classify the part whose judged rows are in ``folder``: its statuses (unsorted) and its
    rows set aside."""
    files = sorted(folder.glob("*.ipc"))
    judged = pl.concat([pl.read_ipc(file) for file in files], rechunk=False).lazy()
    points, set_aside = pl.collect_all([usable(judged), _rejected_codes(judged)])
    del judged
    ids = set_aside[PATIENT]
    others = ids.filter(ids.is_not_null() & (ids.str.strip_chars() != ""))
    first = set_aside.select("row", "problem").sort("row").head(SHOWN)
    if points.height == 0 and others.len() == 0:
        return _Part(None, set_aside.height, first)
    held = [points]
    del points  # classify_unsorted lets the points go once it has numbered them
    return _Part(classify_unsorted(held, others), set_aside.height, first)


def _read_range(folder: Path) -> pl.DataFrame:
    return pl.concat([pl.read_ipc(file) for file in sorted(folder.glob("*.ipc"))])


def _recut(ranges: Path, cuts: _Cuts, folder: Path) -> Path:
    """The statuses in ``ranges`` cut again by ``cuts`` into ``folder``, one range at a time."""
    for number, old in enumerate(sorted(ranges.iterdir())):
        cuts.write(_read_range(old), folder, f"{number:06d}.ipc")
    return folder


def _in_order(ranges: Path, numeric: bool) -> Iterator[pl.DataFrame]:
    """The statuses, cut into ``ranges`` of the final order, each range read and sorted on its own
    when the one before has been taken: one range in memory at a time."""
    for old in sorted(ranges.iterdir()):
        yield in_patient_order(_read_range(old), numeric)


def spilled(frames: Iterable[pl.DataFrame], folder: Path) -> pl.LazyFrame:
    """``frames`` written one by one into ``folder`` (uncompressed Arrow IPC), scanned in their
    order: for a writer that needs one lazy frame (Parquet) to stream them out."""
    folder.mkdir()
    written = []
    for number, frame in enumerate(frames):
        written.append(folder / f"{number:06d}.ipc")
        frame.write_ipc(written[-1], compression="uncompressed")
    return pl.scan_ipc(written)


def _first_part_sample(ranges: Path) -> pl.Series:
    """The ids of the first part with statuses, which sit in ``ranges`` under its name."""
    first = min(file.name for file in ranges.rglob("*.ipc"))
    return pl.concat([pl.read_ipc(file)[PATIENT] for file in sorted(ranges.rglob(first))])


def classify_parts(
    judged: pl.LazyFrame, parts: int, folder: Path, advance: Callable[[int], None]
) -> PartsResult:
    """Split ``judged`` into ``parts`` under ``folder``, classify each part, and return the
    statuses in patient order. ``folder`` must outlive the returned lazy frame's collection.

    The first part with statuses, a random sample of the patients, sets where the ids are cut
    into ranges; every part's statuses go to those ranges straight away, so each range is sorted
    once, on its own. When the sample's ids are numbers but another part's are not (the order is
    then the ids' text), the ranges are cut again by text."""
    split(judged, parts, folder)
    advance(1)
    cuts: _Cuts | None = None
    numeric = True
    patients = set_aside = 0
    firsts = []
    for part in sorted((folder / _JUDGED).iterdir()) if (folder / _JUDGED).is_dir() else []:
        done = _classify_part(part)
        set_aside += done.set_aside
        firsts.append(done.first_set_aside)
        if done.statuses is None:
            continue
        ids = done.statuses[PATIENT]
        numeric = numeric and numeric_ids(ids)
        if cuts is None:
            cuts = _Cuts.sampled(ids, numeric, ids.len() * parts)
        cuts.write(done.statuses, folder / _RANGES, f"{part.name}.ipc")
        patients += ids.len()
    advance(1)
    if cuts is None:
        empty = pl.DataFrame(schema=usable(judged).collect_schema())
        statuses = iter([classify_unsorted([empty])])
    else:
        ranges = folder / _RANGES
        if cuts.numeric and not numeric:
            text = _Cuts.sampled(_first_part_sample(ranges), False, patients)
            ranges = _recut(ranges, text, folder / _TEXT_RANGES)
        statuses = _in_order(ranges, numeric)
    if firsts:
        first = pl.concat(firsts).sort("row").head(SHOWN)
    else:
        first = pl.DataFrame(
            schema=_rejected_codes(judged).select("row", "problem").collect_schema()
        )
    return PartsResult(statuses, patients, set_aside, first)


def temporary_folder() -> tempfile.TemporaryDirectory[str]:
    """Where the parts go: the system's temporary folder, removed when the run ends."""
    return tempfile.TemporaryDirectory(prefix="spinetrack-outcomes-")
