"""The triage import reads a patient's rows as plain columns, not ORM objects: each stored case is
the one `build_case` makes from the patient's stored objects, and its assessment is that case's."""

from collections import defaultdict
from datetime import date
from typing import Any

from tests.support.world import World

from spinetrack.demo.cohort import generate_cohort
from spinetrack.demo.load import response_tables, to_imports
from spinetrack.demo.triage import triage_history
from spinetrack.domain.triage import assess
from spinetrack.services.access.actor import system_actor
from spinetrack.services.registry_io.import_patients import import_patients
from spinetrack.services.triage.import_triage import import_triage
from spinetrack.services.triage.triage_case import CaseInputs, build_case
from spinetrack.storage.tables import ClinicalFinding, PromResponse, Surgery, TriageAssessment

TODAY = date(2026, 6, 1)


def _by_patient(rows: list[Any]) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.patient_id].append(row)
    return grouped


def test_each_stored_case_is_the_one_built_from_the_stored_objects(world: World) -> None:
    cohort = generate_cohort(300, seed=5, today=TODAY)
    actor = system_actor("test")
    import_patients(
        sessions=world.database.sessions,
        actor=actor,
        clinic_id=world.clinic,
        patients=to_imports(cohort, [world.surgeon_id] * len(cohort.surgeons), responses=False),
        today=TODAY,
        response_tables=response_tables(cohort),
    )
    items = triage_history(cohort, 5, TODAY)
    count = import_triage(
        sessions=world.database.sessions,
        actor=actor,
        clinic_id=world.clinic,
        items=items,
        evaluation_date=TODAY,
    )
    assert count == len(items) > 10
    with world.database.sessions() as uow:
        repo = uow.patients(world.clinic)
        surgeries = _by_patient(repo.every(Surgery))
        responses = _by_patient(repo.every(PromResponse))
        findings = _by_patient(repo.every(ClinicalFinding))
        stored = repo.every(TriageAssessment)
        assert len(stored) == count
        for row in stored:
            case = build_case(
                patient=repo.get(row.patient_id),
                surgeries=surgeries[row.patient_id],
                responses=responses[row.patient_id],
                findings=findings[row.patient_id],
                inputs=CaseInputs(evaluation_date=TODAY),
            )
            assert row.case == case
            assert row.assessment == assess(case).model_dump(mode="json", by_alias=True)
