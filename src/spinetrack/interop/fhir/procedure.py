"""Procedure <-> SurgeryRecord: the surgery with its region and levels as body sites, the approach,
instrumentation and the surgery it revises as extensions, and the surgeon as the performer."""

from datetime import date

from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.procedure import Procedure, ProcedurePerformer
from fhir.resources.R4B.reference import Reference

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.outside_codes import standard_procedure_codes
from spinetrack.domain.registry.surgery import surgery_matrix
from spinetrack.domain.vocabulary import vocabulary
from spinetrack.interop.fhir.body_sites import region_coding
from spinetrack.interop.fhir.codes import (
    STORED_PROCEDURE_STATUSES,
    check_code,
    code_system,
    extension,
)
from spinetrack.interop.fhir.elements import (
    as_day,
    find_extension,
    note,
    note_text,
    our_code,
    ours,
    reference,
)
from spinetrack.interop.fhir.ids import patient_id, practitioner_id, procedure_id
from spinetrack.interop.fhir.practitioner import ACCOUNT
from spinetrack.interop.records import SurgeryRecord, SurgeryRef

APPROACH = extension("surgical-approach")
INSTRUMENTED = extension("instrumented")
REVISION_OF = extension("revision-of")
PLANNED_FOR = extension("planned-for")
"""The date a planned surgery is booked for: a Procedure in preparation has no performed date."""


def _code(record: SurgeryRecord) -> CodeableConcept:
    """Our procedure code, and beside it each standard code of the mapping table whose whole
    meaning fits (knowledge/interop/procedure_codes.yaml, with its sources)."""
    concept = ours("procedure", record.procedure, vocabulary().procedures.get(record.procedure))
    standard = standard_procedure_codes(record.procedure, record.region, record.approach)
    codings = [Coding(system=system, code=code) for system, code in standard]
    return CodeableConcept(coding=[*(concept.coding or []), *codings], text=concept.text)


def _body_sites(record: SurgeryRecord) -> list[CodeableConcept]:
    """The region (ours, and SNOMED CT where confirmed) and each level (ours only)."""
    region = ours("spinal-region", record.region, record.region)
    region.coding = [*(region.coding or []), *region_coding(record.region)]
    sites = [region]
    sites += [ours("spinal-level", level, level) for level in record.levels]
    return sites


def to_procedure(
    record: SurgeryRecord, *, today: date, complications: list[str] | None = None
) -> Procedure:
    """`complications`: ids of the Conditions that record this surgery's complications."""
    extensions = [
        Extension(
            url=APPROACH,
            valueCoding=Coding(
                system=code_system("surgical-approach"),
                code=record.approach,
                display=surgery_matrix().approaches.get(record.approach),
            ),
        ),
        Extension(url=INSTRUMENTED, valueBoolean=record.instrumented),
    ]
    planned = record.planned if record.planned is not None else record.ref.performed_on > today
    if planned:
        extensions.append(Extension(url=PLANNED_FOR, valueDate=record.ref.performed_on))
    if record.revises is not None:
        extensions.append(
            Extension(
                url=REVISION_OF, valueReference=reference("Procedure", procedure_id(record.revises))
            )
        )
    performer = None
    if record.surgeon:
        performer = [
            ProcedurePerformer(
                actor=Reference(
                    reference=f"Practitioner/{practitioner_id(record.surgeon)}",
                    type="Practitioner",
                    identifier=Identifier(system=ACCOUNT, value=record.surgeon),
                    display=record.surgeon_name,
                )
            )
        ]
    return Procedure(
        id=procedure_id(record.ref),
        extension=extensions,
        status="preparation" if planned else "completed",
        subject=reference("Patient", patient_id(record.ref.mrn)),
        code=_code(record),
        performedDateTime=None if planned else record.ref.performed_on,
        bodySite=_body_sites(record),
        performer=performer,
        reasonCode=[
            ours("cause", record.revision_reason, vocabulary().causes.get(record.revision_reason))
        ]
        if record.revision_reason
        else None,
        complicationDetail=[reference("Condition", c) for c in complications]
        if complications
        else None,
        note=note(record.notes),
    )


def _sites(procedure: Procedure, system: str) -> list[str]:
    return [code for site in procedure.bodySite or [] if (code := our_code(site, system))]


def _required(value: str | None, field: str, what: str) -> str:
    if not value:
        raise InvalidInput(field, f"needs {what} coded in {code_system(field)}")
    return value


def surgeon_of(procedure: Procedure) -> str | None:
    for performer in procedure.performer or []:
        identifier = performer.actor.identifier if performer.actor else None
        if identifier is not None and identifier.system == ACCOUNT and identifier.value:
            return str(identifier.value)
    return None


def from_procedure(procedure: Procedure, ref: SurgeryRef) -> SurgeryRecord:
    """The surgery a Procedure records; the caller knows its patient and its order that day."""
    check_code(procedure.status, STORED_PROCEDURE_STATUSES, "status")
    regions = _sites(procedure, "spinal-region")
    approach = find_extension(procedure.extension, APPROACH)
    instrumented = find_extension(procedure.extension, INSTRUMENTED)
    return SurgeryRecord(
        ref=ref,
        region=_required(regions[0] if regions else None, "spinal-region", "a body site region"),
        procedure=_required(our_code(procedure.code, "procedure"), "procedure", "a code"),
        approach=_required(
            str(approach.valueCoding.code) if approach and approach.valueCoding else None,
            "surgical-approach",
            "an approach extension",
        ),
        levels=tuple(_sites(procedure, "spinal-level")),
        instrumented=bool(instrumented.valueBoolean) if instrumented else False,
        surgeon=surgeon_of(procedure),
        revision_reason=our_code(procedure.reasonCode[0], "cause")
        if procedure.reasonCode
        else None,
        notes=note_text(procedure.note),
        planned=procedure.status == "preparation",
    )


def performed_on(procedure: Procedure) -> date:
    if procedure.performedDateTime is not None:
        return as_day(procedure.performedDateTime, "performedDateTime")
    if procedure.performedPeriod is not None and procedure.performedPeriod.start is not None:
        return as_day(procedure.performedPeriod.start, "performedPeriod.start")
    booked = find_extension(procedure.extension, PLANNED_FOR)
    if procedure.status == "preparation" and booked is not None and booked.valueDate is not None:
        return as_day(booked.valueDate, "planned-for")
    raise InvalidInput("performedDateTime", "a surgery needs the date it was performed")


def revised_reference(procedure: Procedure) -> str | None:
    ext = find_extension(procedure.extension, REVISION_OF)
    if ext is None or ext.valueReference is None:
        return None
    return str(ext.valueReference.reference)
