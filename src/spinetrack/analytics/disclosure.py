"""Disclosure control: one mechanism deciding which counts of patients the analytics may publish.

Every number the dashboard, the report and the downloads show is a count of patients in one
selection (year, region, procedure, surgeon, each possibly "every"), or is computed from such
counts (a share, its interval, a funnel point, a survival curve). ``DisclosureCube`` holds every
such count for every selection at once, as one array: a measure axis (patients, judged, failing,
responded at 6 weeks, confirmed pseudarthrosis, ...) and one axis per filter, whose first entry is
the margin ("every year"). Counts are related by lines: along a filter axis the margin is the sum
of the values; along the measure axis each listed line says total = sum of parts (judged = failed
+ succeeding, due = responded + not responded, ...).

Primary suppression hides every count from 1 to threshold - 1. Complementary suppression then
gives each hidden count a certificate that it cannot be worked out, and hides whatever the
certificate needs: a change to the patient counts underneath (one patient moved between two
kinds, say from failing to relapsed, and between two values of each filter the count is cut by,
say from surgeon s to t and back between two years) that alters the hidden count but no shown
one. Shown counts are then the same for two different registries that differ in the hidden
count, so no subtraction or system of equations, on one page or across any pages and filters
(a filter and its complement included), can pin it down. This is the hypercube method of
Repsilber (1994) and Giessing and Repsilber (2002): each small cell is protected by the corners
of a box of cells around it, chosen where counts are small (little is lost) but not empty.
Zero is shown (CMS policy).

The pages read their numbers only through ``DisclosureCube.shown``; a withheld count is None.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from spinetrack.analytics.cohort import PreparedRegistry
from spinetrack.domain.outcomes import schedule

DIMENSIONS = ("year", "region", "procedure", "surgeon")
NOT_RECORDED = "(not recorded)"
FAILED = ("failing", "relapsed")
JUDGED = ("succeeding", *FAILED)

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Line:
    """``total`` = sum of ``parts`` (measure names)."""

    total: str
    parts: tuple[str, ...]


def timepoint_measure(kind: str, rank: int) -> str:
    return f"{kind}@{rank}"


def answered_with(instrument: str, rank: int) -> str:
    return f"answered_{instrument}@{rank}"


def cause_measure(cause: str) -> str:
    return f"cause:{cause}"


def survival_measure(kind: str, group: str) -> str:
    return f"{kind}:{group}"


def _indicators(prepared: PreparedRegistry) -> tuple[pl.DataFrame, list[Line]]:
    """One row per patient: the filter columns and a 0/1 column per measure; and the lines."""
    patients = prepared.patients.with_columns(
        pl.col("status").fill_null("unknown"),
        *(pl.col(c).fill_null(NOT_RECORDED) for c in ("region", "procedure", "surgeon")),
    )
    status = pl.col("status")
    columns: dict[str, pl.Expr] = {
        "patients": pl.lit(True),
        "judged": status.is_in(JUDGED),
        "unjudged": ~status.is_in(JUDGED),
        "failed": status.is_in(FAILED),
        "succeeding": status == "succeeding",
        "failing": status == "failing",
        "relapsed": status == "relapsed",
    }
    lines = [
        Line("patients", ("judged", "unjudged")),
        Line("judged", ("failed", "succeeding")),
        Line("failed", ("failing", "relapsed")),
    ]
    instruments = sorted(set(prepared.followups["instrument"].unique().to_list()))
    for rank, point in enumerate(schedule()):
        found = (
            prepared.followups.filter(pl.col("rank") == rank)
            .unique("patient_id", keep="first")
            .select(
                "patient_id",
                pl.lit(True).alias(f"_a{rank}"),
                pl.col("passed").alias(f"_p{rank}"),
                pl.col("mcid").alias(f"_m{rank}"),
                pl.col("instrument").alias(f"_i{rank}"),
            )
        )
        patients = patients.join(found, on="patient_id", how="left")
        closed = prepared.read_on.toordinal() - point.end
        due = (
            pl.lit(True)
            if rank == 0
            else pl.col("index_date").cast(pl.Int64) <= closed - 719163  # days since 1970-01-01
        )
        answered = pl.col(f"_a{rank}").fill_null(False)
        passed = pl.col(f"_p{rank}").fill_null(False)
        with_baseline = answered & pl.col(f"_m{rank}").is_not_null()
        mcid = pl.col(f"_m{rank}").fill_null(False)

        def m(kind: str, rank: int = rank) -> str:
            return timepoint_measure(kind, rank)

        columns |= {
            m("due"): due,
            m("not_due"): ~due,
            m("responded"): due & answered,
            m("unresponded"): due & ~answered,
            m("early"): ~due & answered,
            m("answered"): answered,
            m("unanswered"): ~answered,
            m("passed"): answered & passed,
            m("not_passed"): answered & ~passed,
            m("baseline"): with_baseline,
            m("no_baseline"): answered & ~with_baseline,
            m("mcid"): with_baseline & mcid,
            m("no_mcid"): with_baseline & ~mcid,
        }
        for instrument in instruments:
            columns[answered_with(instrument, rank)] = answered & (
                pl.col(f"_i{rank}") == instrument
            )
        lines += [
            Line("patients", (m("due"), m("not_due"))),
            Line(m("due"), (m("responded"), m("unresponded"))),
            Line(m("answered"), (m("responded"), m("early"))),
            Line("patients", (m("answered"), m("unanswered"))),
            Line(m("answered"), (m("passed"), m("not_passed"))),
            Line(m("answered"), (m("baseline"), m("no_baseline"))),
            Line(m("baseline"), (m("mcid"), m("no_mcid"))),
            Line(m("answered"), tuple(answered_with(i, rank) for i in instruments)),
        ]
    causes = sorted(patients["cause"].drop_nulls().unique().to_list())
    columns["confirmed"] = pl.col("cause").is_not_null()
    columns["unconfirmed"] = pl.col("cause").is_null()
    for cause in causes:
        columns[cause_measure(cause)] = pl.col("cause") == cause
    lines += [
        Line("patients", ("confirmed", "unconfirmed")),
        Line("confirmed", tuple(cause_measure(c) for c in causes)),
    ]
    groups = sorted(patients["primary_procedure"].drop_nulls().unique().to_list())
    followed = pl.col("duration") >= 0
    columns["unfollowed"] = ~followed.fill_null(False) | pl.col("primary_procedure").is_null()
    for group in groups:
        member = followed.fill_null(False) & (pl.col("primary_procedure") == group)
        columns[survival_measure("followed", group)] = member
        columns[survival_measure("revised", group)] = member & pl.col("revised")
        columns[survival_measure("unrevised", group)] = member & ~pl.col("revised")
        lines.append(
            Line(
                survival_measure("followed", group),
                (survival_measure("revised", group), survival_measure("unrevised", group)),
            )
        )
    lines.append(
        Line(
            "patients",
            (*(survival_measure("followed", g) for g in groups), "unfollowed"),
        )
    )
    table = patients.select(
        *DIMENSIONS,
        *(expr.fill_null(False).cast(pl.Int64).alias(name) for name, expr in columns.items()),
    )
    return table, [line for line in lines if line.parts]


@dataclass(frozen=True)
class DisclosureCube:
    threshold: int
    measures: dict[str, int]
    """Measure name -> index on axis 0."""
    values: dict[str, dict[object, int]]
    """Per filter dimension: value -> index on its axis (0 is the margin, "every")."""
    counts: IntArray
    hidden: BoolArray

    def coordinates(self, selection: Sequence[object | None]) -> tuple[int, ...] | None:
        """Axis positions of a selection (None for "every"); None when a value has no patients."""
        position = []
        for dimension, value in zip(DIMENSIONS, selection, strict=True):
            if value is None:
                position.append(0)
                continue
            index = self.values[dimension].get(value)
            if index is None:
                return None
            position.append(index)
        return tuple(position)

    def shown(self, measure: str, selection: Sequence[object | None]) -> int | None:
        """The count as it may be published: None when withheld; 0 for an empty selection or a
        measure this registry never has (a cause nobody confirmed)."""
        where = self.coordinates(selection)
        index = self.measures.get(measure)
        if where is None or index is None:
            return 0
        if self.hidden[(index, *where)]:
            return None
        return int(self.counts[(index, *where)])

    def true_count(self, measure: str, selection: Sequence[object | None]) -> int:
        """The count before suppression (for checks and tests, never for display)."""
        where = self.coordinates(selection)
        index = self.measures.get(measure)
        if where is None or index is None:
            return 0
        return int(self.counts[(index, *where)])

    def dimension_values(self, dimension: str) -> list[object]:
        return [v for v, i in sorted(self.values[dimension].items(), key=lambda kv: kv[1])]


def family_of(measure: str) -> str:
    """Measures of one family are sums of the same kinds of patient; families are independent
    cuts of the same patients (status, each time point, confirmed cause, first procedure)."""
    if measure == "patients":
        return ""
    if "@" in measure:
        return "rank" + measure.rsplit("@", 1)[1]
    if measure.startswith("cause:") or measure in ("confirmed", "unconfirmed"):
        return "cause"
    if measure == "unfollowed" or measure.split(":", 1)[0] in ("followed", "revised", "unrevised"):
        return "survival"
    return "status"


SHOWN_KINDS = ("due", "responded", "mcid", "baseline", "passed", "answered")
WEIGHTS = {"judged": 6, "failed": 6, "patients": 4}
"""What a certificate costs when it hides a measure: the funnel's counts most, then the cohort."""


