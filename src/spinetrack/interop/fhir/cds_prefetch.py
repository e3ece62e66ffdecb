"""A triage case from what an EHR prefetched for a CDS Hooks call (Patient, Conditions, Procedures,
Observations as FHIR JSON): age from the birth date, surgeries from the Procedures (our codes, or an
outside system's through the mapping table), the Conditions' wording as reports the triage engine
reads for findings, and pain scores from Observations coded with our NRS instruments."""

from datetime import date
from typing import Any

from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.procedure import Procedure
from pydantic import ValidationError

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.outcomes.age import age_on
from spinetrack.interop.fhir.codes import STORED_PROCEDURE_STATUSES
from spinetrack.interop.fhir.elements import as_moment, our_code
from spinetrack.interop.fhir.outside_procedure import from_outside_procedure, mapped_codes
from spinetrack.interop.fhir.procedure import from_procedure, performed_on
from spinetrack.interop.records import SurgeryRecord, SurgeryRef

PAIN_SITES = {"nrs_back": "axial", "nrs_neck": "axial", "nrs_leg": "limb", "nrs_arm": "limb"}


def resources_of(prefetched: Any, kind: str) -> list[dict[str, Any]]:
    """The resources of one type in a prefetch value: a resource itself, or a search Bundle."""
    if not isinstance(prefetched, dict):
        return []
    if prefetched.get("resourceType") == kind:
        return [prefetched]
    if prefetched.get("resourceType") != "Bundle":
        return []
    return [
        e["resource"]
        for e in prefetched.get("entry") or []
        if isinstance(e, dict)
        and isinstance(e.get("resource"), dict)
        and e["resource"].get("resourceType") == kind
    ]


def _surgery(data: dict[str, Any]) -> SurgeryRecord | None:
    try:
        procedure = Procedure.model_validate(data)
    except ValidationError:
        return None
    if procedure.status not in STORED_PROCEDURE_STATUSES:
        return None
    try:
        ref = SurgeryRef("prefetch", performed_on(procedure))
        if our_code(procedure.code, "procedure") is not None:
            return from_procedure(procedure, ref)
        mapped = mapped_codes(procedure.code)
        return from_outside_procedure(procedure, ref, mapped) if mapped else None
    except InvalidInput:
        return None


def _texts(data: dict[str, Any]) -> list[str]:
    found = data.get("code")
    code: dict[str, Any] = found if isinstance(found, dict) else {}
    texts = [code.get("text")] if isinstance(code.get("text"), str) else []
    if not texts:
        texts += [c.get("display") for c in code.get("coding") or [] if isinstance(c, dict)]
    texts += [n.get("text") for n in data.get("note") or [] if isinstance(n, dict)]
    return [t for t in texts if isinstance(t, str) and t.strip()]


def _pain(observations: list[dict[str, Any]], on: date) -> dict[str, float]:
    latest: dict[str, tuple[Any, float]] = {}
    for data in observations:
        try:
            observation = Observation.model_validate(data)
        except ValidationError:
            continue
        instrument = our_code(observation.code, "instrument")
        site = PAIN_SITES.get(instrument or "")
        quantity = observation.valueQuantity
        if site is None or quantity is None or quantity.value is None:
            continue
        try:
            moment = as_moment(observation.effectiveDateTime, "effectiveDateTime")
        except InvalidInput:
            continue
        if moment.date() <= on and (site not in latest or latest[site][0] < moment):
            latest[site] = (moment, float(quantity.value))
    return {site: value for site, (_, value) in latest.items()}


def _age(patient: dict[str, Any] | None, on: date) -> int | None:
    if patient is None:
        return None
    try:
        born = Patient.model_validate(patient).birthDate
    except ValidationError:
        return None
    if not isinstance(born, date):
        return None
    return age_on(born, on)


def prefetch_reports(prefetch: dict[str, Any]) -> list[str]:
    """The Conditions' words (code text or display, notes), for the engine's text reading."""
    return [
        text
        for key in prefetch
        for data in resources_of(prefetch[key], "Condition")
        for text in _texts(data)
    ]


def prefetch_case(prefetch: dict[str, Any], on: date) -> dict[str, Any]:
    """The triage case (contract JSON) the prefetched resources describe."""
    patients = [r for key in prefetch for r in resources_of(prefetch[key], "Patient")]
    procedures = [r for key in prefetch for r in resources_of(prefetch[key], "Procedure")]
    observations = [r for key in prefetch for r in resources_of(prefetch[key], "Observation")]
    surgeries = sorted(
        (s for s in map(_surgery, procedures) if s is not None and s.ref.performed_on <= on),
        key=lambda s: s.ref.performed_on,
    )
    if not surgeries:
        raise InvalidInput(
            "prefetch.procedures",
            "no spine surgery on or before today could be read from the prefetched Procedures",
        )
    case: dict[str, Any] = {
        "evaluation_date": on.isoformat(),
        "region": surgeries[-1].region,
        "surgeries": [
            {
                "date": s.ref.performed_on.isoformat(),
                "procedure": s.procedure,
                "levels": list(s.levels),
                "instrumented": s.instrumented,
            }
            for s in surgeries
        ],
        "reports": prefetch_reports(prefetch),
    }
    age = _age(patients[0] if patients else None, on)
    if age is not None:
        case["age"] = age
    pain = _pain(observations, on)
    if pain:
        case["pain"] = pain
    return case
