"""`spinetrack demo`: load, or reset, the demo clinic (a synthetic cohort, reproducible by seed)."""

import sys

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeElapsedColumn

from spinetrack.cli.errors import explains_errors, fail, stderr_console
from spinetrack.cli.opened import opened_database
from spinetrack.config import get_settings
from spinetrack.demo.load import DEMO_NAME, DEMO_SLUG, demo_logins, load_demo
from spinetrack.services.access.actor import system_actor
from spinetrack.services.clinician.clinic_overview import clinic_overview, find_clinic
from spinetrack.services.operations.database import Database


@explains_errors
def demo(
    patients: int = typer.Option(None, "--patients", "-n", help="How many patients (default 300)."),
    seed: int = typer.Option(
        None, "--seed", "-s", help="Random seed; the same seed, the same clinic."
    ),
    reset: bool = typer.Option(False, "--reset", help="Erase the demo clinic's patients first."),
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Do nothing if the demo clinic exists."
    ),
    model: bool = typer.Option(
        True,
        "--model/--no-model",
        help="Fit the pre-operative outcome model after loading (needs about 7,500 patients).",
    ),
) -> None:
    """Load the demo clinic: surgeons, patients, surgeries and questionnaires over several years."""
    settings = get_settings()
    count = settings.demo_patients if patients is None else patients
    if count < 1 or count > 2_000_000:
        raise fail("--patients must be between 1 and 2,000,000")
    with opened_database(upgrade=True) as database:
        existing = find_clinic(sessions=database.sessions, slug=DEMO_SLUG)
        if existing is not None and if_empty:
            typer.echo(f"{DEMO_NAME} is already loaded; use --reset to reload it")
            return
        if existing is not None and not reset:
            raise fail("the demo clinic is already loaded; use --reset to reload it")
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=stderr_console(),
            disable=not sys.stderr.isatty(),
        ) as bar:
            steps = _Steps(bar, count)
            clinic_id = load_demo(
                database,
                patients=count,
                seed=settings.demo_seed if seed is None else seed,
                reset=reset,
                progress=steps.advance,
                stage=steps.start,
            )
            if model:
                steps.start("fitting the outcome model (about a minute)")
                _fit_model(database, clinic_id)
            steps.finish()
        overview = clinic_overview(
            sessions=database.sessions, actor=system_actor("cli"), clinic_id=clinic_id
        )
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(overview.statuses.items()))
    typer.echo(f"{DEMO_NAME}: {overview.patients} patients ({statuses})")
    typer.echo("demo logins (password for all: " + demo_logins()[0].password + "):")
    for login in demo_logins():
        typer.echo(f"  {login.role:<10} {login.email}")


class _Steps:
    """One bar per step of the load, each left on the screen with its time when the next starts;
    the step storing patients counts them, the others show that they are running. Without a
    terminal (a pipe, a log) each step is one line as it starts."""

    def __init__(self, bar: Progress, patients: int) -> None:
        self._bar = bar
        self._patients = patients
        self._task: TaskID | None = None

    def start(self, text: str) -> None:
        self.finish()
        counted = text.startswith("storing patients")
        self._task = self._bar.add_task(text, total=self._patients if counted else None)
        if self._bar.disable:
            typer.echo(f"{text}…", err=True)

    def advance(self, n: int) -> None:
        if self._task is not None:
            self._bar.advance(self._task, n)

    def finish(self) -> None:
        """Mark the running step done (a full bar), so the screen shows every step's time."""
        if self._task is not None:
            task = self._bar.tasks[self._task]
            self._bar.update(self._task, total=task.total or 1, completed=task.total or 1)
            self._bar.stop_task(self._task)
        self._task = None


def _fit_model(database: Database, clinic_id: int) -> None:
    """Fit and store the demo clinic's outcome model, or say why there is none (too few patients
    with a 12-month outcome for Riley's minimum sample size)."""
    from spinetrack.prediction import TooSmall
    from spinetrack.services.risk.clinic_model import fit_clinic

    try:
        _, stored = fit_clinic(
            sessions=database.sessions, actor=system_actor("demo-loader"), clinic_id=clinic_id
        )
    except TooSmall as exc:
        typer.echo(f"no outcome model: {exc.message}", err=True)
        return
    figures = stored.summary["validation"]["improved"]["corrected"]
    typer.echo(
        f"outcome model {stored.version_id}: {stored.n_patients} patients, improved C "
        f"{figures['c_statistic']['value']:.3f}, slope {figures['calibration_slope']['value']:.2f}"
    )


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
