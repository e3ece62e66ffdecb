"""Pre-operative records from a CSV: checked like the form, all or nothing, line and column named."""

import pytest
from tests.conftest import row_counts
from tests.support.records import new_patient
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.risk.import_preop_csv import import_preop_csv
from spinetrack.services.risk.preop_record import read_preop


def _patients(world: World) -> list[int]:
    return [
        register_patient(
            sessions=world.database.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            patient=new_patient(mrn),
        ).id
        for mrn in ("A1", "A2")
    ]


def test_a_good_file_stores_every_row(world: World) -> None:
    first, second = _patients(world)
    data = b"mrn,bmi,smoker,phq9,opioid_use\nA1,29.4,yes,11,\nA2,,false,,true\n"
    count = import_preop_csv(
        sessions=world.database.sessions, actor=world.staff, clinic_id=world.clinic, data=data
    )
    assert count == 2
    one = read_preop(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=first,
    )
    assert (one.bmi, one.smoker, one.distress, one.opioid_use) == (29.4, True, True, None)
    two = read_preop(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient_id=second,
    )
    assert (two.smoker, two.opioid_use, two.distress) == (False, True, None)


@pytest.mark.parametrize(
    ("data", "field", "where"),
    [
        (b"mrn,asa\nA1,2\nA2,7\n", "asa", "line 3"),
        (b"mrn,smoker\nA1,often\n", "smoker", "line 2"),
        (b"mrn,gad7\nA1,x\n", "gad7", "line 2"),
        (b"mrn,bmi\nZZ,30\n", "mrn", "ZZ"),
        (b"mrn,weight\nA1,80\n", "weight", "unknown column"),
    ],
)
def test_a_bad_cell_is_named_and_nothing_is_stored(
    world: World, data: bytes, field: str, where: str
) -> None:
    _patients(world)
    before = row_counts(world.database)["preop_records"]
    with pytest.raises(InvalidInput) as caught:
        import_preop_csv(
            sessions=world.database.sessions, actor=world.staff, clinic_id=world.clinic, data=data
        )
    assert caught.value.field == field
    assert where in caught.value.message
    assert row_counts(world.database)["preop_records"] == before == 0


def test_a_second_file_overwrites_the_records_it_names_and_keeps_the_others(world: World) -> None:
    first, second = _patients(world)
    for data in (b"mrn,bmi,smoker\nA1,29.4,yes\nA2,31,no\n", b"mrn,bmi\nA1,25\n"):
        import_preop_csv(
            sessions=world.database.sessions, actor=world.staff, clinic_id=world.clinic, data=data
        )
    assert row_counts(world.database)["preop_records"] == 2
    one, two = (
        read_preop(
            sessions=world.database.sessions,
            actor=world.staff,
            clinic_id=world.clinic,
            patient_id=patient,
        )
        for patient in (first, second)
    )
    assert (one.bmi, one.smoker) == (25, None)  # the whole record is the new line's
    assert (two.bmi, two.smoker) == (31, False)
