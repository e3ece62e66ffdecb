"""Observations an outside system sends that fill the pre-operative record: BMI, smoking status,
PHQ-9 and GAD-7 totals, by the LOINC codes of knowledge/interop/preop_codes.yaml. Anything else, or
a value of the wrong kind, is reported back and never guessed; the values found are then checked
by the domain like any other entry of the record.

The FHIR bundle import (bundle_in) reads each such Observation with `preop_values`; a clinic may
map a hospital-local code onto one of these fields, and `with_loinc` then adds the LOINC coding
the field is known by, so one reading serves both."""

from functools import cache
from typing import Any

from spinetrack.domain.knowledge import KnowledgeModel, parse
from spinetrack.domain.sources import Sources

LOINC_SYSTEM = "http://loinc.org"
SNOMED_SYSTEM = "http://snomed.info/sct"


class PreopCodes(KnowledgeModel):
    sources: Sources
    loinc: dict[str, str]
    smoking_status: dict[str, bool]


@cache
def preop_codes() -> PreopCodes:
    return parse("interop/preop_codes.yaml", PreopCodes)


def _codings(concept: Any) -> list[dict[str, Any]]:
    if not isinstance(concept, dict):
        return []
    return [c for c in concept.get("coding") or [] if isinstance(c, dict)]


def preop_values(observations: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    """The record's fields found in these Observation resources (JSON), and a note for each
    Observation that could not be read. The latest `effectiveDateTime` wins for a field."""
    codes = preop_codes()
    found: dict[str, tuple[str, Any]] = {}
    notes: list[str] = []
    for position, resource in enumerate(observations):
        where = f"Observation {resource.get('id') or position}"
        if resource.get("status") in {"entered-in-error", "cancelled"}:
            continue
        field = next(
            (
                codes.loinc[c.get("code", "")]
                for c in _codings(resource.get("code"))
                if c.get("system") == LOINC_SYSTEM and c.get("code") in codes.loinc
            ),
            None,
        )
        if field is None:
            notes.append(f"{where}: no LOINC code of the pre-operative record")
            continue
        value: Any
        if field == "smoker":
            answers = [
                codes.smoking_status[c["code"]]
                for c in _codings(resource.get("valueCodeableConcept"))
                if c.get("system") == SNOMED_SYSTEM and c.get("code") in codes.smoking_status
            ]
            if not answers:
                notes.append(f"{where}: smoking status answer not understood")
                continue
            value = answers[0]
        else:
            quantity = resource.get("valueQuantity") or {}
            number = quantity.get("value") if isinstance(quantity, dict) else None
            if "valueInteger" in resource:
                number = resource["valueInteger"]
            if not isinstance(number, int | float) or isinstance(number, bool):
                notes.append(f"{where}: {field} has no numeric value")
                continue
            value = round(float(number), 1) if field == "bmi" else int(number)
            if field != "bmi" and value != number:
                notes.append(f"{where}: {field} must be a whole number")
                continue
        when = str(resource.get("effectiveDateTime") or "")
        if field not in found or when >= found[field][0]:
            found[field] = (when, value)
    return {k: v for k, (_, v) in found.items()}, notes


def preop_fields() -> frozenset[str]:
    """The fields of the pre-operative record an Observation can fill."""
    return frozenset(preop_codes().loinc.values())


def preop_field(resource: dict[str, Any]) -> str | None:
    """The field an Observation (JSON) fills by its LOINC code, or None."""
    codes = preop_codes().loinc
    return next(
        (
            codes[c["code"]]
            for c in _codings(resource.get("code"))
            if c.get("system") == LOINC_SYSTEM and c.get("code") in codes
        ),
        None,
    )


def with_loinc(resource: dict[str, Any], field: str) -> dict[str, Any]:
    """The Observation with the LOINC coding of `field` added (a clinic's mapped local code)."""
    loinc = next(code for code, name in preop_codes().loinc.items() if name == field)
    concept = dict(resource.get("code") or {})
    concept["coding"] = [*_codings(concept), {"system": LOINC_SYSTEM, "code": loinc}]
    return {**resource, "code": concept}
