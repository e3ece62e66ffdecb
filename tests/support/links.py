"""A registered patient with a questionnaire link issued by staff: the starting point of every
patient-link test, whichever door (service, page, browser) it then goes through."""

from tests.services.test_enrol_patient import new_patient
from tests.support.world import World

from spinetrack.services.enrol_patient import register_patient
from spinetrack.services.patient_links import NewLink, issue_link


def issued_link(
    world: World,
    instruments: list[str] | None = None,
    *,
    timepoint: str | None = None,
    **link: object,
) -> tuple[int, str]:
    """Returns the patient id and the link's token (the secret the patient receives)."""
    patient_id = register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient(),
    ).id
    chosen = instruments if instruments is not None else ["odi", "nrs_back"]
    issued = issue_link(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=patient_id,
        link=NewLink.model_validate({"instruments": chosen, **link}),
        timepoint=timepoint,
    )
    return patient_id, issued.token
