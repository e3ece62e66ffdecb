"""Bulk import (and so the demo clinic): all records checked, all or nothing."""

from datetime import date

import pytest
from tests.conftest import row_counts
from tests.support.world import World

from spinetrack.demo.cohort import generate_cohort
from spinetrack.demo.load import to_imports
from spinetrack.domain.errors import InvalidInput
from spinetrack.services.access.actor import system_actor
from spinetrack.services.registry_io.import_patients import import_patients


def test_a_generated_cohort_imports_whole_with_a_status_for_everyone(world: World) -> None:
    cohort = generate_cohort(60, seed=2, today=date(2026, 6, 1))
    imports = to_imports(cohort, [world.surgeon_id] * len(cohort.surgeons))
    count = import_patients(
        sessions=world.database.sessions,
        actor=system_actor("test"),
        clinic_id=world.clinic,
        patients=imports,
        chunk=25,
    )
    counts = row_counts(world.database)
    assert count == counts["patients"] == counts["patient_outcomes"] == 60
    assert counts["surgeries"] == len(cohort.surgeries)
    assert counts["prom_responses"] == len(cohort.responses)
    assert counts["complications"] == len(cohort.complications)


def test_one_bad_record_stores_nothing_and_names_where_it_is(world: World) -> None:
    cohort = generate_cohort(30, seed=2, today=date(2026, 6, 1))
    imports = to_imports(cohort, [world.surgeon_id] * len(cohort.surgeons))
    imports[17].surgeries[0].surgery.levels = ["L9-L10"]
    before = row_counts(world.database)
    with pytest.raises(InvalidInput) as error:
        import_patients(
            sessions=world.database.sessions,
            actor=system_actor("test"),
            clinic_id=world.clinic,
            patients=imports,
            chunk=10,
        )
    assert error.value.field == "patients.17.surgeries.0.levels.0"
    after = row_counts(world.database)
    assert after["patients"] == before["patients"] == 0
    assert after["audit_entries"] == before["audit_entries"] + 1


def test_a_response_refused_after_bulk_scoring_is_named_as_one_by_one(world: World) -> None:
    cohort = generate_cohort(30, seed=2, today=date(2026, 6, 1))
    imports = to_imports(cohort, [world.surgeon_id] * len(cohort.surgeons))
    patient = next(i for i, p in enumerate(imports) if len(p.responses) >= 2 and i > 12)
    bad = imports[patient].responses[1]
    bad.answers = {key: 99 for key in bad.answers}
    with pytest.raises(InvalidInput) as error:
        import_patients(
            sessions=world.database.sessions,
            actor=system_actor("test"),
            clinic_id=world.clinic,
            patients=imports,
            chunk=10,
        )
    assert error.value.field == f"patients.{patient}.responses.1.answers"
    assert "outside" in error.value.reason
    assert row_counts(world.database)["prom_responses"] == 0
