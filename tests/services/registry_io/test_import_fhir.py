"""FHIR import: one transaction per Bundle, patients matched by the clinic's MRN system, the same
Bundle twice changes nothing, and every rejected resource is reported with its reason."""

from dataclasses import replace
from datetime import date

import pytest
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from tests.conftest import row_counts
from tests.support.bundles import MRN, bundle, odi, patient, record_bundle, surgery
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.interop.fhir.observation import to_observation
from spinetrack.interop.fhir.patient import to_patient
from spinetrack.interop.fhir.procedure import to_procedure
from spinetrack.interop.fhir.questionnaire_response import to_response
from spinetrack.interop.records import ScoreRecord
from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.records.patient_record import open_record
from spinetrack.services.records.read_models import PatientRecord
from spinetrack.services.registry_io.import_fhir import import_fhir
from spinetrack.services.registry_io.import_records import ImportRejected


def _import(world: World, raw: bytes) -> object:
    return import_fhir(
        sessions=world.database.sessions, actor=world.staff, clinic_id=world.clinic, bundle=raw
    )


def _record(world: World) -> PatientRecord:

    with world.database.sessions() as uow:
        stored = uow.patients(world.clinic).by_mrn(MRN)
        assert stored is not None
        patient_id = stored.id
    return open_record(
        sessions=world.database.sessions,
        actor=world.admin,
        clinic_id=world.clinic,
        patient_id=patient_id,
    )


def _without_audit(counts: dict[str, int]) -> dict[str, int]:
    return {table: n for table, n in counts.items() if not table.startswith("audit")}


def test_a_bundle_stores_its_patient_surgery_and_scored_responses_with_a_status(
    world: World,
) -> None:
    _import(world, record_bundle("north"))
    record = _record(world)
    assert record.patient.given_name == "Ada"
    assert [s.levels for s in record.surgeries] == [["L4-L5"]]
    assert [r.score_percent for r in record.responses] == [60.0, 60.0]
    assert all(r.source == "import" for r in record.responses)
    assert record.outcome is not None and record.outcome.status != "no_baseline"


def test_importing_the_same_bundle_twice_changes_nothing_the_second_time(world: World) -> None:
    raw = record_bundle("north")
    _import(world, raw)
    before = row_counts(world.database)
    report = _import(world, raw)
    assert _without_audit(row_counts(world.database)) == _without_audit(before)
    assert sum(report.created.values()) == 0  # type: ignore[attr-defined]
    assert report.unchanged["responses"] == 2  # type: ignore[attr-defined]


def test_a_known_patient_is_matched_by_mrn_and_their_details_updated(world: World) -> None:
    _import(world, record_bundle("north"))
    _import(world, record_bundle("north", given="Adele"))
    assert _record(world).patient.given_name == "Adele"


def test_a_broken_reference_rejects_the_bundle_and_changes_nothing_but_the_audit(
    world: World,
) -> None:
    orphan = to_response(odi(mrn="N-9999"))
    before = row_counts(world.database)
    with pytest.raises(ImportRejected) as caught:
        _import(world, bundle(to_patient(patient(), clinic="north"), orphan))
    assert _without_audit(row_counts(world.database)) == _without_audit(before)
    [note] = caught.value.report.rejected
    assert note.resource == f"QuestionnaireResponse/{orphan.id}"
    assert "not a Patient in the Bundle" in note.reason


def test_every_rejected_resource_is_reported_with_its_reason(world: World) -> None:
    wrong_gender = to_patient(patient(mrn="N-2"), clinic="north").model_copy(
        update={"gender": "bogus"}
    )
    other_system = to_patient(patient(mrn="N-3"), clinic="south")
    unfinished = to_response(odi()).model_copy(update={"status": "in-progress"})
    scored = replace(odi(day=date(2025, 1, 5)), score=ScoreRecord("ok", 10, 30, 60, ""))
    lone_score = to_observation(scored)
    assert isinstance(lone_score, Observation)
    with pytest.raises(ImportRejected) as caught:
        _import(
            world,
            bundle(
                to_patient(patient(), clinic="north"),
                wrong_gender,
                other_system,
                unfinished,
                lone_score,
            ),
        )
    reasons = {note.field: note.reason for note in caught.value.report.rejected}
    assert "is not one of" in reasons["gender"]
    assert "MRN system" in reasons["identifier"]
    assert "'in-progress'" in reasons["status"]
    skipped = {note.resource.split("/")[0]: note.reason for note in caught.value.report.skipped}
    assert "scores are computed here" in skipped["Observation"]


def test_answers_outside_the_instruments_range_are_rejected_by_the_usual_check(
    world: World,
) -> None:
    response = to_response(odi(answer=4)).model_copy()
    response.item[0].answer[0].valueCoding.code = "9"  # type: ignore[index]
    with pytest.raises(ImportRejected) as caught:
        _import(world, bundle(to_patient(patient(), clinic="north"), response))
    assert caught.value.report.rejected[0].field == "answers"


def test_a_surgery_that_contradicts_the_stored_one_is_rejected(world: World) -> None:
    _import(world, record_bundle("north"))
    changed = to_procedure(surgery(procedure="fusion"), today=date(2026, 1, 1))
    with pytest.raises(ImportRejected, match="differs from the surgery already stored"):
        _import(world, bundle(to_patient(patient(), clinic="north"), changed))


def test_a_file_that_is_not_a_bundle_is_unusable_as_a_whole(world: World) -> None:
    with pytest.raises(InvalidInput, match="not JSON"):
        _import(world, b"mrn,given_name\n")
    with pytest.raises(InvalidInput, match="not a FHIR Bundle"):
        _import(world, Patient(id="x").model_dump_json().encode())


def test_a_response_from_a_renderer_with_integer_answers_imports(world: World) -> None:
    response = QuestionnaireResponse.model_validate(
        {
            **to_response(odi()).model_dump(mode="json"),
            "item": [{"linkId": f"odi_{i}", "answer": [{"valueInteger": 2}]} for i in range(1, 9)],
        }
    )
    _import(world, bundle(to_patient(patient(), clinic="north"), response))
    [stored] = _record(world).responses
    assert (stored.score_answered, stored.score_percent) == (8, 40.0)


def test_analysts_may_not_import_and_other_clinics_are_not_found(world: World) -> None:
    raw = record_bundle("north")
    with pytest.raises(AccessDenied):
        import_fhir(
            sessions=world.database.sessions,
            actor=world.analyst,
            clinic_id=world.clinic,
            bundle=raw,
        )
    with pytest.raises(NotFound):
        import_fhir(
            sessions=world.database.sessions,
            actor=world.outsider,
            clinic_id=world.clinic,
            bundle=raw,
        )
