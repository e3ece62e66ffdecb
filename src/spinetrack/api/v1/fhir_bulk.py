"""FHIR Bulk Data export under /api/v1/fhir (the Bulk Data Access IG's asynchronous pattern):
`GET $export` or `GET Patient/$export` is the kick-off (202 with Content-Location), that location
answers the status (200 with the manifest once complete, and an Expires header; DELETE removes the
job), and each file is downloaded as NDJSON with the same bearer token. An expired job answers 404
like a deleted one. The export itself is done during the kick-off (see
services/registry_io/bulk_export), so the first status request already finds it complete.
Also the SMART configuration document, which says honestly that no SMART authorization is offered."""

from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from spinetrack.api.deps import ClinicScope, CurrentActor, SessionsDep
from spinetrack.api.v1.fhir import FHIR_ERRORS, FHIR_OBJECT, FhirResponse, _outcome
from spinetrack.config import get_settings
from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.registry_io.bulk_export import (
    FOLDER,
    ExportRequest,
    Level,
    check_types,
    delete_export,
    expires_at,
    export_file,
    export_status,
    start_export,
)

router = APIRouter(prefix="/fhir", tags=["fhir"], default_response_class=FhirResponse)
NDJSON = "application/fhir+ndjson"
OUTPUT_FORMATS = frozenset({NDJSON, "application/ndjson", "ndjson"})
KICK_OFF_PARAMS = frozenset({"_outputFormat", "_type", "clinic"})
ACCEPTED = frozenset({"application/fhir+json", "application/json", "*/*"})


def _folder() -> Path:
    return get_settings().var_dir / FOLDER


def _refusal(request: Request) -> str | None:
    """Why a kick-off cannot be served as asked, or None."""
    unknown = sorted(set(request.query_params) - KICK_OFF_PARAMS)
    if unknown:
        return f"not supported here: {', '.join(unknown)} (only _outputFormat and _type)"
    output = request.query_params.get("_outputFormat")
    if output is not None and output not in OUTPUT_FORMATS:
        return f"_outputFormat {output!r}: only {NDJSON}"
    accept = request.headers.get("accept")
    if accept and not {a.split(";")[0].strip() for a in accept.split(",")} & ACCEPTED:
        return f"Accept {accept!r}: the kick-off answers application/fhir+json"
    prefer = request.headers.get("prefer")
    if prefer and "respond-async" not in prefer:
        return f"Prefer {prefer!r}: only respond-async is supported"
    return None


async def _kick_off(
    level: Level, request: Request, actor: CurrentActor, sessions: SessionsDep, clinic: int
) -> Response:
    refused = _refusal(request)
    if refused is not None:
        return _outcome(400, "not-supported", refused)
    raw_types = request.query_params.get("_type")
    types = tuple(t.strip() for t in raw_types.split(",") if t.strip()) if raw_types else None
    try:
        check_types(level, types)
    except InvalidInput as exc:
        return _outcome(400, "not-supported", exc.reason)
    job = await run_in_threadpool(
        start_export,
        sessions=sessions,
        actor=actor,
        clinic_id=clinic,
        request=ExportRequest(level, str(request.url), types),
        folder=_folder(),
        keep=timedelta(hours=get_settings().bulk_export_hours),
    )
    status = request.url_for("fhir_export_status", job_id=job)
    return Response(status_code=202, headers={"Content-Location": str(status)})


def _gone(exc: NotFound) -> Response:
    """A job or file that never was, was deleted, expired or is another clinic's: 404 with an
    OperationOutcome, as the IG asks after a delete (the four are not told apart)."""
    return _outcome(
        404, "not-found", f"{exc.what} {exc.key} not found (unknown, deleted or expired)"
    )


KICK_OFF: dict[int | str, dict[str, Any]] = {
    **FHIR_ERRORS,
    202: {"description": "Accepted; poll Content-Location"},
}
GONE: dict[int | str, dict[str, Any]] = {
    **FHIR_ERRORS,
    404: {
        "description": "No such job or file: never made, deleted, expired or another clinic's "
        "(OperationOutcome)",
        **FHIR_OBJECT,
    },
}


@router.get(
    "/$export",
    summary="Bulk Data export of the clinic (kick-off)",
    responses=KICK_OFF,
    status_code=202,
    response_class=Response,
)
async def export_system(
    request: Request, actor: CurrentActor, sessions: SessionsDep, clinic: ClinicScope
) -> Response:
    return await _kick_off("system", request, actor, sessions, clinic)


@router.get(
    "/Patient/$export",
    summary="Bulk Data export of every patient (kick-off)",
    responses=KICK_OFF,
    status_code=202,
    response_class=Response,
)
async def export_patients(
    request: Request, actor: CurrentActor, sessions: SessionsDep, clinic: ClinicScope
) -> Response:
    return await _kick_off("patient", request, actor, sessions, clinic)


@router.get(
    "/$export-status/{job_id}",
    name="fhir_export_status",
    summary="Bulk Data export status: the manifest once complete",
    responses=GONE,
    response_class=JSONResponse,
)
def export_job_status(job_id: str, request: Request, actor: CurrentActor) -> Response:
    try:
        manifest = export_status(actor=actor, folder=_folder(), job=job_id)
    except NotFound as exc:
        return _gone(exc)
    output = [
        {
            "type": o["type"],
            "url": str(request.url_for("fhir_export_file", job_id=job_id, name=o["file"])),
            "count": o["count"],
        }
        for o in manifest["output"]
    ]
    body: dict[str, Any] = {
        "transactionTime": manifest["transactionTime"],
        "request": manifest["request"],
        "requiresAccessToken": True,
        "output": output,
        "error": [],
    }
    expires = format_datetime(expires_at(manifest), usegmt=True)
    return JSONResponse(body, headers={"Expires": expires})


@router.delete(
    "/$export-status/{job_id}",
    summary="Remove a Bulk Data export job",
    responses=GONE,
    status_code=202,
    response_class=Response,
)
def export_job_delete(job_id: str, actor: CurrentActor, sessions: SessionsDep) -> Response:
    try:
        delete_export(sessions=sessions, actor=actor, folder=_folder(), job=job_id)
    except NotFound as exc:
        return _gone(exc)
    return Response(status_code=202)


@router.get(
    "/$export-file/{job_id}/{name}",
    name="fhir_export_file",
    summary="One NDJSON file of a Bulk Data export",
    responses=GONE,
    response_class=FileResponse,
)
def export_job_file(job_id: str, name: str, actor: CurrentActor, sessions: SessionsDep) -> Response:
    try:
        path = export_file(sessions=sessions, actor=actor, folder=_folder(), job=job_id, name=name)
    except NotFound as exc:
        return _gone(exc)
    return FileResponse(path, media_type=NDJSON)


@router.get(
    "/.well-known/smart-configuration",
    summary="SMART configuration: what of SMART App Launch is offered (none)",
    response_class=JSONResponse,
)
def smart_configuration() -> Response:
    """No SMART authorization server: access is by bearer API tokens a clinic issues, so every
    list is empty and no authorization or token endpoint is named."""
    return JSONResponse(
        {
            "capabilities": [],
            "grant_types_supported": [],
            "code_challenge_methods_supported": [],
            "scopes_supported": [],
            "response_types_supported": [],
            "token_endpoint_auth_methods_supported": [],
        },
        headers={"Cache-Control": "public, max-age=3600"},
    )
