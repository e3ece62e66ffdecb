"""A registered patient with a questionnaire link issued by staff: the starting point of every
patient-link test, whichever door (service, page, browser) it then goes through."""

from datetime import date, timedelta

from tests.support.records import new_patient
from tests.support.world import World

from spinetrack.services.access.patient_links import NewLink, issue_link
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.register_surgery import NewSurgery, register_surgery


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


def operated_link(world: World, days_ago: int) -> tuple[int, str, date]:
    """A patient with a link for the back-pain scale and an instrumented L4-L5 fusion `days_ago`
    days before today: the patient id, the link's token and the day of surgery."""
    patient_id, token = issued_link(world, ["nrs_back"])
    surgery_day = date.today() - timedelta(days=days_ago)
    register_surgery(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient_id,
        surgery=NewSurgery.model_validate(
            {
                "performed_on": surgery_day,
                "region": "lumbar",
                "procedure": "fusion",
                "approach": "posterior",
                "levels": ["L4-L5"],
                "instrumented": True,
            }
        ),
    )
    return patient_id, token, surgery_day
