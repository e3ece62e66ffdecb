"""A clinic's FHIR import settings, kept by its administrators: the identifier systems its MRNs
arrive in from outside systems, and mappings of outside Questionnaires onto our instruments. Each
change is one audited transaction and checked before it is stored."""

from collections.abc import Mapping

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.instruments import get_instrument, instrument_ids
from spinetrack.interop.fhir.codes import mrn_system
from spinetrack.services.access.actor import Actor
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.registry_io.import_fhir import import_settings
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

ADMINS = frozenset({"admin"})
MAX_URI = 255


def _uri(value: str, field: str) -> str:
    value = value.strip()
    if not value or len(value) > MAX_URI or any(c.isspace() for c in value):
        raise InvalidInput(field, f"a URI without spaces, at most {MAX_URI} characters")
    if ":" not in value:
        raise InvalidInput(field, "a URI such as urn:oid:2.16.840.1.113883.3.1234 or https://...")
    return value


def mrn_systems(*, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int) -> list[str]:
    """Every system a patient of the clinic is matched in, its own first."""
    with audited(sessions, actor, "fhir.settings.read", clinic_id=clinic_id) as work:
        actor.require(clinic_id, ADMINS)
        settings = import_settings(work.uow, clinic_id)
        return [mrn_system(settings.clinic), *settings.mrn_systems]


def add_mrn_system(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, system: str
) -> None:
    with audited(sessions, actor, "fhir.settings.mrn_system.add", clinic_id=clinic_id) as work:
        actor.require(clinic_id, ADMINS)
        system = _uri(system, "system")
        settings = work.uow.fhir_settings(clinic_id)
        if system in settings.mrn_systems():
            return
        settings.add_mrn_system(system)
        work.detail = system


def remove_mrn_system(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, system: str
) -> bool:
    with audited(sessions, actor, "fhir.settings.mrn_system.remove", clinic_id=clinic_id) as work:
        actor.require(clinic_id, ADMINS)
        gone = work.uow.fhir_settings(clinic_id).remove_mrn_system(system)
        work.detail = system
        return gone


def map_questionnaire(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    canonical: str,
    instrument: str,
    items: Mapping[str, str],
) -> None:
    """Read responses to the outside Questionnaire `canonical` as `instrument`, each outside linkId
    as the item it names; replaces an earlier mapping of the same URL."""
    with audited(sessions, actor, "fhir.settings.questionnaire", clinic_id=clinic_id) as work:
        actor.require(clinic_id, ADMINS)
        canonical = _uri(canonical.partition("|")[0], "canonical")
        if instrument not in instrument_ids():
            raise InvalidInput("instrument", f"expected one of {', '.join(instrument_ids())}")
        ours = {item.id for item in get_instrument(instrument).items}
        if not items:
            raise InvalidInput("items", "map at least one linkId to an item")
        for link_id, item in items.items():
            if item not in ours:
                raise InvalidInput("items", f"{link_id}: {item!r} is not an item of {instrument}")
        if len(set(items.values())) != len(items):
            raise InvalidInput("items", "two linkIds map to the same item")
        work.uow.fhir_settings(clinic_id).replace_questionnaire_map(canonical, instrument, items)
        work.detail = f"{canonical} -> {instrument} ({len(items)} items)"
