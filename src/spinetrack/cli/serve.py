"""`spinetrack serve`: run the web application with uvicorn."""

import os

import typer
import uvicorn

from spinetrack.cli.errors import explains_errors, fail
from spinetrack.cli.opened import opened_database
from spinetrack.config import get_settings
from spinetrack.demo.load import demo_logins
from spinetrack.server import uvicorn_options


@explains_errors
def serve(
    host: str = typer.Option(None, help="Address to listen on (SPINETRACK_HOST, 127.0.0.1)."),
    port: int = typer.Option(
        None, min=1, max=65535, help="Port to listen on (SPINETRACK_PORT, 8000)."
    ),
    reload: bool = typer.Option(False, help="Restart on code changes (development)."),
    workers: int = typer.Option(
        None,
        min=1,
        max=64,
        help="Server processes (SPINETRACK_WORKERS, 1); one per core on PostgreSQL.",
    ),
    fit_demo_model: bool = typer.Option(
        False,
        "--fit-demo-model",
        help="Fit the demo clinic's outcome model in the background if it has none (make run).",
    ),
) -> None:
    """Serve the web app and the API; migrates the database first."""
    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    if fit_demo_model:
        if workers > 1:
            raise fail("--fit-demo-model needs one worker: each process would fit its own copy")
        # The app is built by uvicorn from the settings, so the choice travels in the environment.
        os.environ["SPINETRACK_FIT_DEMO_MODEL"] = "1"
        get_settings.cache_clear()
    settings.resolved_secret_key()  # creates var/secret_key on first start when none is configured
    with opened_database() as database:
        database.upgrade()
    typer.echo(
        f"spinetrack is serving at http://{host}:{port}  (sign in: /login, API docs: /api/v1/docs)"
    )
    typer.echo(f"demo logins, password {demo_logins()[0].password}:")
    for login in demo_logins():
        typer.echo(f"  {login.role:<10} {login.email}")
    uvicorn.run(
        "spinetrack.app:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=None if reload else workers,
        **uvicorn_options(settings),
    )


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
