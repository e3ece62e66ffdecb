"""Server-rendered pages for surgeons, patients and analysts (Jinja2, no JavaScript build)."""

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
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
    questionnaire,
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
    app.include_router(data_entry.router)  # before patients: /patients/new is not an id
    app.include_router(patients.router)
    i18n.install(templates.env)
    app.add_exception_handler(SignInRequired, _to_login)
    app.add_exception_handler(BadForm, _bad_form)


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
