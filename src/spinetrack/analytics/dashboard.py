"""The registry figures a department head reads: cohort size, follow-up response by time point,
MCID and PASS shares with Wilson intervals, failing and relapsed shares, the PROM trajectory
(median and interquartile range), the surgeon funnel, revision-free survival and the leading
confirmed causes, for one selection of period, region, procedure and surgeon.

Rates over fewer than MIN_CELL patients are withheld: the US Centers for Medicare & Medicaid
Services' cell size suppression policy displays no count of 10 or less, a rule many registries
follow so that a small cell cannot point at a person, and because such rates are mostly noise.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import polars as pl

from spinetrack.analytics.casemix import CaseMixModel, NoModel, adjusted_rates
from spinetrack.analytics.cohort import PreparedRegistry
from spinetrack.analytics.funnel import ALARM, WARNING, FunnelPoint, classify
from spinetrack.analytics.intervals import Proportion, proportion
from spinetrack.analytics.survival import SurvivalCurve, revision_free
from spinetrack.domain.outcomes import schedule

MIN_CELL = 11
FAILED = ("failing", "relapsed")
"""Not doing well: pain that persists (failing) or returns (relapsed), as PSPS-2 is defined."""
JUDGED = ("succeeding", *FAILED)
TOP_CAUSES = 8


@dataclass(frozen=True)
class Filters:
    period: int | None = None
    """Calendar year of the index operation; None for every year."""
    region: str | None = None
    procedure: str | None = None
    surgeon: str | None = None

    def describe(self) -> str:
        parts = [
            f"operated in {self.period}" if self.period else "all years",
            self.region or "every region",
            (self.procedure or "every procedure").replace("_", " "),
            self.surgeon or "every surgeon",
        ]
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class TimepointRow:
    timepoint: str
    eligible: int
    responded: Proportion
    mcid: Proportion
    passed: Proportion


@dataclass(frozen=True, slots=True)
class TrajectoryRow:
    instrument: str
    timepoint: str
    day: int
    patients: int
    q25: float
    median: float
    q75: float


@dataclass(frozen=True, slots=True)
class CauseRow:
    cause: str
    patients: int
    share: float


@dataclass(frozen=True)
class Funnel:
    practice_rate: float | None
    judged: int
    points: list[FunnelPoint]
    withheld: list[str]
    """Surgeons with fewer than MIN_CELL judged patients, left off the plot."""


@dataclass(frozen=True)
class Dashboard:
    filters: Filters
    read_on: str
    patients: int
    statuses: dict[str, int]
    judged: int
    failing: Proportion
    relapsed: Proportion
    failed: Proportion
    timepoints: list[TimepointRow]
    trajectory: list[TrajectoryRow]
    funnel: Funnel
    survival: list[SurvivalCurve]
    causes: list[CauseRow]
    causes_confirmed: int
    adjusted: CaseMixModel | NoModel | None = None
    options: dict[str, list[str]] = field(default_factory=dict)


def select(prepared: PreparedRegistry, filters: Filters) -> pl.DataFrame:
    table = prepared.patients
    conditions = []
    if filters.period is not None:
        conditions.append(pl.col("year") == filters.period)
    for column in ("region", "procedure", "surgeon"):
        value = getattr(filters, column)
        if value is not None:
            conditions.append(pl.col(column) == value)
    return table.filter(*conditions) if conditions else table


def _timepoints(prepared: PreparedRegistry, chosen: pl.DataFrame) -> list[TimepointRow]:
    ids = chosen.select("patient_id", "index_date")
    follow = prepared.followups.join(ids, on="patient_id")
    per_rank = follow.group_by("rank").agg(
        pl.col("patient_id").alias("who"),
        pl.col("mcid").is_not_null().sum().alias("with_baseline"),
        pl.col("mcid").fill_null(False).sum().alias("mcid"),
        pl.col("passed").sum().alias("passed"),
        pl.len().alias("answered"),
    )
    rows = []
    read_on = prepared.read_on
    for rank, point in enumerate(schedule()):
        closed = read_on - timedelta(days=point.end)
        due = ids if rank == 0 else ids.filter(pl.col("index_date") <= closed)
        found = per_rank.filter(pl.col("rank") == rank)
        answered_ids = pl.Series(found["who"][0]) if found.height else pl.Series([], dtype=pl.Int64)
        responded = due["patient_id"].is_in(answered_ids.implode()).sum() if due.height else 0
        stats = found.row(0, named=True) if found.height else {}
        rows.append(
            TimepointRow(
                timepoint=point.id,
                eligible=due.height,
                responded=proportion(int(responded), due.height),
                mcid=proportion(int(stats.get("mcid", 0)), int(stats.get("with_baseline", 0))),
                passed=proportion(int(stats.get("passed", 0)), int(stats.get("answered", 0))),
            )
        )
    return rows


def _trajectory(prepared: PreparedRegistry, chosen: pl.DataFrame) -> list[TrajectoryRow]:
    follow = prepared.followups.join(chosen.select("patient_id"), on="patient_id")
    bands = (
        follow.group_by("instrument", "rank")
        .agg(
            pl.len().alias("patients"),
            pl.col("score").quantile(0.25, interpolation="linear").alias("q25"),
            pl.col("score").median().alias("median"),
            pl.col("score").quantile(0.75, interpolation="linear").alias("q75"),
        )
        .sort("instrument", "rank")
    )
    points = schedule()
    return [
        TrajectoryRow(
            row["instrument"],
            points[row["rank"]].id,
            points[row["rank"]].nominal,
            row["patients"],
            row["q25"],
            row["median"],
            row["q75"],
        )
        for row in bands.iter_rows(named=True)
        if row["patients"] >= MIN_CELL
    ]


def _failed() -> pl.Expr:
    return pl.col("status").is_in(FAILED)


def _funnel(judged: pl.DataFrame) -> Funnel:
    per = (
        judged.group_by("surgeon")
        .agg(pl.len().alias("n"), _failed().sum().alias("events"))
        .sort("surgeon")
    )
    if judged.height == 0:
        return Funnel(None, 0, [], per["surgeon"].to_list())
    p0 = float(judged.select(_failed().mean()).item())
    shown = per.filter(pl.col("n") >= MIN_CELL)
    points = [classify(p0, r["surgeon"], r["events"], r["n"]) for r in shown.iter_rows(named=True)]
    withheld = per.filter(pl.col("n") < MIN_CELL)["surgeon"].to_list()
    return Funnel(p0, judged.height, points, withheld)


def _causes(chosen: pl.DataFrame) -> tuple[list[CauseRow], int]:
    confirmed = chosen.drop_nulls("cause")
    counts = (
        confirmed.group_by("cause")
        .agg(pl.len().alias("n"))
        .sort(["n", "cause"], descending=[True, False])
    )
    total = confirmed.height
    rows = [
        CauseRow(r["cause"], r["n"], r["n"] / total)
        for r in counts.head(TOP_CAUSES).iter_rows(named=True)
    ]
    return rows, total


def model_input(judged: pl.DataFrame) -> pl.DataFrame:
    return judged.select(
        _failed().alias("failed"),
        "surgeon",
        "age",
        "levels",
        "baseline",
        "sex",
        "region",
        "procedure",
        "revision",
    )


def options(prepared: PreparedRegistry) -> dict[str, list[str]]:
    table = prepared.patients
    return {
        "period": [str(y) for y in sorted(table["year"].unique().to_list(), reverse=True)],
        "region": sorted(table["region"].unique().to_list()),
        "procedure": sorted(table["procedure"].unique().to_list()),
        "surgeon": sorted(table["surgeon"].unique().to_list()),
    }


def summarise(prepared: PreparedRegistry, filters: Filters, *, adjust: bool = False) -> Dashboard:
    """Every figure for one selection; ``adjust`` also fits the case-mix model (slower)."""
    chosen = select(prepared, filters)
    statuses = dict(chosen.group_by("status").len().iter_rows())
    judged = chosen.filter(pl.col("status").is_in(JUDGED))
    failing = int(statuses.get("failing", 0))
    relapsed = int(statuses.get("relapsed", 0))
    causes, confirmed = _causes(chosen)
    # A surgeon comparison is made across surgeons, so it ignores the surgeon filter.
    peers = select(prepared, Filters(filters.period, filters.region, filters.procedure))
    peers_judged = peers.filter(pl.col("status").is_in(JUDGED))
    adjusted = adjusted_rates(model_input(peers_judged)) if adjust else None
    return Dashboard(
        filters=filters,
        read_on=prepared.read_on.isoformat(),
        patients=chosen.height,
        statuses={str(k): int(v) for k, v in statuses.items()},
        judged=judged.height,
        failing=proportion(failing, judged.height),
        relapsed=proportion(relapsed, judged.height),
        failed=proportion(failing + relapsed, judged.height),
        timepoints=_timepoints(prepared, chosen),
        trajectory=_trajectory(prepared, chosen),
        funnel=_funnel(peers_judged),
        survival=revision_free(chosen, "primary_procedure") if chosen.height else [],
        causes=causes,
        causes_confirmed=confirmed,
        adjusted=adjusted,
        options=options(prepared),
    )


__all__ = ["ALARM", "WARNING", "Dashboard", "Filters", "summarise"]
