"""Composition root: builds the FastAPI application and wires api/ and web/ together."""

from fastapi import FastAPI

from spinetrack import __version__, hygiene, web
from spinetrack.api import cds_hooks, docs, errors, health
from spinetrack.api.v1 import router as api_v1
from spinetrack.config import get_settings
from spinetrack.services.database import Database, open_database


def create_app(database: Database | None = None) -> FastAPI:
    """The whole web application; `spinetrack serve` calls it with no argument (a factory)."""
    app = FastAPI(
        title="spinetrack",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.database = database or open_database()
    errors.install(app)
    hygiene.install(app, get_settings().max_body_bytes)
    app.include_router(health.router)
    docs.mount(app)
    app.include_router(api_v1)
    app.include_router(cds_hooks.router)
    web.mount(app)
    return app
