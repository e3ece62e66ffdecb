"""Benchmark: the registry dashboard and report for a 1,000,000-patient registry, next to the
row-by-row domain path (classify_patient per patient) measured in the same run.

    .venv/bin/python benchmarks/analytics.py [--patients N] [--base N] [--repeats N] [--db-patients N]

What is measured, and what is not:
- Building the frames is not timed: a synthetic clinic of --base patients is generated (demo
  cohort), its responses scored with the vectorised scorer, and the frames repeated with new ids
  until they hold --patients patients (so the million keeps the demo's case mix and follow-up).
- prepare: classifying every patient and counting every follow-up, once per change of the data
  (the web app keeps the result per clinic until a record changes). One run.
- dashboard: filtering and summing the prepared tables for one year, drawing the four charts and
  rendering the page body; the number the page's 3 s goal is about. Median of --repeats.
- dashboard, case-mix adjusted: the same with the mixed model (fitted on a 20,000-patient sample).
- report: figures with the mixed model, HTML with embedded charts and the PDF, written to a
  temporary folder; the 30 s goal. Median of --repeats.
- baseline: spinetrack.domain.outcomes.classify_patient patient by patient (what a per-patient
  loop costs) on a --baseline-patients subset; its patients/s is compared with prepare's.
- database: a SQLite database with --db-patients demo patients, read through the service into
  frames and prepared (cold), then answered from memory (warm). Loading it is not timed.
"""

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from spinetrack.analytics.cohort import (
    CAUSES_SCHEMA,
    PATIENTS_SCHEMA,
    RESPONSES_SCHEMA,
    SURGERIES_SCHEMA,
    PreparedRegistry,
    RegistryFrames,
    prepare,
)
from spinetrack.analytics.dashboard import DashboardFilters, summarise
from spinetrack.analytics.scoring import score_table
from spinetrack.demo.cohort import ITEM_IDS, Cohort, generate_cohort
from spinetrack.demo.load import DEMO_SLUG, load_demo
from spinetrack.domain.outcomes import ScorePoint, classify_patient
from spinetrack.services.access.actor import system_actor
from spinetrack.services.clinician.clinic_overview import find_clinic
from spinetrack.services.operations.database import open_database
from spinetrack.services.reporting.analytics_registry import PREPARED, registry_dashboard
from spinetrack.services.reporting.rendering import environment, pdf_of
from spinetrack.services.reporting.report_layout import context, figures, report_html

TODAY = date(2026, 11, 21)
PERIOD = 2025
DASHBOARD_GOAL, REPORT_GOAL = 3.0, 30.0


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def median_of(repeats: int, work: Callable[[], object]) -> float:
    return statistics.median(timed(work) for _ in range(repeats))


def _responses(cohort: Cohort) -> pl.DataFrame:
    """Every response scored with the vectorised scorer; only scored ones are kept."""
    frames = []
    responses = cohort.responses  # built from the cohort's answer tables on each access
    for instrument, items in ITEM_IDS.items():
        rows = [r for r in responses if r.instrument == instrument]
        if not rows:
            continue
        answers = pl.DataFrame(
            {item: [r.answers.get(item) for r in rows] for item in items},
            schema={item: pl.Float64 for item in items},
        )
        scored = score_table(instrument, answers)
        value = scored.select(pl.coalesce("percent", "raw"))["percent"]
        frames.append(
            pl.DataFrame(
                {
                    "patient_id": [r.patient for r in rows],
                    "instrument": [instrument] * len(rows),
                    "completed_on": [r.completed_at.date() for r in rows],
                    "score": value,
                    "ok": scored["status"] == "ok",
                },
                schema_overrides=RESPONSES_SCHEMA,
            )
        )
    every = pl.concat(frames)
    return every.filter(pl.col("ok") & pl.col("score").is_not_null()).drop("ok")


def base_frames(patients: int) -> RegistryFrames:
    cohort = generate_cohort(patients, 7, TODAY)
    people = pl.DataFrame(
        {
            "patient_id": range(len(cohort.patients)),
            "sex": [p.sex for p in cohort.patients],
            "birth_date": [p.birth_date for p in cohort.patients],
        },
        schema=PATIENTS_SCHEMA,
    )
    surgeries = pl.DataFrame(
        {
            "surgery_id": range(len(cohort.surgeries)),
            "patient_id": [s.patient for s in cohort.surgeries],
            "performed_on": [s.performed_on for s in cohort.surgeries],
            "region": [s.region for s in cohort.surgeries],
            "procedure": [s.procedure for s in cohort.surgeries],
            "levels": [len(s.levels) for s in cohort.surgeries],
            "surgeon": [cohort.surgeons[s.surgeon].full_name for s in cohort.surgeries],
            "revision_of": [s.revision_of for s in cohort.surgeries],
        },
        schema=SURGERIES_SCHEMA,
    )
    # Stand-in for confirmed triage: the generator's cause for a third of those not doing well.
    causes = pl.DataFrame(
        [(i, p.cause) for i, p in enumerate(cohort.patients) if p.cause and i % 3 == 0],
        schema=CAUSES_SCHEMA,
        orient="row",
    )
    return RegistryFrames(people, surgeries, _responses(cohort), causes, TODAY)


