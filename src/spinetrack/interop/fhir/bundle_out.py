"""The registry as one FHIR Bundle (type collection), patient by patient, with the Questionnaires of
the instruments it uses first; and search-set Bundles for the read endpoints."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from fhir.resources.R4B.bundle import Bundle, BundleEntry, BundleEntrySearch, BundleLink
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.resource import Resource

from spinetrack.interop.fhir.complication import to_complication
from spinetrack.interop.fhir.ids import complication_id
from spinetrack.interop.fhir.observation import to_observation
from spinetrack.interop.fhir.patient import to_patient
from spinetrack.interop.fhir.practitioner import to_practitioner
from spinetrack.interop.fhir.procedure import to_procedure
from spinetrack.interop.fhir.psps2 import to_psps2
from spinetrack.interop.fhir.questionnaire import to_questionnaire
from spinetrack.interop.fhir.questionnaire_response import to_response
from spinetrack.interop.fhir.risk_assessment import to_risk_assessment
from spinetrack.interop.records import ComplicationRecord, Registry, SurgeryRef


def _complication_ids(
    complications: Iterable[ComplicationRecord],
) -> dict[SurgeryRef, list[tuple[str, ComplicationRecord]]]:
    """Complication Condition ids by surgery; identical reports of one surgery are numbered."""
    by_surgery: dict[SurgeryRef, list[tuple[str, ComplicationRecord]]] = defaultdict(list)
    for record in complications:
        mine = by_surgery[record.surgery]
        twins = sum(
            1
            for _, other in mine
            if (other.kind, other.reported_by) == (record.kind, record.reported_by)
        )
        mine.append(
            (complication_id(record.surgery, record.kind, record.reported_by, twins), record)
        )
    return by_surgery


def _patient_resources(registry: Registry, today: date) -> dict[str, list[Resource]]:
    resources: dict[str, list[Resource]] = defaultdict(list)
    complications = _complication_ids(registry.complications)
    for surgery in registry.surgeries:
        mine = complications.get(surgery.ref, [])
        resources[surgery.ref.mrn].append(
            to_procedure(surgery, today=today, complications=[c for c, _ in mine])
        )
        resources[surgery.ref.mrn] += [to_complication(record, c) for c, record in mine]
    for response in registry.responses:
        resources[response.mrn].append(to_response(response))
        observation = to_observation(response)
        if observation is not None:
            resources[response.mrn].append(observation)
    for status in registry.statuses:
        condition = to_psps2(status)
        if condition is not None:
            resources[status.mrn].append(condition)
    for assessment in registry.assessments:
        resources[assessment.mrn].append(to_risk_assessment(assessment))
    return resources


def registry_resources(registry: Registry, *, today: date) -> list[Resource]:
    """Every resource of the registry in a stable order: Questionnaires, the Practitioners the
    surgeries and responses name, then patient by patient."""
    resources: list[Resource] = [to_questionnaire(i) for i in registry.instruments]
    resources += [
        to_practitioner(p, deidentified=registry.deidentified) for p in registry.practitioners
    ]
    children = _patient_resources(registry, today)
    for patient in registry.patients:
        resources.append(
            to_patient(patient, clinic=registry.clinic, deidentified=registry.deidentified)
        )
        resources += children.get(patient.mrn, [])
    return resources


def full_url(resource: Resource) -> str:
    """Where a resource of a collection lives: `urn:uuid:` of its id (a UUID), or for our
    Questionnaires (ids like `odi`, which are no UUIDs) their canonical URL."""
    if isinstance(resource, Questionnaire) and resource.url:
        return str(resource.url)
    return f"urn:uuid:{resource.id}"


def _pointed(value: Any, targets: dict[str, str]) -> Any:
    """The JSON with every reference to a resource of the Bundle replaced by that entry's fullUrl,
    which is how R4 resolves references inside a Bundle whose fullUrls are urn:uuid."""
    if isinstance(value, dict):
        found = {k: _pointed(v, targets) for k, v in value.items()}
        reference = found.get("reference")
        if isinstance(reference, str) and reference in targets:
            found["reference"] = targets[reference]
        return found
    if isinstance(value, list):
        return [_pointed(v, targets) for v in value]
    return value


def collection(resources: Sequence[Resource]) -> Bundle:
    """The resources as a collection Bundle whose references all resolve inside it."""
    targets = {f"{r.get_resource_type()}/{r.id}": full_url(r) for r in resources}
    entries = [
        {"fullUrl": full_url(r), "resource": _pointed(r.model_dump(mode="json"), targets)}
        for r in resources
    ]
    return Bundle.model_validate({"type": "collection", "entry": entries or None})


def searchset(
    resources: Sequence[Resource],
    base_url: str,
    *,
    total: int | None = None,
    links: Sequence[tuple[str, str]] = (),
) -> Bundle:
    """A search result: `base_url` is where the read endpoints live (ends with a slash); `total`
    counts every match when the resources are one page of them; `links` are (relation, url)."""
    entries = [
        BundleEntry(
            fullUrl=f"{base_url}{resource.get_resource_type()}/{resource.id}",
            resource=resource,
            search=BundleEntrySearch(mode="match"),
        )
        for resource in resources
    ]
    return Bundle(
        type="searchset",
        total=len(entries) if total is None else total,
        link=[BundleLink(relation=r, url=u) for r, u in links] or None,
        entry=entries or None,
    )
