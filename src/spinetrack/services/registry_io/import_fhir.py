"""Import a FHIR Bundle into a clinic, in one transaction. Every resource is read: what is understood
is checked like a single entry, what the registry does not keep is skipped and listed with the
reason. `all-or-nothing` stores nothing when any resource is rejected (a FHIR transaction);
`accept-valid` stores what passed (a FHIR batch). Either way the report names each rejected and
skipped resource. Importing the same Bundle twice changes nothing the second time (see
import_records for how records are matched)."""

from typing import Literal

from spinetrack.interop.fhir.bundle_in import ImportSettings, load_bundle, read_bundle
from spinetrack.interop.fhir.codes import US_NPI
from spinetrack.interop.fhir.outside_answers import QuestionnaireMap
from spinetrack.interop.fhir.practitioner import ACCOUNT
from spinetrack.services.access.actor import Actor
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.registry_io.import_records import (
    SURGEON_ROLES,
    ImportRejected,
    ImportReport,
    Incoming,
    Progress,
    upsert,
)
from spinetrack.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

WRITERS = frozenset({"admin", "clinician", "staff"})
Mode = Literal["all-or-nothing", "accept-valid"]


def import_settings(uow: UnitOfWork, clinic_id: int) -> ImportSettings:
    """The clinic's configured MRN systems and Questionnaire mappings."""
    clinic = uow.clinics.get(clinic_id)
    assert clinic is not None
    settings = uow.fhir_settings(clinic_id)
    systems = settings.mrn_systems()
    maps = settings.questionnaire_maps()
    known = settings.known_mrns()
    return ImportSettings(
        accounts=practitioner_accounts(uow, clinic_id),
        observations={(m.system, m.code): m.target for m in settings.observation_maps()},
        clinic=clinic.slug,
        known_mrns=frozenset(known),
        mrn_systems=tuple(systems),
        questionnaires={
            m.canonical: QuestionnaireMap(m.instrument, dict(m.items), "the clinic's mapping")
            for m in maps
        },
    )


def practitioner_accounts(uow: UnitOfWork, clinic_id: int) -> dict[tuple[str, str], str]:
    """How an incoming Practitioner is matched to one of the clinic's surgeons: by the account
    identifier (the e-mail, lower case) or by the NPI recorded for the account."""
    surgeons = [user for role in SURGEON_ROLES for user in uow.users.members(clinic_id, role)]
    npis = uow.fhir_settings(clinic_id).npis(user.id for user in surgeons)
    found: dict[tuple[str, str], str] = {}
    for user in surgeons:
        found[(ACCOUNT, user.email.lower())] = user.email
        if user.id in npis:
            found[(US_NPI, npis[user.id])] = user.email
    return found


def import_fhir(
    *,
    sessions: UnitOfWorkFactory,
    actor: Actor,
    clinic_id: int,
    bundle: bytes,
    mode: Mode = "all-or-nothing",
    progress: Progress | None = None,
) -> ImportReport:
    with audited(sessions, actor, "fhir.import", clinic_id=clinic_id) as work:
        actor.require(clinic_id, WRITERS)
        read = read_bundle(load_bundle(bundle), settings=import_settings(work.uow, clinic_id))
        report = ImportReport(rejected=list(read.rejected), skipped=list(read.skipped))
        incoming = Incoming(
            read.patients, read.surgeries, read.complications, read.responses, read.preops
        )
        upsert(work.uow, clinic_id, incoming, report, progress)
        if read.practitioners:
            report.unchanged["practitioners"] += len(read.practitioners)
        report.rejected.sort(key=lambda note: note.entry)
        if report.rejected and mode == "all-or-nothing":
            raise ImportRejected(report)
        work.detail = f"{mode}; {report.summary()}"
        return report
