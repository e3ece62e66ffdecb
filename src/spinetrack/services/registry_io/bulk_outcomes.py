"""The outcome rows of many new patients at once, for bulk imports: the columns `outcome_row`
stores (services/records/patient_status), computed by the vectorised outcome path
(`analytics.status`, `analytics.followup`, held to the domain's answers by tests) instead of one
`classify_patient` per patient, which cost the 100,000-patient demo about a tenth of its load.

A score the domain's ScorePoint would refuse (an unknown instrument, a score off the scale) is
refused here with the domain's own error, before anything is classified."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import polars as pl

from spinetrack.analytics.followup import NEXT_COLUMNS, next_followups
from spinetrack.analytics.status import LOSING_GROUND, OUTCOME_COLUMNS, classify_unsorted
from spinetrack.domain.instruments import instrument_ids
from spinetrack.domain.outcomes import ScorePoint
from spinetrack.domain.outcomes.counted_score import SCORED, counted_score
from spinetrack.domain.outcomes.points import score_range
from spinetrack.services.records.patient_status import IndexSurgery, assessment_columns

INDEX_COLUMNS = ("index_surgery_id", "region", "procedure", "surgeon_id", "surgery_date")


@dataclass(frozen=True, slots=True)
class NewPatientRecord:
    """What a new patient's outcome row is computed from: the index surgery (None without a
    performed one) and the stored response rows (their scoring columns and completed_at)."""

    patient_id: int
    index: IndexSurgery | None
    responses: Sequence[Mapping[str, Any]]


def _points(records: Sequence[NewPatientRecord]) -> pl.DataFrame:
    """The counted scores of the patients with an index surgery, in days after it."""
    ids: list[int] = []
    instruments: list[str] = []
    days: list[int] = []
    scores: list[float] = []
    for record in records:
        if record.index is None:
            continue
        index_day = record.index.performed_on
        for row in record.responses:
            value = counted_score(row["score_status"], row["score_raw"], row["score_percent"])
            if value is None:
                continue
            ids.append(record.patient_id)
            instruments.append(row["instrument"])
            days.append((row["completed_at"].date() - index_day).days)
            scores.append(value)
    return pl.DataFrame(
        {
            "patient_id": ids,
            "instrument": instruments,
            "days_after_surgery": days,
            "score": scores,
        },
        schema={
            "patient_id": pl.Int64,
            "instrument": pl.String,
            "days_after_surgery": pl.Int64,
            "score": pl.Float64,
        },
    )


def _refuse_what_the_domain_refuses(points: pl.DataFrame) -> None:
    """Raise the domain's error for the first point ScorePoint would not accept."""
    known = instrument_ids()
    limits = pl.DataFrame(
        {
            "instrument": known,
            "low": [score_range(i)[0] for i in known],
            "high": [score_range(i)[1] for i in known],
        }
    )
    judged = points.join(limits, on="instrument", how="left", maintain_order="left")
    bad = judged.filter(
        pl.col("low").is_null()
        | ~pl.col("score").is_finite()
        | ~pl.col("score").is_between(pl.col("low"), pl.col("high"))
    )
    if bad.height:
        row = bad.row(0, named=True)
        ScorePoint(row["instrument"], row["days_after_surgery"], row["score"])


def column_points(records: Sequence[NewPatientRecord], responses: pl.DataFrame) -> pl.DataFrame:
    """The counted scores (`counted_score`: the percentage, else the raw score, of a response
    scored "ok") of response rows given as columns (``patient_id``, ``instrument``,
    ``completed_at``, ``score_status``, ``score_raw``, ``score_percent``), for the records with an
    index surgery, in days after it; in the rows' order, as `_points` lists them."""
    indexed = [r for r in records if r.index is not None]
    index_days = pl.DataFrame(
        {
            "patient_id": [r.patient_id for r in indexed],
            "index_day": [r.index.performed_on for r in indexed if r.index is not None],
        },
        schema={"patient_id": pl.Int64, "index_day": pl.Date},
    )
    return (
        responses.filter(pl.col("score_status") == SCORED)
        .join(index_days, on="patient_id", how="inner", maintain_order="left")
        .select(
            pl.col("patient_id").cast(pl.Int64),
            pl.col("instrument"),
            (pl.col("completed_at").dt.date() - pl.col("index_day"))
            .dt.total_days()
            .cast(pl.Int64)
            .alias("days_after_surgery"),
            pl.coalesce("score_percent", "score_raw").cast(pl.Float64).alias("score"),
        )
        .filter(pl.col("score").is_not_null())
    )


def outcome_rows(
    records: Sequence[NewPatientRecord], today: date, more: pl.DataFrame | None = None
) -> list[dict[str, Any]]:
    """Each record's outcome row, in the records' order: every column `outcome_row` gives, and
    the assessment columns of a patient with no triage assessment yet. ``more`` holds counted
    scores of the same patients given as columns (`column_points`), after the records' own."""
    points = _points(records)
    if more is not None and more.height:
        points = pl.concat([points, more])
    _refuse_what_the_domain_refuses(points)
    everyone = pl.Series("patient_id", [r.patient_id for r in records], dtype=pl.Int64)
    statuses = classify_unsorted([points], everyone, with_losing_ground=True)
    indexed = [r for r in records if r.index is not None]
    surgeries = pl.DataFrame(
        {
            "patient_id": [r.patient_id for r in indexed],
            "surgery_date": [r.index.performed_on for r in indexed if r.index is not None],
        },
        schema={"patient_id": pl.Int64, "surgery_date": pl.Date},
    )
    following = next_followups(surgeries, points.select("patient_id", "days_after_surgery"), today)
    table = (
        pl.DataFrame({"patient_id": everyone})
        .join(statuses, on="patient_id", how="left", maintain_order="left")
        .join(following, on="patient_id", how="left", maintain_order="left")
    )
    computed_at = datetime.now(UTC)
    unassessed = assessment_columns(None, None, None)
    names = [*OUTCOME_COLUMNS, LOSING_GROUND, *NEXT_COLUMNS]
    rows = []
    for record, values in zip(records, table.select(names).iter_rows(), strict=True):
        row = dict(zip(names, values, strict=True))
        index = record.index
        copied = (
            (index.id, index.region, index.procedure, index.surgeon_id, index.performed_on)
            if index is not None
            else (None,) * len(INDEX_COLUMNS)
        )
        row.update(zip(INDEX_COLUMNS, copied, strict=True))
        row["computed_at"] = computed_at
        row.update(unassessed)
        rows.append(row)
    return rows
