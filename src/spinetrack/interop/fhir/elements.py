"""Small builders and readers shared by the mappings: codings, references, extensions, notes."""

from datetime import UTC, date, datetime

from fhir.resources.R4B.annotation import Annotation
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.extension import Extension
from fhir.resources.R4B.reference import Reference

from spinetrack.domain.errors import InvalidInput
from spinetrack.interop.fhir.codes import code_system


def ours(system: str, code: str, display: str | None = None) -> CodeableConcept:
    """A concept coded in one of spinetrack's own code systems."""
    return CodeableConcept(coding=[Coding(system=code_system(system), code=code, display=display)])


def our_code(concept: CodeableConcept | None, system: str) -> str | None:
    """The code of a concept in one of our code systems, if it carries one."""
    url = code_system(system)
    for coding in (concept.coding if concept else None) or []:
        if coding.system == url and coding.code:
            return str(coding.code)
    return None


def reference(resource_type: str, resource_id: str) -> Reference:
    return Reference(reference=f"{resource_type}/{resource_id}")


def find_extension(extensions: list[Extension] | None, url: str) -> Extension | None:
    for ext in extensions or []:
        if ext.url == url:
            return ext
    return None


def note(text: str | None) -> list[Annotation] | None:
    return [Annotation(text=text)] if text else None


def note_text(notes: list[Annotation] | None) -> str | None:
    texts = [str(n.text) for n in notes or [] if n.text]
    return "\n".join(texts) or None


def as_day(value: object, field: str) -> date:
    """A FHIR date or dateTime as a calendar day; a partial date (year only) is refused."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise InvalidInput(field, "a full date (year, month and day) is needed")


def as_moment(value: object, field: str) -> datetime:
    """A FHIR dateTime as an aware UTC datetime; a date alone is taken as midnight UTC."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    raise InvalidInput(field, "a full date and time is needed")
