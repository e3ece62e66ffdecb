"""The education library: a public glossary of spine conditions, causes, tests and treatments.

No sign-in: patients arrive here from a link or a search engine. Pages are rendered from
``spinetrack.domain.education``; search works as a plain GET form, so it needs no JavaScript.

The library is for patients, so it speaks the language ``web.language`` chooses for the request
(the switch's cookie, else the browser's Accept-Language). A page with no translation in that
language is shown in English with a short notice in the visitor's language; a translation made
from an older English text is shown with a notice and a link to the current English page.
"""

import threading
from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from spinetrack.domain import education
from spinetrack.domain.education.search import MAX_QUERY
from spinetrack.web.deps import CurrentVisitor, Visitor
from spinetrack.web.language import choose
from spinetrack.web.pages import page_route
from spinetrack.web.templating import templates


def _no_such_entry(request: Request, _: Exception) -> HTMLResponse:
    visitor = getattr(request.state, "visitor", None)
    assert isinstance(visitor, Visitor)  # every library page depends on CurrentVisitor
    language = _language(request)
    return _varied(
        templates.TemplateResponse(
            request,
            "library/not_found.html",
            {**_common(visitor, language), "q": ""},
            status_code=404,
        )
    )


router = APIRouter(
    prefix="/library", include_in_schema=False, route_class=page_route(not_found=_no_such_entry)
)

KIND_ORDER = ("condition", "cause", "test", "treatment", "guide")
"""The index's groups, in order; their names are in ``library/_labels.html`` (translated there)."""


_warming: list[threading.Thread] = []
_starting = threading.Lock()


def warm_up() -> None:
    """Build the library (parse every page, stem its words into the search index) once, at
    start-up, and return when it is built: it takes a good part of a second, which the first
    visitor would otherwise wait for. Requests arriving meanwhile (another start-up) wait for
    this build instead of starting a second one."""
    with _starting:
        if not _warming:
            thread = threading.Thread(target=_build, name="library-warm-up", daemon=True)
            _warming.append(thread)
            thread.start()
    _ready()


def _build() -> None:
    for language in education.languages():
        education.entries(language)
        education.urgent_care(language)
    for name in ("library/index.html", "library/entry.html", "library/not_found.html"):
        templates.env.get_template(name)  # compiled once, here, rather than on a first visit


def _ready() -> None:
    """Wait for the start-up build if it is still running, rather than build a second copy."""
    for thread in _warming:
        thread.join()


def _language(request: Request) -> str:
    """The visitor's language if the library is written in it, else English."""
    wanted = choose(request)
    return wanted if wanted in education.languages() else education.SOURCE_LANGUAGE


def _groups(language: str) -> list[tuple[str, list[education.Entry]]]:
    ordered = sorted(
        education.entries(language), key=lambda e: (KIND_ORDER.index(e.kind), e.title.lower())
    )
    return [(kind, list(items)) for kind, items in groupby(ordered, key=lambda e: e.kind)]


def _varied(response: HTMLResponse) -> HTMLResponse:
    """The same address answers in the visitor's language: caches must keep one copy per language."""
    response.headers["Vary"] = "Accept-Language, Cookie"
    return response


def _common(visitor: Visitor, language: str) -> dict[str, object]:
    return {
        "visitor": visitor,
        "urgent": education.urgent_care(language),
        "library_language": language,
    }


@router.get("", response_class=HTMLResponse)
def index(
    request: Request, visitor: CurrentVisitor, q: Annotated[str, Query()] = ""
) -> HTMLResponse:
    _ready()
    language = _language(request)
    query = q.strip()[:MAX_QUERY]
    context = {
        **_common(visitor, language),
        "q": query,
        "results": education.search(query, language) if query else None,
        "groups": _groups(language),
        "count": len(education.entries(language)),
    }
    return _varied(templates.TemplateResponse(request, "library/index.html", context))


@router.get("/glossary", response_class=HTMLResponse)
def glossary(request: Request, visitor: CurrentVisitor) -> HTMLResponse:
    """Every word the pages link, with its meaning: the pages' definitions in one place."""
    language = _language(request)
    context = {**_common(visitor, language), "words": education.words(language)}
    return _varied(templates.TemplateResponse(request, "library/glossary.html", context))


@router.get("/{entry_id}", response_class=HTMLResponse)
def page(request: Request, visitor: CurrentVisitor, entry_id: str) -> HTMLResponse:
    _ready()
    language = _language(request)
    found = education.entry(entry_id, language)
    related = [education.entry(related_id, language) for related_id in found.meta.related]
    context = {**_common(visitor, language), "entry": found, "related": related}
    return _varied(templates.TemplateResponse(request, "library/entry.html", context))
