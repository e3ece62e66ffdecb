"""What outside systems' procedure and complication codes mean in the registry's terms, read from
knowledge/interop/procedure_codes.yaml. Used by FHIR import: a code not in the table is not
understood, and a code maps only to what its published meaning fixes (never a guessed level)."""

from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from typing import Self

from pydantic import model_validator

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.registry.complications import catalogue
from spinetrack.domain.registry.surgery import surgery_matrix
from spinetrack.domain.sources import Sources
from spinetrack.domain.vocabulary import vocabulary

CODES_FILE = "interop/procedure_codes.yaml"


class ProcedureMeaning(KnowledgeModel):
    procedure: str
    meaning: str
    region: str | None = None
    approach: str | None = None
    instrumented: bool | None = None
    export: bool = True
    """False: read on import only, never written on an exported surgery."""


class AddonMeaning(KnowledgeModel):
    meaning: str
    instrumented: bool = False


class OutsideCodes(KnowledgeModel):
    sources: Sources
    systems: dict[str, str]
    procedures: dict[str, dict[str, ProcedureMeaning]]
    addon_codes: dict[str, dict[str, AddonMeaning]]
    icd10pcs_instrumented_devices: list[str]
    body_sites: dict[str, dict[str, str]]
    icd10pcs_fusion_qualifier: dict[str, str]
    complications: dict[str, dict[str, str]]
    complication_prefixes: dict[str, dict[str, str]]
    procedural_complications: list[str]

    @model_validator(mode="after")
    def _terms_are_ours(self) -> Self:
        tables = set(self.procedures) | set(self.complications) | set(self.addon_codes)
        unknown = (tables | set(self.body_sites) | set(self.complication_prefixes)) - set(
            self.systems
        )
        if unknown:
            raise ValueError(f"tables without a system URL: {sorted(unknown)}")
        for table in self.procedures.values():
            for code, meaning in table.items():
                _check_meaning(code, meaning)
        for approach in self.icd10pcs_fusion_qualifier.values():
            _check("approach", approach, surgery_matrix().approaches)
        for kinds in [*self.complications.values(), *self.complication_prefixes.values()]:
            for kind in kinds.values():
                _check("complication", kind, catalogue().kinds)
        for kind in self.procedural_complications:
            _check("complication", kind, catalogue().kinds)
        for sites in self.body_sites.values():
            for region in sites.values():
                _check("region", region, vocabulary().regions)
        return self


def _check(what: str, value: str | None, known: Collection[str]) -> None:
    if value is not None and value not in known:
        raise ValueError(f"unknown {what} {value!r}")


def _check_meaning(code: str, meaning: ProcedureMeaning) -> None:
    try:
        _check("procedure", meaning.procedure, vocabulary().procedures)
        _check("region", meaning.region, vocabulary().regions)
        _check("approach", meaning.approach, surgery_matrix().approaches)
    except ValueError as exc:
        raise ValueError(f"{code}: {exc}") from None


@dataclass(frozen=True)
class MappedProcedure:
    procedure: str
    region: str | None
    approach: str | None
    instrumented: bool | None
    source: str
    """Which coding gave the meaning, e.g. 'cpt 22612'."""


@cache
def outside_codes() -> OutsideCodes:
    return parse(CODES_FILE, OutsideCodes)


def _table_of(system: str) -> str | None:
    for name, url in outside_codes().systems.items():
        if url == system:
            return name
    return None


def map_procedure(system: str, code: str) -> MappedProcedure | None:
    """The registry's meaning of one procedure coding, or None when the table does not know it."""
    table = _table_of(system)
    if table is None:
        return None
    entries = outside_codes().procedures.get(table, {})
    if table == "icd10pcs":
        meaning = entries.get(code[:4]) if len(code) == 7 else None
        if meaning is None:
            return None
        approach = meaning.approach
        if approach is None and meaning.procedure == "fusion":
            approach = outside_codes().icd10pcs_fusion_qualifier.get(code[6])
        instrumented = (
            meaning.procedure == "fusion"
            and code[5] in outside_codes().icd10pcs_instrumented_devices
        ) or None
        return MappedProcedure(
            meaning.procedure, meaning.region, approach, instrumented, f"{table} {code}"
        )
    meaning = entries.get(code)
    if meaning is None:
        return None
    return MappedProcedure(
        meaning.procedure, meaning.region, meaning.approach, meaning.instrumented, f"{table} {code}"
    )


def map_addon(system: str, code: str) -> AddonMeaning | None:
    """An add-on or component code (billed beside a primary operation), or None."""
    table = _table_of(system)
    return outside_codes().addon_codes.get(table, {}).get(code) if table else None


def body_site_region(system: str, code: str) -> str | None:
    """The spinal region a body-site concept names, or None."""
    table = _table_of(system)
    return outside_codes().body_sites.get(table, {}).get(code) if table else None


def map_complication(system: str, code: str) -> str | None:
    """Our complication kind for one outside coding, or None when the table does not know it."""
    table = _table_of(system)
    if table is None:
        return None
    exact = outside_codes().complications.get(table, {}).get(code)
    if exact is not None:
        return exact
    prefixes = outside_codes().complication_prefixes.get(table, {})
    matching = [p for p in prefixes if code.upper().startswith(p)]
    return prefixes[max(matching, key=len)] if matching else None


def follows_a_procedure(kind: str) -> bool:
    """Whether a complication kind by its meaning follows an operation (so an unlinked one belongs
    to the patient's latest surgery before it)."""
    return kind in outside_codes().procedural_complications


def standard_procedure_codes(procedure: str, region: str, approach: str) -> list[tuple[str, str]]:
    """(system URL, code) of the table's codes whose whole meaning fits a surgery we record: a code
    fixing procedure, region and approach must match all three; one fixing only the procedure (a
    SNOMED CT concept) goes beside any. ICD-10-PCS codes need a device and qualifier we do not
    record, so none is given."""
    codes = outside_codes()
    found: list[tuple[str, str]] = []
    for table, entries in codes.procedures.items():
        if table == "icd10pcs":
            continue
        matching = [
            code
            for code, m in entries.items()
            if m.export
            and m.procedure == procedure
            and m.region in (None, region)
            and m.approach in (None, approach)
        ]
        if len(matching) == 1:
            found.append((codes.systems[table], matching[0]))
    return found
