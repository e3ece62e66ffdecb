"""Statements that moved out of services into storage keep to the clinic they were given."""

from datetime import date

from spinetrack.services.operations.database import Database
from spinetrack.storage.tables import Clinic, Patient, Surgery, User


def _patient(mrn: str) -> dict[str, object]:
    return {
        "mrn": mrn,
        "given_name": "Ada",
        "family_name": "Berg",
        "birth_date": date(1960, 1, 2),
        "sex": "female",
    }


def _two_clinics(database: Database) -> tuple[int, int]:
    with database.sessions() as uow:
        north = uow.clinics.add(Clinic(slug="n", name="N")).id
        south = uow.clinics.add(Clinic(slug="s", name="S")).id
        uow.commit()
    return north, south


def test_bulk_inserted_rows_get_their_ids_in_order_and_the_repositorys_clinic(
    database: Database,
) -> None:
    north, south = _two_clinics(database)
    with database.sessions() as uow:
        repo = uow.patients(north)
        ids = repo.insert_returning_ids(Patient, [_patient("b"), _patient("a"), _patient("c")])
        surgery = {
            "performed_on": date(2025, 3, 1),
            "region": "lumbar",
            "procedure": "discectomy",
            "approach": "open",
        }
        first, second = repo.insert_returning_ids(
            Surgery, [{**surgery, "patient_id": ids[0]}, {**surgery, "patient_id": ids[0]}]
        )
        repo.link_revisions([(second, first)])
        uow.commit()
    with database.sessions() as uow:
        assert [uow.patients(north).get(i).mrn for i in ids] == ["b", "a", "c"]
        assert uow.patients(south).count() == 0
        surgeries = uow.patients(north).surgeries(ids[0])
        assert {s.id: s.revision_of_id for s in surgeries} == {first: None, second: first}
        assert {p.id for p in uow.patients(north).birth_dates(ids)} == set(
            uow.patients(north).mrns()
        )


def test_fhir_settings_are_per_clinic(database: Database) -> None:
    north, south = _two_clinics(database)
    with database.sessions() as uow:
        uow.fhir_settings(north).add_mrn_system("urn:oid:1.2")
        uow.fhir_settings(north).add_mrn_system("urn:oid:1.1")
        uow.fhir_settings(north).replace_questionnaire_map("https://q", "odi", {"a": "odi1"})
        uow.fhir_settings(north).replace_questionnaire_map("https://q", "ndi", {"b": "ndi1"})
        uow.commit()
    with database.sessions() as uow:
        assert uow.fhir_settings(north).mrn_systems() == ["urn:oid:1.2", "urn:oid:1.1"]
        assert uow.fhir_settings(south).mrn_systems() == []
        assert not uow.fhir_settings(south).remove_mrn_system("urn:oid:1.2")
        assert uow.fhir_settings(north).remove_mrn_system("urn:oid:1.2")
        maps = uow.fhir_settings(north).questionnaire_maps()
        assert [(m.canonical, m.instrument) for m in maps] == [("https://q", "ndi")]
        assert uow.fhir_settings(south).questionnaire_maps() == []


def test_erasing_a_clinics_patients_leaves_the_other_clinic_alone(database: Database) -> None:
    north, south = _two_clinics(database)
    with database.sessions() as uow:
        uow.patients(north).insert_returning_ids(Patient, [_patient("1"), _patient("2")])
        uow.patients(south).insert_returning_ids(Patient, [_patient("1")])
        uow.commit()
    with database.sessions() as uow:
        assert uow.erase_patient_data(north) == 2
        uow.commit()
    with database.sessions() as uow:
        assert (uow.patients(north).count(), uow.patients(south).count()) == (0, 1)


def test_the_analytics_rows_name_only_the_clinics_own_surgeons(database: Database) -> None:
    north, south = _two_clinics(database)
    with database.sessions() as uow:
        mine = uow.users.add(User(email="m@n.example", full_name="Mine", password_hash="x"))
        theirs = uow.users.add(User(email="t@s.example", full_name="Theirs", password_hash="x"))
        for clinic, surgeon in ((north, mine.id), (south, theirs.id)):
            (pid,) = uow.patients(clinic).insert_returning_ids(Patient, [_patient("1")])
            uow.patients(clinic).insert_returning_ids(
                Surgery,
                [
                    {
                        "patient_id": pid,
                        "performed_on": date(2025, 1, 1),
                        "region": "lumbar",
                        "procedure": "discectomy",
                        "approach": "open",
                        "surgeon_id": surgeon,
                    }
                ],
            )
        uow.commit()
    with database.sessions(read_only=True) as uow:
        rows = uow.analytics(north).registry_rows()
        assert [s[6] for s in rows.surgeries] == ["Mine"]
        assert len(rows.patients) == 1
        assert uow.analytics(north).version_and_threshold() is not None
        assert uow.analytics(10_000).version_and_threshold() is None