def displayed(measure: str) -> bool:
    """Whether any page, report or download shows this measure (the others only complete lines:
    not judged, not responded, ... are never published)."""
    if measure in ("patients", "judged", "failed", "failing", "relapsed", "confirmed"):
        return True
    if "@" in measure:
        return measure.split("@", 1)[0] in SHOWN_KINDS or measure.startswith("answered_")
    return measure.split(":", 1)[0] in ("cause", "followed", "revised")


def _cost(changed: Iterable[str]) -> int:
    return sum(WEIGHTS.get(m, 1) for m in changed if displayed(m))


def _protectors(
    table: pl.DataFrame, measures: dict[str, int], lines: list[Line]
) -> list[list[int]]:
    """For each measure, the measures its certificate changes, the cheapest of two kinds.

    Swap: one patient moves from a kind inside the measure to a kind in a sibling part of one of
    its lines (disjoint from it): the measures of that family holding one kind and not the other
    change. Add: one patient of a kind inside the measure is added, with for every other family
    the kind whose measures matter least: "patients" and every measure holding those kinds
    change. Kinds are the combinations of a family's measures that patients really have."""
    families: dict[str, list[str]] = {}
    for name in measures:
        families.setdefault(family_of(name), []).append(name)
    kinds: dict[str, list[dict[str, int]]] = {
        family: table.group_by(names).len().sort("len", descending=True).drop("len").to_dicts()
        for family, names in families.items()
        if family
    }

    def holding(kind: dict[str, int]) -> list[str]:
        return [m for m, v in kind.items() if v == 1]

    def cheapest(options: list[list[str]]) -> list[str] | None:
        return min(options, key=_cost) if options else None

    parts: dict[str, set[str]] = {}
    for line in lines:
        for part in line.parts:
            parts.setdefault(part, set()).update(p for p in line.parts if p != part)
    spare = {
        family: cheapest([holding(kind) for kind in found]) or [] for family, found in kinds.items()
    }
    protectors: list[list[int]] = []
    for name in measures:
        family = family_of(name)
        inside = [k for k in kinds.get(family, []) if k.get(name) == 1]
        options: list[list[str]] = []
        for sibling in parts.get(name, ()):
            outside = [k for k in kinds[family] if k.get(sibling) == 1]
            options += [
                [m for m in families[family] if a[m] != b[m]] for a in inside for b in outside
            ]
        added = cheapest([holding(k) for k in inside]) or []
        others = [m for f, names in spare.items() if f != family for m in names]
        options.append(["patients", *added, *others])
        changed = cheapest(options) or []
        protectors.append(sorted({measures[m] for m in changed} | {measures[name]}))
    return protectors


