"""A registry prepared for analysis: one row per patient (the index operation, case mix, outcome
status, time to revision, confirmed cause) and one row per counted disability follow-up (score,
MCID reached, within PASS), computed once with the vectorised outcome path.

The index operation is the patient's latest, as for the stored status (the status is measured from
it); time to revision runs from the patient's first operation to the first revision, censored at
the day the data were read. Filtering and summing these two tables is all a dashboard needs, so it
stays fast however often it is redrawn.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

import polars as pl

from spinetrack.analytics.exact import to_units
from spinetrack.analytics.outcomes import changes, counted, patient_names
from spinetrack.analytics.status import classify_table
from spinetrack.domain.instruments import instrument_ids
from spinetrack.domain.outcomes.change import change_rules
from spinetrack.domain.outcomes.rules import status_rules

PATIENTS_SCHEMA = {"patient_id": pl.Int64, "sex": pl.String, "birth_date": pl.Date}
SURGERIES_SCHEMA = {
    "surgery_id": pl.Int64,
    "patient_id": pl.Int64,
    "performed_on": pl.Date,
    "region": pl.String,
    "procedure": pl.String,
    "levels": pl.Int64,
    "surgeon": pl.String,
    "revision_of": pl.Int64,
}
RESPONSES_SCHEMA = {
    "patient_id": pl.Int64,
    "instrument": pl.String,
    "completed_on": pl.Date,
    "score": pl.Float64,
}
CAUSES_SCHEMA = {"patient_id": pl.Int64, "cause": pl.String}


@dataclass(frozen=True)
class RegistryFrames:
    """What analysis reads from a registry, with no names, contact details or record numbers.

    ``responses`` hold scored responses only (percent score where the instrument has one, else the
    raw score); ``causes`` the latest confirmed cause per patient; ``surgeon`` is a display label.
    """

    patients: pl.DataFrame
    surgeries: pl.DataFrame
    responses: pl.DataFrame
    causes: pl.DataFrame
    read_on: date

    def __post_init__(self) -> None:
        for name, schema in (
            ("patients", PATIENTS_SCHEMA),
            ("surgeries", SURGERIES_SCHEMA),
            ("responses", RESPONSES_SCHEMA),
            ("causes", CAUSES_SCHEMA),
        ):
            frame: pl.DataFrame = getattr(self, name)
            wanted = {column: frame.schema.get(column) for column in schema}
            if wanted != schema:
                raise ValueError(f"{name} must have the columns {schema}, got {frame.schema}")


@dataclass(frozen=True)
class PreparedRegistry:
    patients: pl.DataFrame
    """One row per operated patient: see ``prepare``."""
    followups: pl.DataFrame
    """patient_id, rank (0 = baseline), instrument, score, mcid (None without a baseline), passed."""
    read_on: date


def _operations(surgeries: pl.DataFrame, read_on: date) -> pl.DataFrame:
    ordered = surgeries.sort("patient_id", "performed_on", "surgery_id")
    index = ordered.group_by("patient_id").agg(
        pl.col("performed_on").last().alias("index_date"),
        pl.col("region").last(),
        pl.col("procedure").last(),
        pl.col("surgeon").last().fill_null("(not recorded)"),
        pl.col("levels").last(),
        pl.col("revision_of").last().is_not_null().alias("revision"),
        pl.col("performed_on").first().alias("primary_date"),
        pl.col("procedure").first().alias("primary_procedure"),
        pl.col("performed_on")
        .filter(pl.col("revision_of").is_not_null())
        .min()
        .alias("revised_on"),
    )
    end = pl.col("revised_on").fill_null(pl.lit(read_on))
    return index.with_columns(
        pl.col("index_date").dt.year().alias("year"),
        (end - pl.col("primary_date")).dt.total_days().alias("duration"),
        pl.col("revised_on").is_not_null().alias("revised"),
    ).drop("revised_on")


def _points(responses: pl.DataFrame, operations: pl.DataFrame) -> pl.DataFrame:
    known = responses.filter(pl.col("instrument").is_in(instrument_ids()))
    joined = known.join(operations.select("patient_id", "index_date"), on="patient_id")
    return joined.select(
        "patient_id",
        pl.col("instrument").cast(pl.Enum(instrument_ids())),
        (pl.col("completed_on") - pl.col("index_date")).dt.total_days().alias("days_after_surgery"),
        "score",
    )


def _followups(points: pl.DataFrame, statuses: pl.DataFrame) -> pl.DataFrame:
    """The counted responses of each patient's deciding disability instrument, with MCID and PASS."""
    names = instrument_ids()
    deciding = statuses.select(
        "patient_id",
        pl.col("disability_instrument")
        .replace_strict({n: i for i, n in enumerate(names)}, default=None, return_dtype=pl.Int64)
        .alias("deciding"),
    ).drop_nulls("deciding")
    lazy = points.lazy()
    chosen = (
        counted(lazy)
        .join(patient_names(lazy), on="pid")
        .join(deciding.lazy(), on="patient_id")
        .filter(pl.col("inst").cast(pl.Int64) == pl.col("deciding"))
        .collect()
    )
    improved = changes(chosen.lazy()).select(
        "pair", "rank", (pl.col("change") == "improved").alias("mcid")
    )
    pass_units = {
        code: change_rules(name).pass_units
        for code, name in enumerate(names)
        if name in status_rules().disability_instruments
    }
    limit = (
        pl.col("inst")
        .cast(pl.Int64)
        .replace_strict(pass_units, default=None, return_dtype=pl.Int64)
    )
    return (
        chosen.lazy()
        .join(improved, on=["pair", "rank"], how="left")
        .select(
            "patient_id",
            pl.col("rank").cast(pl.Int8),
            pl.col("inst")
            .cast(pl.Int64)
            .replace_strict(dict(enumerate(names)), return_dtype=pl.String)
            .alias("instrument"),
            "score",
            "mcid",
            (to_units(pl.col("score")) <= limit).alias("passed"),
        )
        .collect()
    )


