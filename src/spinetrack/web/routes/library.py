"""The education library: a public glossary of spine conditions, causes, tests and treatments.

No sign-in: patients arrive here from a link or a search engine. Pages are rendered from
``spinetrack.domain.education``; search works as a plain GET form, so it needs no JavaScript.
"""

import threading
from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from spinetrack.domain import education
from spinetrack.domain.education.search import MAX_QUERY
from spinetrack.web.deps import CurrentVisitor, Visitor
from spinetrack.web.pages import page_route
from spinetrack.web.templating import templates


def _no_such_entry(request: Request, _: Exception) -> HTMLResponse:
    visitor = getattr(request.state, "visitor", None)
    assert isinstance(visitor, Visitor)  # every library page depends on CurrentVisitor
    return templates.TemplateResponse(
        request, "library/not_found.html", {**_common(visitor), "q": ""}, status_code=404
    )


router = APIRouter(
    prefix="/library", include_in_schema=False, route_class=page_route(not_found=_no_such_entry)
)

KINDS = {
    "condition": "Conditions",
    "cause": "Causes of pain after surgery",
    "test": "Tests",
    "treatment": "Treatments",
    "guide": "Looking after yourself",
}
KIND_OF_ENTRY = {
    "condition": "Condition",
    "cause": "Cause of pain after surgery",
    "test": "Test",
    "treatment": "Treatment",
    "guide": "Looking after yourself",
}
REGIONS = {"cervical": "neck", "thoracic": "upper back", "lumbar": "low back"}
EVIDENCE = {
    "guideline": "Guideline",
    "systematic_review": "Systematic review",
    "trial": "Trial",
    "cohort": "Cohort study",
    "other": "Other source",
}


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
    education.entries()
    education.urgent_care()
    for name in ("library/index.html", "library/entry.html", "library/not_found.html"):
        templates.env.get_template(name)  # compiled once, here, rather than on a first visit


def _ready() -> None:
    """Wait for the start-up build if it is still running, rather than build a second copy."""
    for thread in _warming:
        thread.join()


def _groups() -> list[tuple[str, list[education.Entry]]]:
    order = list(KINDS)
    by_kind = sorted(education.entries(), key=lambda e: (order.index(e.kind), e.title.lower()))
    return [(KINDS[kind], list(items)) for kind, items in groupby(by_kind, key=lambda e: e.kind)]


def _common(visitor: Visitor) -> dict[str, object]:
    return {
        "visitor": visitor,
        "urgent": education.urgent_care(),
        "kind_label": KIND_OF_ENTRY,
        "regions": REGIONS,
        "evidence_label": EVIDENCE,
    }


@router.get("", response_class=HTMLResponse)
def index(
    request: Request, visitor: CurrentVisitor, q: Annotated[str, Query()] = ""
) -> HTMLResponse:
    _ready()
    query = q.strip()[:MAX_QUERY]
    context = {
        **_common(visitor),
        "q": query,
        "results": education.search(query) if query else None,
        "groups": _groups(),
        "count": len(education.entries()),
    }
    return templates.TemplateResponse(request, "library/index.html", context)


@router.get("/glossary", response_class=HTMLResponse)
def glossary(request: Request, visitor: CurrentVisitor) -> HTMLResponse:
    """Every word the pages link, with its meaning: the pages' definitions in one place."""
    context = {**_common(visitor), "words": education.words()}
    return templates.TemplateResponse(request, "library/glossary.html", context)


@router.get("/{entry_id}", response_class=HTMLResponse)
def page(request: Request, visitor: CurrentVisitor, entry_id: str) -> HTMLResponse:
    _ready()
    found = education.entry(entry_id)
    related = [education.entry(related_id) for related_id in found.meta.related]
    context = {**_common(visitor), "entry": found, "related": related}
    return templates.TemplateResponse(request, "library/entry.html", context)
