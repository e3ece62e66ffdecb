"""One application per test database and process, for the tests that only send it requests.

A new app costs little to create but a lot on its first requests: FastAPI builds each included
route's parameter models (pydantic schemas) per app, lazily, as requests walk the routers, about
0.2-0.3 s of CPU before a page answers. The app holds no state of its own between requests (its
database is the test's, rate limits and sessions live in that database, settings are read per
request), so tests that neither add routes nor run its start-up can share one. Tests that do build
their own with `create_app`, which also keeps a fresh app under test.
"""

from fastapi import FastAPI

from spinetrack.app import create_app
from spinetrack.config import get_settings
from spinetrack.services.operations.database import Database

_APPS: dict[tuple[str, int], FastAPI] = {}
"""The shared app by (database URL, body limit it was built with); this process's only."""


def shared_app(database: Database) -> FastAPI:
    """`create_app(database)`, built once per database and process and reused after.

    The body limit is the one setting `create_app` reads when it builds the app, so a test that
    changes it gets an app built with its value."""
    key = (database.url, get_settings().max_body_bytes)
    app = _APPS.get(key)
    if app is None or app.state.database is not database:
        app = _APPS[key] = create_app(database)
    return app
