"""The letter to the referring doctor is addressed to them, signed by the clinician who wrote it,
and lists the scores by time point in words (issue 18, point 13)."""

from datetime import timedelta

from tests.support.records import TODAY, answer, fusion, new_patient
from tests.support.world import World

from spinetrack.services.clinician.patient_letter import letter_html, patient_letter
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.register_surgery import register_surgery


def _patient(world: World, **referrer: str) -> int:
    patient = register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient("L1", **referrer),
    ).id
    day = TODAY - timedelta(days=200)
    register_surgery(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
        surgery=fusion(performed_on=day, surgeon_id=world.surgeon_id),
    )
    answer(world, patient, 3, day - timedelta(days=14))
    answer(world, patient, 1, day + timedelta(days=187))
    return patient


def test_the_letter_has_an_addressee_a_signature_and_scores_by_time_point(world: World) -> None:
    patient = _patient(
        world,
        referrer_name="Dr Ada Jones",
        referrer_practice="Riverside Surgery",
        referrer_address="1 River Road\nNorthtown NT1 2AB",
    )
    letter = patient_letter(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient,
    )
    assert letter.addressee == [
        "Dr Ada Jones",
        "Riverside Surgery",
        "1 River Road",
        "Northtown NT1 2AB",
    ]
    assert (letter.signer, letter.signer_role) == ("Clinician", "Clinician")
    assert [label for label, _ in letter.table] == ["Before surgery", "6 months"]
    html = letter_html(letter)
    assert "Dear Dr Ada Jones," in html and "Riverside Surgery<br>1 River Road" in html
    assert (
        "Yours sincerely" in html and "<strong>Clinician</strong><br>Clinician, North Spine" in html
    )
    assert '<th scope="row">6 months</th>' in html
    assert "Day after operation" not in html and "-14" not in html
    assert "Latest follow-up: 6 months" in html


def test_without_a_known_referrer_the_letter_says_the_referring_doctor(world: World) -> None:
    patient = _patient(world)
    letter = patient_letter(
        sessions=world.database.sessions,
        actor=world.admin,
        clinic_id=world.clinic,
        patient_id=patient,
    )
    html = letter_html(letter)
    assert "The referring doctor" in html and "Dear colleague," in html
    assert "Clinic administrator, North Spine" in html
