"""Vectorised next follow-up for many patients at once, by the rule of
spinetrack.domain.outcomes.next_followup: the earliest time point of the schedule with no answer
whose window has not closed on ``today``. Bulk imports date the follow-ups of every new patient
with it instead of one Python call per patient and per response."""

from datetime import date

import polars as pl

from spinetrack.analytics.outcomes import timepoint_rank
from spinetrack.domain.outcomes import schedule

PATIENT = "patient_id"
NEXT_COLUMNS = ("next_timepoint", "next_due_on", "next_window_closes_on")


def _answered(points: pl.LazyFrame) -> pl.LazyFrame:
    """patient_id -> one boolean column per time point: some point of the patient lies in its
    window (any instrument: a questionnaire answered there is not chased again)."""
    placed = points.select(PATIENT, pl.col("days_after_surgery").alias("days")).with_columns(
        timepoint_rank().alias("rank")
    )
    return placed.group_by(PATIENT).agg(
        (pl.col("rank") == position).any().alias(f"answered_{position}")
        for position in range(len(schedule()))
    )


def next_followups(surgeries: pl.DataFrame, points: pl.DataFrame, today: date) -> pl.DataFrame:
    """One row per row of ``surgeries`` (patient_id, surgery_date: the index surgery's day), in
    its order, with NEXT_COLUMNS (all null when nothing is owed). ``points`` hold the patients'
    scored responses as patient_id and days_after_surgery (from that index surgery)."""
    timepoints = schedule()
    answered = [pl.col(f"answered_{p}").fill_null(False) for p in range(len(timepoints))]
    start = pl.col("surgery_date")
    chosen: pl.Expr = pl.lit(None, pl.Int64)
    for position in reversed(range(len(timepoints))):
        closes = start + pl.duration(days=timepoints[position].end)
        owed = ~answered[position] & (closes >= pl.lit(today))
        chosen = pl.when(owed).then(pl.lit(position, pl.Int64)).otherwise(chosen)

    def days(offsets: dict[int, int]) -> pl.Expr:
        return pl.duration(
            days=pl.col("chosen").replace_strict(offsets, default=None, return_dtype=pl.Int64)
        )

    return (
        surgeries.lazy()
        .select(PATIENT, "surgery_date")
        .join(_answered(points.lazy()), on=PATIENT, how="left", maintain_order="left")
        .with_columns(chosen.alias("chosen"))
        .select(
            PATIENT,
            pl.col("chosen")
            .replace_strict(dict(enumerate(t.id for t in timepoints)), default=None)
            .cast(pl.String)
            .alias("next_timepoint"),
            (start + days({p: t.nominal for p, t in enumerate(timepoints)})).alias("next_due_on"),
            (start + days({p: t.end for p, t in enumerate(timepoints)})).alias(
                "next_window_closes_on"
            ),
        )
        .collect()
    )
