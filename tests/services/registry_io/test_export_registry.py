"""Exports: the round trips (export the demo clinic, import it into an empty database, export again:
the same bytes) for FHIR and CSV, every exported resource valid, de-identification, and access."""

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from tests.support.demo_export import SYSTEM, TODAY, demo_source, empty_demo_clinic
from tests.support.records import fusion, new_patient
from tests.support.world import World

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.interop.fhir.codes import PATIENT_GENDERS
from spinetrack.interop.tabular import KINDS
from spinetrack.services.access.errors import AccessDenied
from spinetrack.services.operations.database import Database
from spinetrack.services.records.enrol_patient import register_patient
from spinetrack.services.records.register_surgery import register_surgery
from spinetrack.services.registry_io.export_registry import export_registry, read_clinic_registry
from spinetrack.services.registry_io.import_csv import import_csv
from spinetrack.services.registry_io.import_fhir import import_fhir

# The R4 required bindings the exported statuses must come from (Procedure.status,
# QuestionnaireResponse.status); the exporter never reads them, so they live with the test.
PROCEDURE_STATUSES = frozenset(
    {"preparation", "in-progress", "not-done", "on-hold", "stopped", "completed"}
    | {"entered-in-error", "unknown"}
)
RESPONSE_STATUSES = frozenset(
    {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
)


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Database, int]:
    database, clinic_id = demo_source(tmp_path_factory.mktemp("source"))
    yield database, clinic_id
    database.close()


def _export(database: Database, clinic_id: int, fmt: str, out: Path) -> list[Path]:
    return export_registry(
        sessions=database.sessions,
        actor=SYSTEM,
        clinic_id=clinic_id,
        fmt=fmt,
        out=out,
        today=TODAY,  # type: ignore[arg-type]
    )


def test_a_fhir_export_imported_into_an_empty_database_exports_the_same_bundle(
    source: tuple[Database, int], database: Database, tmp_path: Path
) -> None:
    first = _export(*source, "fhir", tmp_path / "first.json")[0]
    clinic_id = empty_demo_clinic(database)
    import_fhir(
        sessions=database.sessions, actor=SYSTEM, clinic_id=clinic_id, bundle=first.read_bytes()
    )
    second = _export(database, clinic_id, "fhir", tmp_path / "second.json")[0]
    assert second.read_text() == first.read_text()
    assert '"Procedure"' in first.read_text() and '"Condition"' in first.read_text()


def test_a_csv_export_imported_kind_by_kind_into_an_empty_database_exports_the_same_tables(
    source: tuple[Database, int], database: Database, tmp_path: Path
) -> None:
    _export(*source, "csv", tmp_path / "first")
    clinic_id = empty_demo_clinic(database)
    for kind in KINDS:
        data = (tmp_path / "first" / f"{kind}.csv").read_bytes()
        import_csv(
            sessions=database.sessions, actor=SYSTEM, clinic_id=clinic_id, kind=kind, data=data
        )
    _export(database, clinic_id, "csv", tmp_path / "second")
    for table in ("patients", "surgeries", "complications", "responses", "statuses"):
        first = (tmp_path / "first" / f"{table}.csv").read_text()
        assert (tmp_path / "second" / f"{table}.csv").read_text() == first, table
        assert first.count("\n") > 1 or table == "complications"


def test_every_exported_resource_validates_and_uses_codes_from_its_required_bindings(
    source: tuple[Database, int], tmp_path: Path
) -> None:
    path = _export(*source, "fhir", tmp_path / "bundle.json")[0]
    bundle = Bundle.model_validate_json(path.read_text())
    kinds = set()
    for entry in bundle.entry or []:
        data = entry.resource.model_dump(mode="json")
        kind = data["resourceType"]
        kinds.add(kind)
        get_fhir_model_class(kind).model_validate(data)
        if kind == "Patient":
            assert data["gender"] in PATIENT_GENDERS
        if kind == "Procedure":
            assert data["status"] in PROCEDURE_STATUSES
        if kind == "QuestionnaireResponse":
            assert data["status"] in RESPONSE_STATUSES
    assert {
        "Patient",
        "Procedure",
        "Questionnaire",
        "QuestionnaireResponse",
        "Observation",
    } <= kinds


