"""The language switch on patient pages: remember the pick in a cookie and go back.

A plain link (no form, no JavaScript) so it works on any phone; it changes nothing but the
visitor's own cookie, and it only ever returns to a page of this site."""

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from spinetrack.web.language import LANGUAGE_COOKIE, available

router = APIRouter(prefix="/language", include_in_schema=False)
ONE_YEAR = 365 * 24 * 3600


def _safe_next(target: str) -> str:
    """Only a path on this site: never `//elsewhere` or a full address."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/consult"


@router.get("/{code}")
def switch(request: Request, code: str, next: str = "/consult") -> RedirectResponse:
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.headers["Cache-Control"] = "no-store"
    if code in available():
        response.set_cookie(
            LANGUAGE_COOKIE,
            code,
            max_age=ONE_YEAR,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
    return response
