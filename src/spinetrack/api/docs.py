"""Interactive API documentation served from the Swagger UI files that the fastapi-offline package
installs, never from a CDN, so it works on a clinic network without internet access."""

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/api/v1/docs-assets"
SWAGGER_FILES = Path(str(files("fastapi_offline").joinpath("static")))


def mount(app: FastAPI) -> None:
    app.mount(ASSETS, StaticFiles(directory=SWAGGER_FILES), name="docs-assets")

    @app.get("/api/v1/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/api/v1/openapi.json",
            title="spinetrack API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg",
        )
