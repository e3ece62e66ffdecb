"""The published dashboard's tables as data frames, for download as CSV or Parquet.

They are built from the published dashboard only (``dashboard.publish``), so they carry exactly
the figures the page shows: a withheld count, and every share or interval built on it, is empty
(null, with ``incomplete`` true on its row), never the number.
"""

import io
import zipfile
from typing import Literal

import polars as pl

from spinetrack.analytics.dashboard import Dashboard
from spinetrack.analytics.intervals import Proportion

TableFormat = Literal["csv", "parquet"]


def _share(prefix: str, p: Proportion) -> dict[str, object]:
    return {
        f"{prefix}_patients": p.k,
        f"{prefix}_of": p.n,
        f"{prefix}_share": p.share,
        f"{prefix}_low_95": p.low,
        f"{prefix}_high_95": p.high,
    }


def summary(d: Dashboard) -> pl.DataFrame:
    row: dict[str, object] = {
        "selection": d.filters.describe(),
        "read_on": d.read_on,
        "disclosure_threshold": d.threshold,
        "patients": d.patients,
        "judged": d.judged,
        **_share("not_doing_well", d.failed),
        **_share("failing", d.failing),
        **_share("relapsed", d.relapsed),
    }
    return pl.DataFrame([row], infer_schema_length=None)


def timepoints(d: Dashboard) -> pl.DataFrame:
    rows = [
        {
            "timepoint": r.timepoint,
            "due": r.eligible,
            **_share("responded", r.responded),
            **_share("mcid", r.mcid),
            **_share("pass", r.passed),
        }
        for r in d.timepoints
    ]
    return pl.DataFrame(rows, infer_schema_length=None)


def trajectory(d: Dashboard) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "instrument": r.instrument,
                "timepoint": r.timepoint,
                "day": r.day,
                "patients": r.patients,
                "q25": r.q25,
                "median": r.median,
                "q75": r.q75,
            }
            for r in d.trajectory
        ],
        schema={
            "instrument": pl.String,
            "timepoint": pl.String,
            "day": pl.Int64,
            "patients": pl.Int64,
            "q25": pl.Float64,
            "median": pl.Float64,
            "q75": pl.Float64,
        },
    )


def surgeons(d: Dashboard) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "surgeon": p.unit,
                "judged": p.n,
                "not_doing_well": p.events,
                "rate": p.rate,
                "practice_rate": d.funnel.practice_rate,
                "funnel_position": p.position,
            }
            for p in d.funnel.points
        ],
        schema={
            "surgeon": pl.String,
            "judged": pl.Int64,
            "not_doing_well": pl.Int64,
            "rate": pl.Float64,
            "practice_rate": pl.Float64,
            "funnel_position": pl.String,
        },
    )


def survival(d: Dashboard) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "first_procedure": c.group,
                "patients": c.patients,
                "day": day,
                "at_risk": at_risk,
                "revision_free": share,
                "low_95": low,
                "high_95": high,
            }
            for c in d.survival
            for day, at_risk, share, low, high in zip(
                c.days, c.at_risk, c.survival, c.low, c.high, strict=True
            )
        ],
        schema={
            "first_procedure": pl.String,
            "patients": pl.Int64,
            "day": pl.Float64,
            "at_risk": pl.Int64,
            "revision_free": pl.Float64,
            "low_95": pl.Float64,
            "high_95": pl.Float64,
        },
    )


def causes(d: Dashboard) -> pl.DataFrame:
    return pl.DataFrame(
        [{"cause": c.cause, "patients": c.patients, "share": c.share} for c in d.causes],
        schema={"cause": pl.String, "patients": pl.Int64, "share": pl.Float64},
    )


TABLES = {
    "summary": summary,
    "timepoints": timepoints,
    "trajectory": trajectory,
    "surgeons": surgeons,
    "survival": survival,
    "causes": causes,
}


def with_gaps_marked(frame: pl.DataFrame) -> pl.DataFrame:
    """Add ``incomplete``: true on a row with an empty figure (withheld by disclosure control,
    or nothing to compute it from)."""
    if frame.height == 0:
        return frame.with_columns(pl.lit(False).alias("incomplete"))
    return frame.with_columns(pl.any_horizontal(pl.all().is_null()).alias("incomplete"))


def tables_zip(d: Dashboard, fmt: TableFormat) -> bytes:
    """Every table of the dashboard, one file each, in one zip archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, make in TABLES.items():
            frame = with_gaps_marked(make(d))
            data = io.BytesIO()
            if fmt == "csv":
                frame.write_csv(data)
            else:
                frame.write_parquet(data)
            archive.writestr(f"{name}.{fmt}", data.getvalue())
    return buffer.getvalue()
