"""Patient search: by name without accents or capitals, by MRN or its beginning, by birth date in
the clinic's format or ISO; one clinic only, clinical roles only, every search audited; and the
name index follows the patients through insert, rename and delete (on SQLite and PostgreSQL)."""

from datetime import date

import pytest
from tests.support.records import new_patient
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.patient_search import MAX_RESULTS, search_patients


def _enrol(world: World, mrn: str, given: str, family: str, born: date, clinic: int = 0) -> int:
    patient = new_patient(mrn, given_name=given, family_name=family, birth_date=born)
    return register_patient(
        sessions=world.database.sessions,
        actor=world.admin if not clinic else world.outsider,
        clinic_id=clinic or world.clinic,
        patient=patient,
    ).id


def _found(world: World, text: str) -> list[str]:
    results = search_patients(
        sessions=world.database.sessions, actor=world.staff, clinic_id=world.clinic, text=text
    ).results
    return [p.mrn for p in results.items]


@pytest.fixture
def people(world: World) -> dict[str, int]:
    return {
        "MRN0000009": _enrol(world, "MRN0000009", "José", "Núñez", date(1961, 5, 17)),
        "MRN0000010": _enrol(world, "MRN0000010", "Josefina", "Ibáñez-Ortega", date(1970, 1, 2)),
        "MRN0000100": _enrol(world, "MRN0000100", "Ana", "Jones", date(1961, 5, 17)),
        "B-77": _enrol(world, "B-77", "Björn", "Øster", date(1955, 12, 1)),
    }


def test_a_name_is_found_without_its_accents_or_capitals(
    world: World, people: dict[str, int]
) -> None:
    assert _found(world, "jose") == ["MRN0000010", "MRN0000009"]  # by family name
    assert _found(world, "NUNEZ") == ["MRN0000009"]
    assert _found(world, "núñ") == ["MRN0000009"]
    assert _found(world, "jose nun") == ["MRN0000009"]
    assert _found(world, "Nunez, Jose") == ["MRN0000009"]
    assert _found(world, "ortega") == ["MRN0000010"]  # the second half of a double name
    assert _found(world, "øster bjorn") == ["B-77"]
    assert _found(world, "jones") == ["MRN0000100"]
    assert _found(world, "ez") == []  # the start of a word, not its middle


def test_an_mrn_is_found_exactly_or_by_its_beginning(world: World, people: dict[str, int]) -> None:
    assert _found(world, "MRN0000009") == ["MRN0000009"]
    assert _found(world, "mrn0000009") == ["MRN0000009"]
    assert _found(world, "MRN00001") == ["MRN0000100"]
    assert _found(world, "MRN000001") == ["MRN0000010"]
    assert _found(world, "MRN00000") == ["MRN0000010", "MRN0000009"]  # by name
    assert _found(world, "B-7") == ["B-77"]


def test_a_birth_date_is_found_in_the_clinic_s_format_and_iso(
    world: World, people: dict[str, int]
) -> None:
    assert _found(world, "17 May 1961") == ["MRN0000100", "MRN0000009"]  # by name: Jones, Núñez
    assert _found(world, "1961-05-17") == ["MRN0000100", "MRN0000009"]
    assert _found(world, "2 jan 1970") == ["MRN0000010"]


def test_results_carry_what_tells_patients_apart(world: World, people: dict[str, int]) -> None:
    results = search_patients(
        sessions=world.database.sessions, actor=world.clinician, clinic_id=world.clinic, text="jose"
    ).results
    first = results.items[1]
    assert (first.id, first.given_name, first.family_name, first.birth_date) == (
        people["MRN0000009"],
        "José",
        "Núñez",
        date(1961, 5, 17),
    )
    assert first.status is None  # no surgery yet
    assert results.searched_by == ["mrn", "name"] and not results.more


def test_another_clinic_s_patients_are_never_found(world: World, people: dict[str, int]) -> None:
    _enrol(world, "S1", "José", "Nunez", date(1961, 5, 17), clinic=world.other_clinic)
    assert _found(world, "nunez") == ["MRN0000009"]
    assert _found(world, "S1") == []
    with pytest.raises(NotFound):
        search_patients(
            sessions=world.database.sessions,
            actor=world.outsider,
            clinic_id=world.clinic,
            text="nunez",
        )


def test_analysts_may_not_search_identified_patients(world: World) -> None:
    with pytest.raises(AccessDenied):
        search_patients(
            sessions=world.database.sessions, actor=world.analyst, clinic_id=world.clinic, text="jo"
        )


def test_unusable_text_is_refused_naming_the_search_box(world: World) -> None:
    for text in ("j", " ", "x" * 101, "a b c d e"):
        with pytest.raises(InvalidInput) as refused:
            _found(world, text)
        assert refused.value.field == "q"


def test_a_long_list_is_cut_and_says_so(world: World) -> None:
    for n in range(MAX_RESULTS + 3):
        _enrol(world, f"M{n:03d}", "Maria", f"Garcia{n:03d}", date(1980, 1, 1))
    results = search_patients(
        sessions=world.database.sessions, actor=world.staff, clinic_id=world.clinic, text="maria"
    ).results
    assert len(results.items) == MAX_RESULTS and results.more
    assert results.items[0].family_name == "Garcia000"


def test_every_search_is_audited_with_the_patients_it_listed(
    world: World, people: dict[str, int]
) -> None:
    _found(world, "jose")
    with world.database.sessions() as uow:
        seen = [
            (e.actor, e.outcome, e.detail)
            for e in uow.audit.for_patient_anywhere(people["MRN0000009"])
            if e.action == "patient.search"
        ]
    assert len(seen) == 1
    actor, outcome, detail = seen[0]
    assert (actor, outcome) == ("staff@north.example", "ok") and "found=2" in detail
    assert "jose" not in detail.lower()  # the typed name is not copied into the trail


def test_the_name_index_follows_renames_and_deletions(world: World, people: dict[str, int]) -> None:
    with audited(world.database.sessions, world.admin, "test.rename", clinic_id=world.clinic) as w:
        patient = w.uow.patients(world.clinic).get(people["MRN0000009"])
        patient.given_name, patient.family_name = "Joaquín", "Pérez"
    assert _found(world, "nunez") == []
    assert _found(world, "joaquin perez") == ["MRN0000009"]
    with audited(world.database.sessions, world.admin, "test.erase", clinic_id=world.clinic) as w:
        w.uow.erase_patient_data(world.clinic)
    assert _found(world, "joaquin") == [] and _found(world, "ana") == []
