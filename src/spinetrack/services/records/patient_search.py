"""Find a patient of the clinic by name, MRN or birth date: one audited read.

The text is read by `domain.patient_query`; the clinic's indexes answer (`storage.repositories.
patient_search`). Exact MRN matches come first, then name and birth-date matches by name. A search
is a read of patient data like any other: it is audited with the patients it listed, so "who saw
this patient" includes whoever found them in a search. The typed text itself is not stored in the
audit trail (it may be a name); its kind and the number of matches are.
"""

from dataclasses import dataclass
from datetime import date

from spinetrack.domain.patient_query import fold, parse_query
from spinetrack.services.access.actor import Actor
from spinetrack.services.audit.audit_log import audited
from spinetrack.services.records.read_models import PatientFound, PatientSearch
from spinetrack.storage.repositories.patient_search import PatientHit
from spinetrack.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

MAX_RESULTS = 50
"""A search lists at most this many; past that, the user types more rather than reads on."""


@dataclass(frozen=True, slots=True)
class Search:
    """The results, and the clinic's date format the page writes birth dates in."""

    results: PatientSearch
    date_format: str


def _found(hit: PatientHit) -> PatientFound:
    return PatientFound(
        id=hit.patient_id,
        mrn=hit.mrn,
        given_name=hit.given_name,
        family_name=hit.family_name,
        birth_date=hit.birth_date,
        status=hit.status,
    )


def search_patients(
    *, sessions: UnitOfWorkFactory, actor: Actor, clinic_id: int, text: str
) -> Search:
    """The clinic's patients the text names, most exact first; InvalidInput for unusable text."""
    with audited(sessions, actor, "patient.search", clinic_id=clinic_id) as work:
        actor.require(clinic_id)
        clinic = work.uow.clinics.get(clinic_id)
        date_format = clinic.date_format if clinic else "%Y-%m-%d"
        query = parse_query(text, date_format)
        repo = work.uow.patient_search(clinic_id)
        limit = MAX_RESULTS + 1
        kinds: list[str] = []
        hits: list[PatientHit] = []
        if query.birth_date is not None:
            kinds.append("birth_date")
            hits = repo.by_birth_date(query.birth_date, limit)
        if query.mrn_prefix:
            kinds.append("mrn")
            prefixes = list(dict.fromkeys([query.mrn_prefix, query.mrn_prefix.upper()]))
            by_mrn = repo.by_mrn_prefix(prefixes, limit)
            exact = query.mrn_prefix.upper()
            hits = sorted(by_mrn, key=lambda h: h.mrn.upper() != exact)
        if query.name_words:
            kinds.append("name")
            listed = {h.patient_id for h in hits}
            hits += [h for h in repo.by_name(query.name_words, limit) if h.patient_id not in listed]
        shown = hits[:MAX_RESULTS]
        work.detail = (
            f"by={'+'.join(kinds)} found={len(shown)}{'+' if len(hits) > len(shown) else ''}"
        )
        work.saw(h.patient_id for h in shown)
        results = PatientSearch(
            query=query.text,
            searched_by=kinds,
            items=[_found(h) for h in shown],
            more=len(hits) > len(shown),
        )
        return Search(results, date_format)


@dataclass(frozen=True, slots=True)
class Person:
    """What a registration form or a consultation request says about someone."""

    given_name: str
    family_name: str
    birth_date: date | None
    email: str | None = None
    mrn: str | None = None


def registered_as(uow: UnitOfWork, clinic_id: int, person: Person) -> list[PatientFound]:
    """Patients of the clinic who may be this person: the same MRN, the same e-mail address, or
    the same name (accents and capitals aside) and birth date. Runs inside the caller's audited
    work, which names the patients it shows."""
    repo = uow.patient_search(clinic_id)
    hits: list[PatientHit] = []
    if person.mrn:
        hits += [h for h in repo.by_mrn_prefix([person.mrn], MAX_RESULTS) if h.mrn == person.mrn]
    if person.email:
        email = person.email.strip()
        hits += repo.by_email(list(dict.fromkeys([email, email.lower()])), MAX_RESULTS)
    if person.birth_date is not None:
        name = (fold(person.given_name.strip()), fold(person.family_name.strip()))
        hits += [
            h
            for h in repo.by_birth_date(person.birth_date, MAX_RESULTS)
            if (fold(h.given_name), fold(h.family_name)) == name
        ]
    unique = {h.patient_id: h for h in hits}
    return [_found(h) for h in unique.values()]
