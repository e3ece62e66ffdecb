"""Pain scores an outside system sent as Observations (LOINC 72514-3 or 38208-5, 0-10) read as one
of our NRS instruments. Where it hurts comes from the Observation's body site or its other codings'
words ('Legs', 'Arm pain NRS'); a score that names no site is the axial pain of the region the
patient was operated on (neck for cervical, else back), since neither LOINC code says where."""

from decimal import Decimal

from fhir.resources.R4B.observation import Observation

from spinetrack.domain.errors import InvalidInput
from spinetrack.domain.outside_text import is_pain_code, pain_site, pain_site_of_region
from spinetrack.interop.fhir.codes import LOINC, LOINC_SCORES
from spinetrack.interop.fhir.elements import as_moment, our_code
from spinetrack.interop.records import ResponseRecord

STORED_OBSERVATION_STATUSES = frozenset({"final", "amended", "corrected"})


def is_ours(observation: Observation) -> bool:
    """A score we computed and exported ourselves (it carries our instrument code)."""
    return our_code(observation.code, "instrument") is not None


def is_score_total(observation: Observation) -> bool:
    """An ODI or NDI total (LOINC score code): computed here from the answers, never imported."""
    totals = {code for instrument, (code, _, panel) in LOINC_SCORES.items() if panel}
    return any(
        c.system == LOINC and str(c.code) in totals
        for c in (observation.code.coding if observation.code else None) or []
    )


def is_pain_score(observation: Observation) -> bool:
    return any(
        is_pain_code(str(c.system or ""), str(c.code or ""))
        for c in (observation.code.coding if observation.code else None) or []
    )


def _value(observation: Observation) -> int:
    value: Decimal | int | None = observation.valueInteger
    if value is None and observation.valueQuantity is not None:
        value = observation.valueQuantity.value
    if value is None:
        raise InvalidInput("value", "a pain score needs a number (valueInteger or valueQuantity)")
    number = Decimal(value)
    if number != number.to_integral_value() or not 0 <= number <= 10:
        raise InvalidInput("value", f"{number} is not a whole number from 0 to 10")
    return int(number)


def _moment(observation: Observation) -> object:
    if observation.effectiveDateTime is not None:
        return observation.effectiveDateTime
    if observation.effectivePeriod is not None and observation.effectivePeriod.start is not None:
        return observation.effectivePeriod.start
    if observation.effectiveInstant is not None:
        return observation.effectiveInstant
    raise InvalidInput("effectiveDateTime", "a pain score needs the moment it was taken")


def site_words(observation: Observation) -> str:
    """The words that may say where it hurts: body site, code text, non-pain codings' displays."""
    words: list[str] = []
    site = observation.bodySite
    if site is not None:
        words += [str(site.text or "")] + [str(c.display or "") for c in site.coding or []]
    code = observation.code
    if code is not None:
        words.append(str(code.text or ""))
        words += [
            f"{c.display or ''} {c.code or ''}"
            for c in code.coding or []
            if not is_pain_code(str(c.system or ""), str(c.code or ""))
        ]
    return " ".join(words)


def from_pain_observation(
    observation: Observation,
    mrn: str,
    operated_region: str | None,
    instrument: str | None = None,
) -> ResponseRecord:
    """The NRS response of one outside pain score (status already checked); `instrument` when the
    clinic mapped the Observation's local code to one, else read from where it hurts."""
    instrument = (
        instrument or pain_site(site_words(observation)) or pain_site_of_region(operated_region)
    )
    value = _value(observation)
    return ResponseRecord(
        mrn=mrn,
        instrument=instrument,
        completed_at=as_moment(_moment(observation), "effectiveDateTime"),
        answers={instrument: value},
    )
