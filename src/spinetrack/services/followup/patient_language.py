"""Remember the language a patient answered in, so their next e-mails are written in it.

Patients never sign in and never fill in a profile; the language they chose (or their browser
chose) while answering their questionnaire is the best sign of what they read. It is kept on the
patient when the answers are sent, through the same link, and audited like the answers."""

from spinetrack.services.access.actor import Actor
from spinetrack.services.access.patient_links import answered_link
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.patient_side.catalogues import languages
from spinetrack.storage.unit_of_work import UnitOfWorkFactory


def remember_language(
    *, sessions: UnitOfWorkFactory, token: str, language: str, remote: str | None
) -> None:
    """Keep `language` for the patient of an answered link; a language not shipped is ignored."""
    if language not in languages():
        return
    with sessions() as uow:
        row = answered_link(uow, token)
        link_id, clinic_id, patient_id = row.id, row.clinic_id, row.patient_id
    with audited(
        sessions,
        Actor(name=f"patient-link:{link_id}", remote=remote),
        "patient.language",
        clinic_id=clinic_id,
        patient_id=patient_id,
    ) as work:
        patient = work.uow.patients(clinic_id).get(patient_id)
        if patient.language == language:
            work.detail = "unchanged"
            return
        patient.language = language
        work.target = f"link:{link_id}"
        work.detail = language
