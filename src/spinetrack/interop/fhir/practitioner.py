"""Practitioner <-> the clinic's accounts: a surgeon or whoever typed answers in is exported as a
Practitioner identified by the clinic's own account identifier (the e-mail) and, where recorded,
the NPI; an incoming Practitioner is matched to an account by either identifier, never by name."""

from collections.abc import Mapping

from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.identifier import Identifier
from fhir.resources.R4B.practitioner import Practitioner

from spinetrack.domain.errors import InvalidInput
from spinetrack.interop.fhir.codes import BASE, US_NPI
from spinetrack.interop.fhir.ids import practitioner_id
from spinetrack.interop.records import PractitionerRecord

ACCOUNT = f"{BASE}/account"
"""Identifier system of spinetrack accounts (their e-mail)."""
NPI_PREFIX = "80840"
"""The NPI check digit is the Luhn digit of the ten digits prefixed with 80840 (CMS, 'Requirements
for the NPI check digit'); a number failing it is mistyped."""


def checked_npi(value: str) -> str:
    """A ten-digit NPI whose check digit is right, else an error naming the field."""
    npi = value.strip()
    if len(npi) != 10 or not npi.isdigit():
        raise InvalidInput("npi", "an NPI is ten digits")
    total = 0
    for position, digit in enumerate(reversed(NPI_PREFIX + npi)):
        number = int(digit)
        if position % 2 == 1:
            number = number * 2 - 9 if number > 4 else number * 2
        total += number
    if total % 10 != 0:
        raise InvalidInput("npi", f"{npi} fails the NPI check digit: mistyped?")
    return npi


def to_practitioner(record: PractitionerRecord, *, deidentified: bool = False) -> Practitioner:
    """`deidentified`: the account is a pseudonym, so it is given with no name and no NPI."""
    identifiers = [Identifier(system=ACCOUNT, value=record.account)]
    if record.npi and not deidentified:
        identifiers.insert(0, Identifier(system=US_NPI, value=record.npi))
    name = [HumanName(text=record.name)] if record.name and not deidentified else None
    return Practitioner(id=practitioner_id(record.account), identifier=identifiers, name=name)


def matched_account(
    practitioner: Practitioner, accounts: Mapping[tuple[str, str], str]
) -> str | None:
    """The account (e-mail) of the clinic that one of the Practitioner's identifiers names."""
    for identifier in practitioner.identifier or []:
        system, value = str(identifier.system or ""), str(identifier.value or "").strip()
        key = (system, value.lower() if system == ACCOUNT else value)
        if key in accounts:
            return accounts[key]
    return None


def unmatched_reason(practitioner: Practitioner) -> str:
    """Why an incoming Practitioner matches no account: what it was looked up by."""
    shown = [
        f"{'NPI' if i.system == US_NPI else i.system} {i.value}"
        for i in practitioner.identifier or []
        if i.value
    ]
    if not shown:
        return "no identifier to match an account of this clinic by (NPI or account)"
    return f"no surgeon's account of this clinic has {', '.join(shown)}"