def build(prepared: PreparedRegistry, threshold: int) -> DisclosureCube:
    """Count every measure in every selection and decide, once, what may be shown."""
    table, lines = _indicators(prepared)
    measure_names = [c for c in table.columns if c not in DIMENSIONS]
    measures = {name: i for i, name in enumerate(measure_names)}
    values: dict[str, dict[object, int]] = {}
    codes = []
    for dimension in DIMENSIONS:
        distinct = sorted(table[dimension].unique().to_list())
        values[dimension] = {v: i + 1 for i, v in enumerate(distinct)}
        codes.append(
            table[dimension]
            .replace_strict(values[dimension], return_dtype=pl.Int64)
            .to_numpy()
            .astype(np.int64)
            - 1
        )
    leaf_shape = tuple(len(values[d]) for d in DIMENSIONS)
    leaves = np.zeros((len(measures), *leaf_shape), dtype=np.int64)
    if table.height:
        flat = np.ravel_multi_index(tuple(codes), leaf_shape)
        grouped = (
            pl.DataFrame({"cell": flat})
            .hstack(table.select(measure_names))
            .group_by("cell")
            .agg(pl.all().sum())
        )
        cells = grouped["cell"].to_numpy()
        sums = grouped.select(measure_names).to_numpy().astype(np.int64).T
        leaves.reshape(len(measures), -1)[:, cells] = sums
    counts = leaves
    for axis in range(1, counts.ndim):
        counts = np.concatenate([counts.sum(axis=axis, keepdims=True), counts], axis=axis)
    hidden = suppress(counts, _protectors(table, measures, lines), threshold)
    for name, index in measures.items():
        if not displayed(name):
            hidden[index] = True  # never published: completes lines only
    return DisclosureCube(threshold, measures, values, counts, hidden)