def prepare(frames: RegistryFrames) -> PreparedRegistry:
    """The two analysis tables. Patient columns: patient_id, index_date, year, region, procedure,
    surgeon, levels, revision (the index operation is a revision), age (whole years at the index
    operation), sex, status, disability_instrument, baseline (disability score), primary_date,
    primary_procedure, duration and revised (time to first revision), cause (confirmed)."""
    operations = _operations(frames.surgeries, frames.read_on)
    points = _points(frames.responses, operations)
    statuses = classify_table(points, operations["patient_id"]).select(
        "patient_id", "status", "disability_instrument"
    )
    followups = _followups(points, statuses)
    baseline = followups.filter(pl.col("rank") == 0).select(
        "patient_id", pl.col("score").alias("baseline")
    )
    born = frames.patients.select("patient_id", "sex", "birth_date")
    patients = (
        operations.join(born, on="patient_id", how="left")
        .join(statuses, on="patient_id", how="left")
        .join(baseline, on="patient_id", how="left")
        .join(frames.causes.unique("patient_id", keep="last"), on="patient_id", how="left")
        .with_columns(_age().alias("age"), pl.col("sex").fill_null("unknown"))
        .drop("birth_date")
        .sort("patient_id")
    )
    return PreparedRegistry(patients, followups.sort("patient_id", "rank"), frames.read_on)


def _age() -> pl.Expr:
    """Whole years between birth and the index operation."""
    born, on = pl.col("birth_date"), pl.col("index_date")
    years = on.dt.year().cast(pl.Int32) - born.dt.year().cast(pl.Int32)

    def day_of_year(moment: pl.Expr) -> pl.Expr:  # month and day are Int8: widen first
        return moment.dt.month().cast(pl.Int32) * 100 + moment.dt.day().cast(pl.Int32)

    before_birthday = day_of_year(on) < day_of_year(born)
    return (years - before_birthday.cast(pl.Int32)).cast(pl.Int32)


def replace_patients(
    base: PreparedRegistry, fresh: PreparedRegistry, patients: Collection[int]
) -> PreparedRegistry:
    """``base`` with the listed patients' rows replaced by ``fresh``'s (prepared from just those
    patients' records, on the same day): every row of ``prepare`` depends on one patient's
    records only, so this equals preparing the whole registry again. A listed patient missing
    from ``fresh`` (no operation any more, or deleted) leaves no row."""
    if fresh.read_on != base.read_on:
        raise ValueError("both registries must be read on the same day")
    gone = sorted(patients)

    def merged(old: pl.DataFrame, new: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
        kept = old.filter(~pl.col("patient_id").is_in(gone))
        if new.height == 0:
            return kept
        new = new.select(pl.col(name).cast(dtype) for name, dtype in old.schema.items())
        return pl.concat([kept, new]).sort(keys)

    return PreparedRegistry(
        merged(base.patients, fresh.patients, ["patient_id"]),
        merged(base.followups, fresh.followups, ["patient_id", "rank"]),
        base.read_on,
    )


def censored_at(registry: PreparedRegistry, read_on: date) -> PreparedRegistry:
    """The registry as read on another day: only time to revision of patients not revised runs
    to the day of reading (see ``_operations``); nothing else depends on it."""
    if read_on == registry.read_on:
        return registry
    unrevised = (pl.lit(read_on) - pl.col("primary_date")).dt.total_days()
    duration = pl.when(pl.col("revised")).then(pl.col("duration")).otherwise(unrevised)
    patients = registry.patients.with_columns(
        duration.cast(registry.patients.schema["duration"]).alias("duration")
    )
    return PreparedRegistry(patients, registry.followups, read_on)
