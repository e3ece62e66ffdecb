"""The patient repository never reaches outside the clinic it was built for."""

from datetime import date

import pytest

from spinetrack.domain.errors import NotFound
from spinetrack.services.operations.database import Database
from spinetrack.storage.tables import Clinic, Patient


def _patient(mrn: str) -> Patient:
    return Patient(
        mrn=mrn, given_name="Ada", family_name="Berg", birth_date=date(1960, 1, 2), sex="female"
    )


def test_a_patient_of_another_clinic_is_not_found(database: Database) -> None:
    with database.sessions() as uow:
        north = uow.clinics.add(Clinic(slug="n", name="N"))
        south = uow.clinics.add(Clinic(slug="s", name="S"))
        mine = uow.patients(north.id).add(_patient("1"))
        uow.patients(south.id).add(_patient("1"))
        uow.commit()
    with database.sessions() as uow:
        assert uow.patients(north.id).get(mine.id).mrn == "1"
        with pytest.raises(NotFound):
            uow.patients(south.id).get(mine.id)
        assert uow.patients(north.id).count() == 1
        assert [p.id for p in uow.patients(south.id).page(offset=0, limit=10)] != [mine.id]


def test_leaving_the_unit_of_work_without_commit_stores_nothing(database: Database) -> None:
    with database.sessions() as uow:
        clinic = uow.clinics.add(Clinic(slug="n", name="N"))
        uow.commit()
    with database.sessions() as uow:
        uow.patients(clinic.id).add(_patient("2"))
    with database.sessions() as uow:
        assert uow.patients(clinic.id).count() == 0
