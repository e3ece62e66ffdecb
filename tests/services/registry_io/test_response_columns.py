"""Responses imported as columns store exactly what the same responses imported one by one store
(answers text, moments, scores, reasons) and give the same patients, surgeries, outcome rows and
triage assessments, and a refusal is named as the one-by-one import names it."""

import json
from datetime import date
from typing import Any

import polars as pl
import pytest
from sqlalchemy import text
from tests.conftest import row_counts
from tests.support.world import World

from spinetrack.demo.cohort import Cohort, generate_cohort
from spinetrack.demo.load import response_tables, to_imports
from spinetrack.demo.triage import triage_history
from spinetrack.domain.errors import InvalidInput
from spinetrack.services.access.actor import system_actor
from spinetrack.services.registry_io.import_patients import import_patients
from spinetrack.services.registry_io.response_columns import ResponseColumns
from spinetrack.services.triage.import_triage import import_triage

TODAY = date(2026, 6, 1)

RESPONSES = """
SELECT p.mrn, r.instrument, r.instrument_version, r.completed_at, r.source,
       CAST(r.answers AS TEXT) AS answers, r.score_status, r.score_answered, r.score_raw,
       r.score_percent, r.score_reason, r.entered_by_id
FROM prom_responses r JOIN patients p ON p.id = r.patient_id
WHERE r.clinic_id = :clinic ORDER BY r.id
"""
OUTCOMES = (
    "SELECT p.mrn, o.* FROM patient_outcomes o JOIN patients p ON p.id = o.patient_id "
    "WHERE o.clinic_id = :clinic ORDER BY p.mrn"
)
PATIENTS = "SELECT * FROM patients WHERE clinic_id = :clinic ORDER BY id"
SURGERIES = """
SELECT p.mrn, s.*, r.performed_on AS revises_day, CAST(s.levels AS TEXT) AS levels_text
FROM surgeries s JOIN patients p ON p.id = s.patient_id
LEFT JOIN surgeries r ON r.id = s.revision_of_id
WHERE s.clinic_id = :clinic ORDER BY s.id
"""
ASSESSMENTS = """
SELECT p.mrn, a.evaluation_date, a.rules_version, CAST(a.assessment AS TEXT) AS assessment,
       a.leading_cause, CAST(a.red_flags AS TEXT) AS red_flags, a.assessed_by,
       a.confirmed_cause, a.chosen_treatment, a.plan_note, a.confirmed_by
FROM triage_assessments a JOIN patients p ON p.id = a.patient_id
WHERE a.clinic_id = :clinic ORDER BY a.id
"""
UNCOMPARED = {
    "id",
    "clinic_id",
    "patient_id",
    "index_surgery_id",
    "computed_at",
    "created_at",
    "revision_of_id",
    "latest_assessment_id",
}


def _cohort() -> Cohort:
    """300 patients, a few ODI responses left too incomplete to score (the one-by-one path)."""
    cohort = generate_cohort(300, seed=4, today=TODAY)
    odi = cohort.answers["odi"]
    sparse = pl.int_range(pl.len()) < 5
    cohort.answers["odi"] = odi.with_columns(
        pl.when(sparse).then(None).otherwise(pl.col(f"odi_{i}")).alias(f"odi_{i}")
        for i in range(1, 8)
    )
    return cohort


def _rows(world: World, sql: str, clinic: int) -> list[dict[str, Any]]:
    with world.database.engine.connect() as connection:
        found = connection.execute(text(sql), {"clinic": clinic}).mappings()
        return [{k: v for k, v in row.items() if k not in UNCOMPARED} for row in found]


def _import(world: World, cohort: Cohort, clinic: int, *, by_columns: bool) -> None:
    surgeons = [world.surgeon_id] * len(cohort.surgeons)
    import_patients(
        sessions=world.database.sessions,
        actor=system_actor("test"),
        clinic_id=clinic,
        patients=to_imports(cohort, surgeons, responses=not by_columns),
        chunk=70,
        today=TODAY,
        response_tables=response_tables(cohort) if by_columns else (),
    )


def test_columns_store_what_one_by_one_stores(world: World) -> None:
    cohort = _cohort()
    _import(world, cohort, world.clinic, by_columns=False)
    _import(world, cohort, world.other_clinic, by_columns=True)
    one_by_one = _rows(world, RESPONSES, world.clinic)
    by_columns = _rows(world, RESPONSES, world.other_clinic)
    assert len(by_columns) == len(cohort.responses)
    assert {r["score_status"] for r in by_columns} == {"ok", "insufficient"}
    assert by_columns == one_by_one
    assert _rows(world, OUTCOMES, world.other_clinic) == _rows(world, OUTCOMES, world.clinic)
    for sql in (PATIENTS, SURGERIES):
        assert _rows(world, sql, world.other_clinic) == _rows(world, sql, world.clinic)


def test_the_triage_import_stores_the_same_assessments_after_either_import(world: World) -> None:
    """The triage read after a column import finds what it finds after a one-by-one import:
    the same assessments and outcome flags (the case names the patient's id: left out)."""
    cohort = _cohort()
    items = triage_history(cohort, 4, TODAY)
    assert items
    for clinic, by_columns in ((world.clinic, False), (world.other_clinic, True)):
        _import(world, cohort, clinic, by_columns=by_columns)
        import_triage(
            sessions=world.database.sessions,
            actor=system_actor("test"),
            clinic_id=clinic,
            items=items,
            evaluation_date=TODAY,
        )
    stored = [_rows(world, ASSESSMENTS, clinic) for clinic in (world.clinic, world.other_clinic)]
    for rows in stored:
        for row in rows:
            row["assessment"] = {
                k: v for k, v in json.loads(row["assessment"]).items() if k != "case_id"
            }
    assert len(stored[0]) == len(items)
    assert stored[0] == stored[1]
    assert _rows(world, OUTCOMES, world.other_clinic) == _rows(world, OUTCOMES, world.clinic)


def test_a_refused_column_response_is_named_as_one_by_one(world: World) -> None:
    cohort = generate_cohort(40, seed=4, today=TODAY)
    ndi = cohort.answers["ndi"]
    target = ndi.height // 2
    cohort.answers["ndi"] = ndi.with_columns(
        pl.when(pl.int_range(pl.len()) == target).then(99).otherwise(pl.col("ndi_3")).alias("ndi_3")
    )
    fields = []
    for by_columns in (False, True):
        with pytest.raises(InvalidInput) as error:
            _import(world, cohort, world.clinic, by_columns=by_columns)
        fields.append((error.value.field, error.value.reason))
    assert fields[0] == fields[1]
    assert fields[1][0].endswith(".answers")
    assert row_counts(world.database)["prom_responses"] == 0


def test_a_table_of_unknown_items_or_patients_is_refused_whole(world: World) -> None:
    cohort = generate_cohort(20, seed=4, today=TODAY)
    surgeons = [world.surgeon_id] * len(cohort.surgeons)
    good = response_tables(cohort)[0]
    renamed = good.table.rename({good.table.columns[-1]: "not_an_item"})
    outside = good.table.with_columns(pl.col("patient") + 100)
    for table, field in ((renamed, "answers.not_an_item"), (outside, "patient")):
        with pytest.raises(InvalidInput) as error:
            import_patients(
                sessions=world.database.sessions,
                actor=system_actor("test"),
                clinic_id=world.clinic,
                patients=to_imports(cohort, surgeons, responses=False),
                today=TODAY,
                response_tables=[ResponseColumns(good.instrument, table)],
            )
        assert error.value.field == f"response_tables.0.{field}"
    assert row_counts(world.database)["patients"] == 0
