"""The registry figures a department head reads: cohort size, follow-up response by time point,
MCID and PASS shares with Wilson intervals, failing and relapsed shares, the PROM trajectory
(median and interquartile range), the surgeon funnel, revision-free survival and the leading
confirmed causes, for one selection of period, region, procedure and surgeon.

``summarise`` computes the true figures (for tests and for the disclosure checks); what pages,
reports and downloads show comes from ``publish``, which reads every count through the disclosure
cube (analytics/disclosure.py): counts below the clinic's threshold, and the counts that would give
them away, are withheld (None), the funnel and the survival curves keep only what may be shown.
MIN_CELL is the default threshold (knowledge/analytics/disclosure.yaml, after the US Centers for
Medicare & Medicaid Services' cell size suppression policy).
"""

from dataclasses import dataclass, field, replace
from datetime import timedelta

import polars as pl

from spinetrack.analytics.casemix import CaseMixModel, NoModel, adjusted_rates
from spinetrack.analytics.cohort import PreparedRegistry
from spinetrack.analytics.disclosure import (
    DisclosureCube,
    answered_with,
    cause_measure,
    survival_measure,
    timepoint_measure,
)
from spinetrack.analytics.funnel import ALARM, WARNING, FunnelPoint, classify
from spinetrack.analytics.intervals import Proportion, proportion
from spinetrack.analytics.survival import SurvivalCurve, revision_free
from spinetrack.domain.disclosure import disclosure_rule
from spinetrack.domain.outcomes import schedule

MIN_CELL = disclosure_rule().threshold
FAILED = ("failing", "relapsed")
"""Not doing well: pain that persists (failing) or returns (relapsed), as PSPS-2 is defined."""
JUDGED = ("succeeding", *FAILED)
TOP_CAUSES = 8


@dataclass(frozen=True)
class DashboardFilters:
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
    eligible: int | None
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
    patients: int | None
    share: float | None


@dataclass(frozen=True)
class Funnel:
    practice_rate: float | None
    judged: int
    points: list[FunnelPoint]
    withheld: list[str]
    """Surgeons whose figures are withheld, left off the plot (not named once published)."""
    hidden: int = 0
    """How many surgeons are left off (published figures only)."""


@dataclass(frozen=True)
class Dashboard:
    filters: DashboardFilters
    read_on: str
    patients: int | None
    statuses: dict[str, int]
    judged: int | None
    failing: Proportion
    relapsed: Proportion
    failed: Proportion
    timepoints: list[TimepointRow]
    trajectory: list[TrajectoryRow]
    funnel: Funnel
    survival: list[SurvivalCurve]
    causes: list[CauseRow]
    causes_confirmed: int | None
    adjusted: CaseMixModel | NoModel | None = None
    options: dict[str, list[str]] = field(default_factory=dict)
    threshold: int = MIN_CELL
    """Counts below this are withheld on the published dashboard."""
    withheld_causes: bool = False
    withheld_curves: bool = False
    """Some causes or survival groups are left out because their counts are withheld."""


def select(prepared: PreparedRegistry, filters: DashboardFilters) -> pl.DataFrame:
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


def summarise(
    prepared: PreparedRegistry, filters: DashboardFilters, *, adjust: bool = False
) -> Dashboard:
    """Every figure for one selection; ``adjust`` also fits the case-mix model (slower)."""
    chosen = select(prepared, filters)
    statuses = dict(chosen.group_by("status").len().iter_rows())
    judged = chosen.filter(pl.col("status").is_in(JUDGED))
    failing = int(statuses.get("failing", 0))
    relapsed = int(statuses.get("relapsed", 0))
    causes, confirmed = _causes(chosen)
    # A surgeon comparison is made across surgeons, so it ignores the surgeon filter.
    peers = select(prepared, DashboardFilters(filters.period, filters.region, filters.procedure))
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


