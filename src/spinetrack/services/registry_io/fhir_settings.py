"""A clinic's FHIR settings, kept by its administrators: the identifier systems its MRNs arrive in
from outside systems, mappings of outside Questionnaires and hospital-local Observation codes onto
our instruments and pre-operative fields, and its members' NPIs. Each
change is one audited transaction and checked before it is stored."""

from collections.abc import Mapping

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.instruments import get_instrument, instrument_ids
from spinetrack.domain.outside_text import pain_site_labels
from spinetrack.interop.fhir.codes import mrn_system
from spinetrack.interop.fhir.practitioner import checked_npi
from spinetrack.interop.fhir.preop_observation import preop_fields
from spinetrack.services.access.actor import Actor
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.registry_io.import_fhir import import_settings
from spinetrack.storage.unit_of_work import UnitOfWorkFactory

ADMINS = frozenset({"admin"})
MAX_URI = 255
MAX_CODE = 64


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


def observation_targets() -> frozenset[str]:
    """What a hospital-local Observation code can be mapped to: an NRS pain instrument or a field
    of the pre-operative record that Observations fill."""
    return frozenset(pain_site_labels()) | preop_fields()


def map_observation(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    system: str,
    code: str,
    target: str,
) -> None:
    """Read Observations coded `system|code` (a hospital's own code) as `target`; replaces an
    earlier mapping of the same code."""
    with audited(sessions, actor, "fhir.settings.observation", clinic_id=clinic_id) as work:
        actor.require(clinic_id, ADMINS)
        system = _uri(system, "system")
        code = code.strip()
        if not code or len(code) > MAX_CODE or any(c.isspace() for c in code):
            raise InvalidInput("code", f"a code without spaces, at most {MAX_CODE} characters")
        targets = observation_targets()
        if target not in targets:
            raise InvalidInput("target", f"expected one of {', '.join(sorted(targets))}")
        work.uow.fhir_settings(clinic_id).replace_observation_map(system, code, target)
        work.detail = f"{system}|{code} -> {target}"


def remove_observation_map(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, system: str, code: str
) -> bool:
    with audited(sessions, actor, "fhir.settings.observation.remove", clinic_id=clinic_id) as work:
        actor.require(clinic_id, ADMINS)
        work.detail = f"{system}|{code}"
        return work.uow.fhir_settings(clinic_id).remove_observation_map(system, code)


def mappings(*, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int) -> list[str]:
    """Every mapping of the clinic, one line each: Questionnaires, then Observation codes."""
    with audited(sessions, actor, "fhir.settings.read", clinic_id=clinic_id) as work:
        actor.require(clinic_id, ADMINS)
        settings = work.uow.fhir_settings(clinic_id)
        lines = [
            f"questionnaire {m.canonical} -> {m.instrument} "
            + " ".join(f"{k}={v}" for k, v in sorted(m.items.items()))
            for m in settings.questionnaire_maps()
        ]
        lines += [
            f"observation {m.system}|{m.code} -> {m.target}" for m in settings.observation_maps()
        ]
        return lines


def set_npi(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, email: str, npi: str | None
) -> None:
    """Record the NPI of a member of the clinic (None forgets it): their exported Practitioner
    carries it, and incoming Practitioners with it are matched to them."""
    with audited(sessions, actor, "fhir.settings.npi", clinic_id=clinic_id) as work:
        actor.require(clinic_id, ADMINS)
        user = work.uow.users.by_email(email)
        if user is None or clinic_id not in work.uow.users.memberships(user.id):
            raise InvalidInput("email", f"{email} is not an account of this clinic")
        settings = work.uow.fhir_settings(clinic_id)
        if npi is not None:
            npi = checked_npi(npi)
            holder = settings.npi_holder(npi)
            if holder is not None and holder != user.id:
                raise InvalidInput("npi", f"{npi} is already recorded for another account")
        settings.set_npi(user.id, npi)
        work.detail = f"{user.email}: {npi or 'none'}"
