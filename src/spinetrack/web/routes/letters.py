"""The printable summary letter about one patient for the referring doctor
(/patients/{id}/letter): clinical roles of the patient's clinic only, an audited read."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from spinetrack.services.clinician.patient_letter import letter_html, patient_letter
from spinetrack.web.deps import ClinicQuery, PageId, PageSessions, SignedIn
from spinetrack.web.pages import page_route

router = APIRouter(
    include_in_schema=False,
    route_class=page_route(
        not_found="No such patient.", denied="Your role may not see patient letters."
    ),
)


@router.get("/patients/{patient_id}/letter", response_class=HTMLResponse)
def letter_page(
    request: Request,
    patient_id: PageId,
    visitor: SignedIn,
    sessions: PageSessions,
    clinic: ClinicQuery = None,
) -> HTMLResponse:
    actor = visitor.actor
    clinic_id = clinic if clinic is not None else actor.default_clinic()
    letter = patient_letter(
        sessions=sessions, actor=actor, clinic_id=clinic_id, patient_id=patient_id
    )
    stylesheet = str(request.url_for("static", path="css/analytics.css"))
    return HTMLResponse(letter_html(letter, stylesheet=stylesheet))
