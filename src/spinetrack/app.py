"""Composition root: builds the FastAPI application and wires api/ and web/ together."""

import gc
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from starlette.routing import BaseRoute

from spinetrack import __version__, hygiene, server, web
from spinetrack.api import cds_hooks, docs, errors, health
from spinetrack.api.v1 import router as api_v1
from spinetrack.config import get_settings
from spinetrack.services.audit.audit_log import sealer
from spinetrack.services.operations.database import Database, open_database
from spinetrack.web.routes import library


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Route handlers that touch the database run on worker threads. Dozens of them at once only
    # queue for the one interpreter lock, and a request that holds a database row lock waits its
    # turn behind all of them: a few threads serve more requests, sooner (see benchmarks/load.py).
    anyio.to_thread.current_default_thread_limiter().total_tokens = get_settings().threads
    # A server seals audit entries in batches off the request path; one built around a
    # caller's database (tests) seals after each commit, as the command line does.
    chain = sealer(app.state.database.sessions) if app.state.owns_database else None
    if chain is not None:
        chain.start_background(get_settings().audit_seal_ms / 1000)
    # The education library's pages and search index, built before the first request arrives.
    await anyio.to_thread.run_sync(library.warm_up)
    if app.state.owns_database:
        _resolve_routes(app.router.routes)
        _freeze_startup_objects()
    fits = app.state.owns_database and get_settings().fit_demo_model
    if fits:
        await anyio.to_thread.run_sync(_fit_demo_model, app.state.database)
    yield
    if fits:
        from spinetrack.services.risk.model_fitting import stop_fits

        await anyio.to_thread.run_sync(stop_fits)
    if chain is not None:
        chain.close()


def _resolve_routes(routes: Sequence[BaseRoute]) -> None:
    """Build every included router's routes now, not on the first request that reaches them.
    FastAPI (0.16x) resolves an included router's routes (dependencies, parameter models) the
    first time a request is matched against it, so the first page behind many routers, such as
    /library, paid for all of them: 1.2 s of a first /library at start-up under load, 0.2 s of
    CPU, where later requests take 10 ms. Only a server does it (as the freeze below): each test's
    app resolves only the routes it visits. Routers without the method (other FastAPI versions,
    which build routes eagerly) are passed over."""
    for route in routes:
        resolve = getattr(route, "effective_candidates", None)
        if resolve is None:
            continue
        _resolve_routes(resolve())
        low_priority = getattr(route, "effective_low_priority_routes", None)
        if low_priority is not None:
            low_priority()


def _freeze_startup_objects() -> None:
    """Keep what start-up built (modules, the knowledge files, the library's pages and search
    index) out of the garbage collector's full passes: they live as long as the process, and each
    full pass walked all of them while every request waited (passes of 120-570 ms under load,
    the load benchmark's p99). Only a server does it: objects frozen are never collected, so the
    tests, which build many apps in one process, do not."""
    gc.collect()
    gc.freeze()


def _fit_demo_model(database: Database) -> None:
    """`make run` loads the demo without its outcome model, so the first page answers in seconds;
    the model is fitted in a child process (not on a thread, where it held the interpreter lock
    against every request) while the pages say it is being fitted."""
    from spinetrack.demo.load import DEMO_SLUG
    from spinetrack.services.risk.model_fitting import fit_missing_model

    url = database.engine.url.render_as_string(hide_password=False)
    fit_missing_model(database.sessions, url, DEMO_SLUG)


def create_app(database: Database | None = None) -> FastAPI:
    """The whole web application; `spinetrack serve` calls it with no argument (a factory)."""
    app = FastAPI(
        title="spinetrack",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.database = database or open_database()
    app.state.owns_database = database is None
    server.install_log_redaction()
    errors.install(app)
    hygiene.install(app, get_settings().max_body_bytes)
    app.include_router(health.router)
    docs.mount(app)
    app.include_router(api_v1)
    app.include_router(cds_hooks.router)
    cds_hooks.install(app)
    web.mount(app)
    return app