def test_parquet_export_holds_the_same_rows_as_the_csv_export(
    source: tuple[Database, int], tmp_path: Path
) -> None:
    _export(*source, "csv", tmp_path / "csv")
    _export(*source, "parquet", tmp_path / "parquet")
    for table in ("patients", "responses", "statuses"):
        parquet = pl.read_parquet(tmp_path / "parquet" / f"{table}.parquet")
        csv = pl.read_csv(tmp_path / "csv" / f"{table}.csv", infer_schema=False)
        assert parquet.height == csv.height > 0
        assert parquet.columns == csv.columns


def test_a_deidentified_export_has_no_names_contacts_or_mrns_and_keeps_intervals(
    source: tuple[Database, int],
) -> None:
    database, clinic_id = source
    plain = read_clinic_registry(sessions=database.sessions, actor=SYSTEM, clinic_id=clinic_id)
    hidden = read_clinic_registry(
        sessions=database.sessions,
        actor=SYSTEM,
        clinic_id=clinic_id,
        deidentified=True,
        secret_key="a test secret that is long enough",
    )
    assert {p.mrn for p in hidden.patients}.isdisjoint({p.mrn for p in plain.patients})
    assert all(
        p.given_name is None and p.email is None and p.phone is None for p in hidden.patients
    )
    assert all(s.notes is None and s.surgeon_name is None for s in hidden.surgeries)
    assert [s.status for s in hidden.statuses] != [] and sorted(
        s.status for s in hidden.statuses
    ) == sorted(s.status for s in plain.statuses)
    shifted = {p.birth_date for p in hidden.patients} & {p.birth_date for p in plain.patients}
    assert len(shifted) < len(plain.patients) / 2

    def gaps(registry: object) -> list[int]:
        surgeries = {s.ref.mrn: s.ref.performed_on for s in registry.surgeries}  # type: ignore[attr-defined]
        births = {p.mrn: p.birth_date for p in registry.patients}  # type: ignore[attr-defined]
        return sorted((surgeries[m] - births[m]).days for m in surgeries)

    assert gaps(hidden) == gaps(plain)


def test_the_same_key_gives_the_same_pseudonyms_and_another_key_other_ones(
    source: tuple[Database, int],
) -> None:
    database, clinic_id = source

    def pseudonyms(key: str) -> list[str]:
        registry = read_clinic_registry(
            sessions=database.sessions,
            actor=SYSTEM,
            clinic_id=clinic_id,
            deidentified=True,
            secret_key=key,
        )
        return [p.mrn for p in registry.patients]

    assert pseudonyms("first key, long enough") == pseudonyms("first key, long enough")
    assert set(pseudonyms("first key, long enough")).isdisjoint(
        pseudonyms("second key, long enough")
    )


def test_a_deidentified_export_without_a_secret_key_is_refused(
    source: tuple[Database, int],
) -> None:
    database, clinic_id = source
    with pytest.raises(InvalidInput, match="secret key"):
        read_clinic_registry(
            sessions=database.sessions,
            actor=SYSTEM,
            clinic_id=clinic_id,
            deidentified=True,
            secret_key="",
        )


def test_an_analyst_may_export_deidentified_data_only(world: World, tmp_path: Path) -> None:
    sessions = world.database.sessions
    with pytest.raises(AccessDenied):
        read_clinic_registry(sessions=sessions, actor=world.analyst, clinic_id=world.clinic)
    registry = read_clinic_registry(
        sessions=sessions,
        actor=world.analyst,
        clinic_id=world.clinic,
        deidentified=True,
        secret_key="k" * 32,
    )
    assert registry.deidentified
    with pytest.raises(NotFound):
        read_clinic_registry(sessions=sessions, actor=world.outsider, clinic_id=world.clinic)


def test_a_planned_operation_is_exported_with_its_flag(world: World, tmp_path: Path) -> None:
    patient = register_patient(
        sessions=world.database.sessions,
        actor=world.staff,
        clinic_id=world.clinic,
        patient=new_patient("PLAN1"),
    ).id
    for when, planned in (
        (date.today() - timedelta(days=90), False),
        (date.today() + timedelta(days=9), True),
    ):
        register_surgery(
            sessions=world.database.sessions,
            actor=world.clinician,
            clinic_id=world.clinic,
            patient_id=patient,
            surgery=fusion(performed_on=when, planned=planned),
        )
    export_registry(
        sessions=world.database.sessions,
        actor=world.clinician,
        clinic_id=world.clinic,
        fmt="csv",
        out=tmp_path,
    )
    table = pl.read_csv(tmp_path / "surgeries.csv").filter(pl.col("mrn") == "PLAN1")
    assert table.sort("performed_on")["planned"].to_list() == [False, True]
