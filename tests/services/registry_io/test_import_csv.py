"""CSV import: every row checked like a single entry, all-or-nothing or accept-valid, a report of the
rejected rows, and files that cannot be read (wrong delimiter or encoding) change nothing."""

import pytest
from tests.conftest import row_counts
from tests.support.csv_tables import PATIENTS, RESPONSES
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput
from spinetrack.services.records.patient_record import open_record
from spinetrack.services.registry_io.import_csv import import_csv
from spinetrack.services.registry_io.import_records import ImportRejected, ImportReport

BAD_ROWS = (
    "mrn,given_name,family_name,birth_date,sex\n"
    "A-1,Ines,Berg,1970-01-31,female\n"
    "A-3,Rut,Holm,31/01/1970,female\n"
    "A-4,Per,Dahl,1960-02-02,robot\n"
)
SURGERIES = (
    "mrn,performed_on,region,procedure,approach,levels,instrumented,surgeon\n"
    "A-1,2025-01-10,lumbar,fusion,posterior,L4-L5;L5-S1,true,clinician@north.example\n"
)


def _import(
    world: World, kind: str, text: str | bytes, mode: str = "all-or-nothing"
) -> ImportReport:
    data = text.encode() if isinstance(text, str) else text
    return import_csv(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        kind=kind,  # type: ignore[arg-type]
        data=data,
        mode=mode,  # type: ignore[arg-type]
    )


def _patients(world: World) -> dict[str, int]:
    with world.database.sessions() as uow:
        return {p.mrn: p.id for p in uow.patients(world.clinic).page(offset=0, limit=100)}


def test_patients_surgeries_and_responses_import_and_the_status_is_computed(world: World) -> None:
    _import(world, "patients", PATIENTS)
    _import(world, "surgeries", SURGERIES)
    report = _import(world, "responses", RESPONSES)
    assert report.created["responses"] == 3
    record = open_record(
        sessions=world.database.sessions,
        actor=world.admin,
        clinic_id=world.clinic,
        patient_id=_patients(world)["A-1"],
    )
    assert record.surgeries[0].levels == ["L4-L5", "L5-S1"]
    assert record.surgeries[0].surgeon_id == world.surgeon_id
    assert [r.score_answered for r in record.responses] == [9, 1, 9]
    assert record.outcome is not None and record.outcome.status == "succeeding"


def test_all_or_nothing_stores_nothing_when_a_row_is_rejected_and_reports_each_row(
    world: World,
) -> None:
    before = row_counts(world.database)
    with pytest.raises(ImportRejected) as caught:
        _import(world, "patients", BAD_ROWS)
    assert row_counts(world.database)["patients"] == before["patients"]
    lines = [(n.entry, n.field) for n in caught.value.report.rejected]
    assert lines == [(3, "birth_date"), (4, "sex")]


def test_a_rejected_row_names_its_file_line_after_a_cell_holding_a_line_break(
    world: World,
) -> None:
    """Record 2 spans lines 2-4 (a quoted family name with two line breaks, as a spreadsheet
    writes a cell with Alt+Enter), so the bad date of record 3 is on line 5, not line 3."""
    spanning = (
        "mrn,given_name,family_name,birth_date,sex\n"
        'A-1,Ines,"Berg\nde la\nCruz",1970-01-31,female\n'
        "A-3,Rut,Holm,31/01/1970,female\r\n"
        "A-4,Per,Dahl,1960-02-02,robot\n"
    )
    with pytest.raises(ImportRejected) as caught:
        _import(world, "patients", spanning)
    notes = [(n.entry, n.resource, n.field) for n in caught.value.report.rejected]
    assert notes == [(5, "line 5", "birth_date"), (6, "line 6", "sex")]


def test_accept_valid_stores_the_valid_rows_and_reports_the_others(world: World) -> None:
    report = _import(world, "patients", BAD_ROWS, mode="accept-valid")
    assert set(_patients(world)) == {"A-1"}
    assert [n.entry for n in report.rejected] == [3, 4]
    assert "not a date" in report.rejected[0].reason


def test_a_row_for_an_unknown_patient_or_with_another_instruments_answers_is_rejected(
    world: World,
) -> None:
    _import(world, "patients", PATIENTS)
    rows = RESPONSES.replace("A-1,odi,2025", "Z-9,odi,2025").replace(
        ",,,,,,,,,,,7", ",,,,,,,,,,4,7"
    )
    report = _import(world, "responses", rows, mode="accept-valid")
    assert {(n.entry, n.field) for n in report.rejected} == {(3, "odi_10"), (4, "mrn")}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PATIENTS.replace(",", ";").encode(), "separated by commas"),
        (PATIENTS.replace("Ines", "Inès").encode("latin-1"), "UTF-8"),
        (b"", "empty"),
    ],
    ids=["semicolons", "latin-1", "empty"],
)
def test_a_file_with_the_wrong_delimiter_or_encoding_changes_nothing(
    world: World, data: bytes, message: str
) -> None:
    before = row_counts(world.database)
    with pytest.raises(InvalidInput, match=message):
        _import(world, "patients", data)
    after = row_counts(world.database)
    assert {t: n for t, n in after.items() if not t.startswith("audit")} == {
        t: n for t, n in before.items() if not t.startswith("audit")
    }


def test_importing_the_same_csv_twice_stores_each_row_once(world: World) -> None:
    _import(world, "patients", PATIENTS)
    _import(world, "surgeries", SURGERIES)
    _import(world, "responses", RESPONSES)
    report = _import(world, "responses", RESPONSES)
    assert (report.created["responses"], report.unchanged["responses"]) == (0, 3)
    assert row_counts(world.database)["prom_responses"] == 3
