"""The printable summary letter about one patient for the referring doctor
(/patients/{id}/letter): clinical roles of the patient's clinic only, an audited read."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from spinetrack.domain.errors import NotFound
from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.clinician.patient_letter import letter_html, patient_letter
from spinetrack.web.deps import ClinicQuery, PageId, PageSessions, SignedIn

router = APIRouter(include_in_schema=False)


@router.get("/patients/{patient_id}/letter", response_class=HTMLResponse)
def letter_page(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> HTMLResponse:
    actor = visitor.actor
    assert actor is not None
    try:
        clinic_id = clinic if clinic is not None else actor.default_clinic()
        letter = patient_letter(
            sessions=sessions, actor=actor, clinic_id=clinic_id, patient_id=patient_id
        )
    except NotFound:
        return HTMLResponse("<!doctype html><title>Not found</title><p>No such patient.</p>", 404)
    except AccessDenied:
        body = (
            "<!doctype html><title>Not allowed</title><p>Your role may not see patient letters.</p>"
        )
        return HTMLResponse(body, 403)
    stylesheet = str(request.url_for("static", path="css/analytics.css"))
    return HTMLResponse(letter_html(letter, stylesheet=stylesheet))
