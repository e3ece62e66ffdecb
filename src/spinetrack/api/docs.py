"""Interactive API documentation served from the Swagger UI files that the fastapi-offline package
installs, never from a CDN, so it works on a clinic network without internet access. The page has
no inline script, so the strict Content-Security-Policy holds here too."""

from html import escape
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/api/v1/docs-assets"
SWAGGER_FILES = Path(str(files("fastapi_offline").joinpath("static")))

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>spinetrack API</title>
<link rel="icon" href="/static/favicon.svg">
<link rel="stylesheet" href="{assets}/swagger-ui.css"></head>
<body><div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{assets}/swagger-ui-bundle.js"></script>
<script src="/static/js/swagger-init.js"></script></body></html>"""


def mount(app: FastAPI) -> None:
    app.mount(ASSETS, StaticFiles(directory=SWAGGER_FILES), name="docs-assets")
    page = PAGE.format(assets=ASSETS, openapi=escape(app.openapi_url or "/api/v1/openapi.json"))

    @app.get("/api/v1/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(page)
