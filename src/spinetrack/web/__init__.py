"""Server-rendered pages for surgeons, patients and analysts (Jinja2, no JavaScript build)."""

import inspect
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from spinetrack.web import i18n
from spinetrack.web.deps import BadForm, SignInRequired
from spinetrack.web.language import is_patient_page
from spinetrack.web.routes import (
    analytics,
    auth,
    chase,
    consult,
    consultations,
    data_entry,
    home,
    language,
    letters,
    library,
    paper,
    patients,
    preop,
    questionnaire,
    search,
    worklist,
)
from spinetrack.web.templating import templates

STATIC = Path(__file__).with_name("static")


def mount(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(home.router)
    app.include_router(library.router)
    app.include_router(auth.router)
    app.include_router(analytics.router)
    app.include_router(letters.router)
    app.include_router(questionnaire.router)
    app.include_router(language.router)
    app.include_router(consult.router)
    app.include_router(consultations.router)
    app.include_router(chase.router)
    app.include_router(paper.router)
    app.include_router(worklist.router)
    app.include_router(search.router)
    app.include_router(data_entry.router)  # before patients: /patients/new is not an id
    app.include_router(preop.router)
    app.include_router(patients.router)
    i18n.install(templates.env)
    app.add_exception_handler(SignInRequired, _to_login)
    app.add_exception_handler(BadForm, _bad_form)
    not_found_for_bad_ids(app)


MACHINE_PATHS = ("/api/", "/cds-services")
"""Paths whose clients read JSON errors (the API's handler answers them)."""


def not_found_for_bad_ids(app: FastAPI) -> None:
    """Pages answer a request FastAPI refuses (an id outside 1..2**31-1, a query value of the
    wrong type) with an HTML page: 404 when the address itself names nothing that can exist,
    422 otherwise. The API's JSON answer, installed before, still serves API paths."""
    for_machines = app.exception_handlers.get(RequestValidationError)

    async def refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if for_machines is not None and request.url.path.startswith(MACHINE_PATHS):
            answer = for_machines(request, exc)
            return await answer if inspect.isawaitable(answer) else answer
        in_path = any(error.get("loc", ("",))[0] == "path" for error in exc.errors())
        title, text, status = (
            ("Not found", "There is no such page. Check the address, or go back.", 404)
            if in_path
            else ("Not a valid request", "This address has a value spinetrack cannot use.", 422)
        )
        body = (
            f"<!doctype html><html lang=en><meta charset=utf-8><title>{title}</title>"
            f'<h1>{title}</h1><p>{text}</p><p><a href="/">spinetrack</a></p></html>'
        )
        return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})

    app.add_exception_handler(RequestValidationError, refused)


async def _to_login(request: Request, _: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


async def _bad_form(request: Request, _: Exception) -> Response:
    """A form post without a valid CSRF token: a page in the site's (or the patient's) layout that
    says nothing was saved and offers the form again."""
    path = request.url.path
    name = "patient/form_expired.html" if is_patient_page(path) else "form_expired.html"
    response = templates.TemplateResponse(
        request, name, {"visitor": None, "back": path, "clinic_name": ""}, status_code=400
    )
    response.headers["Cache-Control"] = "no-store"
    return response
