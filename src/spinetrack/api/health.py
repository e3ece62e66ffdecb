"""/health: is the process up and is its database reachable and migrated (for load balancers)."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from spinetrack import __version__
from spinetrack.api.deps import DatabaseDep

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    responses={503: {"description": "The database is unreachable or not migrated"}},
)
def health(database: DatabaseDep) -> JSONResponse:
    try:
        database.ping()
        migrated = database.is_current()
    except Exception as exc:  # any database failure is reported, not raised
        return JSONResponse({"status": "error", "detail": type(exc).__name__}, status_code=503)
    body = {"status": "ok" if migrated else "migrations pending", "version": __version__}
    return JSONResponse(body, status_code=200 if migrated else 503)
