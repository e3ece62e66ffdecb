"""Server-rendered pages for surgeons, patients and analysts (Jinja2, no JavaScript build)."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from spinetrack.web.routes import home

STATIC = Path(__file__).with_name("static")


def mount(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(home.router)