def _published_funnel(
    cube: DisclosureCube, filters: DashboardFilters, model: CaseMixModel | NoModel | None
) -> tuple[Funnel, CaseMixModel | NoModel | None]:
    """The surgeons whose judged and failed counts may both be shown, against the peers' rate."""
    peers = (filters.period, filters.region, filters.procedure, None)
    peer_judged = cube.shown("judged", peers)
    peer_failed = cube.shown("failed", peers)
    p0 = peer_failed / peer_judged if peer_judged and peer_failed is not None else None
    points = []
    hidden = 0
    for surgeon in cube.dimension_values("surgeon"):
        at = (filters.period, filters.region, filters.procedure, surgeon)
        if cube.true_count("judged", at) == 0:
            continue
        n, events = cube.shown("judged", at), cube.shown("failed", at)
        if p0 is None or not n or events is None:
            hidden += 1
            continue
        points.append(classify(p0, str(surgeon), events, n))
    if isinstance(model, CaseMixModel) and peer_judged is None:
        model = NoModel("the comparison group is too small to publish")
    if isinstance(model, CaseMixModel):
        kept = {p.unit for p in points}
        model = replace(model, rates=[r for r in model.rates if r.surgeon in kept])
    return Funnel(p0, peer_judged or 0, points, [], hidden), model


def _published_causes(
    cube: DisclosureCube, where: tuple[object | None, ...]
) -> tuple[list[CauseRow], bool]:
    """The confirmed causes whose counts may be shown (largest first); and whether any is not."""
    confirmed = cube.shown("confirmed", where)
    names = sorted(m.removeprefix("cause:") for m in cube.measures if m.startswith("cause:"))
    causes = []
    withheld = confirmed is None
    for cause in names:
        count = cube.shown(cause_measure(cause), where)
        withheld = withheld or count is None
        if count:
            causes.append(CauseRow(cause, count, count / confirmed if confirmed else None))
    causes.sort(key=lambda c: (-(c.patients or 0), c.cause))
    return causes, withheld


def publish(
    prepared: PreparedRegistry,
    cube: DisclosureCube,
    filters: DashboardFilters,
    *,
    adjust: bool = False,
) -> Dashboard:
    """The figures of one selection as they may be shown: every count comes from ``cube``, so a
    withheld count is None here and everything computed from it is withheld with it."""
    raw = summarise(prepared, filters, adjust=adjust)
    where = (filters.period, filters.region, filters.procedure, filters.surgeon)

    def shown(measure: str, at: tuple[object | None, ...] = where) -> int | None:
        return cube.shown(measure, at)

    judged = shown("judged")
    timepoints = [
        TimepointRow(
            row.timepoint,
            shown(timepoint_measure("due", rank)),
            proportion(
                shown(timepoint_measure("responded", rank)), shown(timepoint_measure("due", rank))
            ),
            proportion(
                shown(timepoint_measure("mcid", rank)), shown(timepoint_measure("baseline", rank))
            ),
            proportion(
                shown(timepoint_measure("passed", rank)),
                shown(timepoint_measure("answered", rank)),
            ),
        )
        for rank, row in enumerate(raw.timepoints)
    ]
    ranks = {point.id: rank for rank, point in enumerate(schedule())}
    trajectory = [
        replace(row, patients=count)
        for row in raw.trajectory
        if (count := shown(answered_with(row.instrument, ranks[row.timepoint])))
    ]
    funnel, model = _published_funnel(cube, filters, raw.adjusted)
    causes, withheld_causes = _published_causes(cube, where)
    confirmed = shown("confirmed")
    curves = []
    for curve in raw.survival:
        followed = shown(survival_measure("followed", curve.group))
        revised = shown(survival_measure("revised", curve.group))
        if followed and revised is not None:
            curves.append(replace(curve, patients=followed).stopped_below(cube.threshold))
    failing, relapsed, failed = shown("failing"), shown("relapsed"), shown("failed")
    return Dashboard(
        filters=filters,
        read_on=raw.read_on,
        patients=shown("patients"),
        statuses={
            name: count
            for name in ("failing", "relapsed", "succeeding")
            if (count := shown(name)) is not None
        },
        judged=judged,
        failing=proportion(failing, judged),
        relapsed=proportion(relapsed, judged),
        failed=proportion(failed, judged),
        timepoints=timepoints,
        trajectory=trajectory,
        funnel=funnel,
        survival=curves,
        causes=causes,
        causes_confirmed=confirmed,
        adjusted=model,
        options=raw.options,
        threshold=cube.threshold,
        withheld_causes=withheld_causes,
        withheld_curves=len(curves) < len(raw.survival),
    )


__all__ = ["ALARM", "WARNING", "Dashboard", "DashboardFilters", "publish", "summarise"]