def suppress(counts: IntArray, protectors: list[list[int]], threshold: int) -> BoolArray:
    """Primary suppression of counts 1..threshold-1, then every cell a certificate of each needs.

    ``counts`` has the measure on axis 0 and one filter per further axis, position 0 of each
    filter axis being its margin. A certificate for the cell (m, c1..ck) moves a patient along
    every filter axis between two values (its own and the smallest non-empty other, which keeps
    the margin unchanged), or, where the cell is the margin or the filter has one value only,
    adds it at one value (the largest, which changes that value and the margin). Its cells are
    the 2^k corners of that box, for each measure in ``protectors[m]``."""
    primary = (counts > 0) & (counts < threshold)
    hidden = primary.copy()
    where = np.argwhere(primary)
    if len(where) == 0:
        return hidden
    measure = where[:, 0]
    corners: list[tuple[IntArray, IntArray]] = []
    for axis in range(1, counts.ndim):
        own = where[:, axis]
        others = [where[:, a] for a in range(1, counts.ndim) if a != axis]
        line = np.moveaxis(counts, axis, -1)[(measure, *others)][:, 1:].astype(np.float64)
        if line.shape[1] == 0:
            corners.append((own, own))
            continue
        rows = np.arange(len(where))
        cost = np.where(line > 0, line, 1e12)
        at_value = own > 0
        cost[rows[at_value], own[at_value] - 1] = np.inf
        partner = cost.argmin(axis=1) + 1
        alone = ~np.isfinite(cost.min(axis=1))
        partner = np.where(at_value & alone, 0, partner)
        largest = line.argmax(axis=1) + 1
        partner = np.where(at_value, partner, largest)
        corners.append((own, partner))
    width = max(len(p) for p in protectors)
    padded = np.full((len(protectors), width), -1, dtype=np.int64)
    for index, found in enumerate(protectors):
        padded[index, : len(found)] = found
    changed = padded[measure]  # one row of protected measures per primary cell
    keep = changed >= 0
    rows = np.nonzero(keep)[0]
    for bits in np.ndindex(*(2,) * (counts.ndim - 1)):
        position = [
            np.where(bit, pair[1], pair[0])[rows] for bit, pair in zip(bits, corners, strict=True)
        ]
        hidden[(changed[keep], *position)] = True
    return hidden