def repeated(base: RegistryFrames, patients: int) -> RegistryFrames:
    """The base frames copied with shifted ids until they hold ``patients`` patients."""
    size = base.patients.height
    surgery_span = base.surgeries.height  # surgery ids run 0 .. height - 1
    copies = -(-patients // size)

    def tile(frame: pl.DataFrame, shift: Callable[[int], list[pl.Expr]]) -> pl.DataFrame:
        return pl.concat([frame.with_columns(*shift(c)) for c in range(copies)])

    def person(c: int) -> list[pl.Expr]:
        return [pl.col("patient_id") + c * size]

    def operation(c: int) -> list[pl.Expr]:
        return [
            pl.col("patient_id") + c * size,
            pl.col("surgery_id") + c * surgery_span,
            pl.col("revision_of") + c * surgery_span,
        ]

    keep = pl.col("patient_id") < patients
    return RegistryFrames(
        tile(base.patients, person).filter(keep),
        tile(base.surgeries, operation).filter(keep),
        tile(base.responses, person).filter(keep),
        tile(base.causes, person).filter(keep),
        TODAY,
    )


def render_dashboard(prepared: PreparedRegistry, adjust: bool) -> str:
    dashboard = summarise(prepared, DashboardFilters(period=PERIOD), adjust=adjust)
    images = figures(dashboard, adjusted=adjust).data_uris()
    page = environment().get_template("reports/_body.html")
    return page.render(**context(dashboard, adjusted=adjust, images=images))


def write_report(prepared: PreparedRegistry, folder: Path) -> None:
    dashboard = summarise(prepared, DashboardFilters(period=PERIOD), adjust=True)
    moment = datetime(2026, 11, 21, tzinfo=UTC)
    html = report_html(dashboard, clinic="Benchmark clinic", generated=moment)
    (folder / "report.html").write_text(html, encoding="utf-8")
    (folder / "report.pdf").write_bytes(pdf_of(html))


def domain_baseline(frames: RegistryFrames, patients: int) -> float:
    """Seconds for classify_patient, one patient at a time, over the first ``patients``."""
    index = frames.surgeries.group_by("patient_id").agg(pl.col("performed_on").max())
    rows = (
        frames.responses.filter(pl.col("patient_id") < patients)
        .join(index, on="patient_id")
        .with_columns((pl.col("completed_on") - pl.col("performed_on")).dt.total_days().alias("d"))
        .select("patient_id", "instrument", "d", "score")
    )
    by_patient: dict[int, list[ScorePoint]] = {}
    for pid, instrument, day, score in rows.iter_rows():
        by_patient.setdefault(pid, []).append(ScorePoint(instrument, day, score))
    start = time.perf_counter()
    for points in by_patient.values():
        classify_patient(points)
    return time.perf_counter() - start


def database_figures(patients: int, repeats: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        database.upgrade()
        load_demo(database, patients=patients, seed=7, today=TODAY)
        clinic = find_clinic(sessions=database.sessions, slug=DEMO_SLUG)
        assert clinic is not None
        actor = system_actor("benchmark")

        def look() -> object:
            return registry_dashboard(
                sessions=database.sessions,
                actor=actor,
                clinic_id=clinic,
                filters=DashboardFilters(period=PERIOD),
                read_on=TODAY,
            )

        colds = []
        for _ in range(repeats):
            PREPARED.clear()
            colds.append(timed(look))
        warm = median_of(repeats, look)
        database.close()
    print(f"database (SQLite)         {patients:>10,} demo patients")
    print(f"  read + prepare, cold    {statistics.median(colds):>10.2f} s  (median of {repeats})")
    print(f"  dashboard figures, warm {warm:>10.3f} s  (median of {repeats}, charts not drawn)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1_000_000)
    parser.add_argument("--base", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--baseline-patients", type=int, default=20_000)
    parser.add_argument("--db-patients", type=int, default=3_000)
    args = parser.parse_args()

    start = time.perf_counter()
    frames = repeated(base_frames(args.base), args.patients)
    built = time.perf_counter() - start
    print(f"patients                  {frames.patients.height:>10,}")
    print(f"surgeries / responses     {frames.surgeries.height:>10,} / {frames.responses.height:,}")
    print(f"frames built (not timed)  {built:>10.1f} s")

    prepared: list[PreparedRegistry] = []
    prepare_seconds = timed(lambda: prepared.append(prepare(frames)))
    registry = prepared[0]
    chosen = registry.patients.filter(pl.col("year") == PERIOD).height
    print(f"prepare (once per change) {prepare_seconds:>10.2f} s  (one run)")
    print(f"patients operated in {PERIOD} {chosen:>9,}")

    dashboard = median_of(args.repeats, lambda: render_dashboard(registry, adjust=False))
    adjusted = median_of(args.repeats, lambda: render_dashboard(registry, adjust=True))
    with tempfile.TemporaryDirectory() as folder:
        report = median_of(args.repeats, lambda: write_report(registry, Path(folder)))
        size = (Path(folder) / "report.html").stat().st_size
        pdf = (Path(folder) / "report.pdf").stat().st_size
    print(f"dashboard, median         {dashboard:>10.2f} s  (goal {DASHBOARD_GOAL:g} s)")
    print(f"dashboard adjusted, median{adjusted:>10.2f} s")
    print(
        f"report HTML + PDF, median {report:>10.2f} s  (goal {REPORT_GOAL:g} s; "
        f"{size / 1024:.0f} KiB HTML, {pdf / 1024:.0f} KiB PDF)"
    )

    baseline = domain_baseline(frames, args.baseline_patients)
    per_patient_domain = baseline / args.baseline_patients
    per_patient_vector = prepare_seconds / frames.patients.height
    print(f"baseline classify_patient {baseline:>10.2f} s  for {args.baseline_patients:,} patients")
    print(
        f"  extrapolated to {frames.patients.height:,}: {per_patient_domain * frames.patients.height:.0f} s"
    )
    print(
        f"ratio prepare vs domain   {per_patient_domain / per_patient_vector:>10.1f} x faster per patient"
    )
    database_figures(args.db_patients, args.repeats)


if __name__ == "__main__":
    main()
