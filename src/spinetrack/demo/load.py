"""Load the demo clinic through the services, so it obeys every rule real data obeys."""

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from spinetrack.demo.cohort import (
    Cohort,
    DemoComplication,
    DemoPatient,
    DemoSurgery,
    generate_cohort,
)
from spinetrack.demo.names import SURGEONS
from spinetrack.demo.triage import triage_history
from spinetrack.domain.registry.preop import PREOP_FIELDS, PreopRecord
from spinetrack.services.access.accounts import create_clinic, create_user, hash_password, user_ids
from spinetrack.services.access.actor import system_actor
from spinetrack.services.access.clinic_calendar import default_today
from spinetrack.services.clinician.clinic_overview import find_clinic
from spinetrack.services.operations.database import Database
from spinetrack.services.operations.erase_clinic_data import erase_clinic_data
from spinetrack.services.records.enrol_patient import NewPatient
from spinetrack.services.records.record_response import NewResponse
from spinetrack.services.records.register_surgery import NewComplication, NewSurgery
from spinetrack.services.registry_io.import_patients import (
    ImportedComplication,
    ImportedPatient,
    ImportedSurgery,
    Progress,
    import_patients,
)
from spinetrack.services.registry_io.response_columns import ResponseColumns
from spinetrack.services.risk.preop_record import import_preop
from spinetrack.services.triage.import_triage import import_triage

DEMO_SLUG = "demo"
DEMO_NAME = "Riverside Spine Centre (demo)"
DEMO_PASSWORD = "spine-demo-2026"
STAFF = (
    ("admin@demo.spinetrack.example", "Clinic Administrator", "admin"),
    ("staff@demo.spinetrack.example", "Front Desk", "staff"),
    ("analyst@demo.spinetrack.example", "Registry Analyst", "analyst"),
)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    password: str = DEMO_PASSWORD


def demo_logins() -> list[DemoLogin]:
    logins = [DemoLogin(email, role) for email, _, role in STAFF]
    logins += [
        DemoLogin(f"{handle}@demo.spinetrack.example", "clinician") for _, handle in SURGEONS
    ]
    return logins


def _accounts(database: Database, cohort: Cohort) -> tuple[int, list[int]]:
    actor = system_actor("demo-loader")
    clinic_id = find_clinic(sessions=database.sessions, slug=DEMO_SLUG)
    if clinic_id is not None:
        return clinic_id, user_ids(
            sessions=database.sessions, emails=[s.email for s in cohort.surgeons]
        )
    clinic_id = create_clinic(
        sessions=database.sessions, actor=actor, slug=DEMO_SLUG, name=DEMO_NAME
    )
    shared = hash_password(DEMO_PASSWORD)  # every demo account has this published password
    for email, name, role in STAFF:
        create_user(
            sessions=database.sessions,
            actor=actor,
            email=email,
            full_name=name,
            password=DEMO_PASSWORD,
            clinic_id=clinic_id,
            role=role,
            password_hash=shared,
        )
    surgeon_ids = [
        create_user(
            sessions=database.sessions,
            actor=actor,
            email=s.email,
            full_name=s.full_name,
            password=DEMO_PASSWORD,
            clinic_id=clinic_id,
            role="clinician",
            password_hash=shared,
        )
        for s in cohort.surgeons
    ]
    return clinic_id, surgeon_ids


def _surgery(
    surgery: DemoSurgery, surgeon_ids: list[int], position: dict[int, int]
) -> ImportedSurgery:
    revises = None if surgery.revision_of is None else position[surgery.revision_of]
    return ImportedSurgery(
        surgery=NewSurgery(
            performed_on=surgery.performed_on,
            region=surgery.region,
            procedure=surgery.procedure,
            approach=surgery.approach,
            levels=list(surgery.levels),
            instrumented=surgery.instrumented,
            surgeon_id=surgeon_ids[surgery.surgeon],
            revision_reason=surgery.revision_reason,
            planned=surgery.planned,
        ),
        revises=revises,
    )


def _complication(complication: DemoComplication, position: dict[int, int]) -> ImportedComplication:
    return ImportedComplication(
        surgery=position[complication.surgery],
        complication=NewComplication(
            # Not stored: the import links the complication to `surgery` (its position) once
            # that surgery has an id; any valid id fills the field meanwhile.
            surgery_id=1,
            kind=complication.kind,
            reported_by=complication.reported_by,
            occurred_on=complication.occurred_on,
        ),
    )


def _patient(patient: DemoPatient) -> NewPatient:
    return NewPatient(
        mrn=patient.mrn,
        given_name=patient.given_name,
        family_name=patient.family_name,
        birth_date=patient.birth_date,
        sex=patient.sex,
        email=patient.email,
        phone=patient.phone,
    )


def response_tables(cohort: Cohort) -> list[ResponseColumns]:
    """The cohort's responses as the import's columns, one table per instrument (`load_demo`
    stores them so; `to_imports` gives the same responses one by one)."""
    return [ResponseColumns(name, table, "import") for name, table in cohort.answers.items()]


def to_imports(
    cohort: Cohort, surgeon_ids: list[int], *, responses: bool = True
) -> list[ImportedPatient]:
    """The generated cohort as import records, each patient with its own surgeries and, unless
    ``responses`` is False (they go as `response_tables`), its answers."""
    imports = [ImportedPatient(patient=_patient(p)) for p in cohort.patients]
    position: dict[int, int] = {}
    for s, surgery in enumerate(cohort.surgeries):
        owner = imports[surgery.patient]
        position[s] = len(owner.surgeries)
        owner.surgeries.append(_surgery(surgery, surgeon_ids, position))
    for complication in cohort.complications:
        imports[complication.patient].complications.append(_complication(complication, position))
    for r in cohort.responses if responses else ():
        imports[r.patient].responses.append(
            NewResponse(
                instrument=r.instrument,
                completed_at=r.completed_at,
                answers=r.answers,  # validation builds the model's own dictionary
                source="import",
            )
        )
    return imports


DEMO_FIELDS = tuple(f for f in PREOP_FIELDS if f != "gad7")


@contextmanager
def _collection_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector off the cohort (and whatever else is alive) while it
    is stored. Each full collection walks every live object; with the 100,000-patient cohort and
    its import records alive, the collections set off by the triage import's 200,000 ORM rows
    cost about as much as reading them (it reads plain rows now; the import records and checked
    rows still set collections off). Frozen objects are still freed by reference counting;
    they are handed back to the collector when the load ends."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def load_demo(
    database: Database,
    *,
    patients: int,
    seed: int,
    reset: bool = False,
    today: date | None = None,
    progress: Progress | None = None,
    triage: bool = True,
    stage: Callable[[str], None] | None = None,
) -> int:
    """Create (or with `reset`, refill) the demo clinic; returns its id. With `triage`, struggling
    patients also get findings, stored assessments and some confirmed plans (demo/triage.py).
    ``stage`` hears what is being done as each step starts, ``progress`` how many patients are
    stored."""
    say = stage or (lambda _: None)
    day = today or default_today()  # the demo clinic sets no zone: the configured default's
    say(f"generating {patients:,} patients")
    cohort = generate_cohort(patients, seed, day)
    with _collection_paused():
        say("creating the clinic and its accounts")
        clinic_id, surgeon_ids = _accounts(database, cohort)
        actor = system_actor("demo-loader")
        if reset:
            say("erasing the demo clinic's patients")
            erase_clinic_data(sessions=database.sessions, actor=actor, clinic_id=clinic_id)
        say("storing patients")
        import_patients(
            sessions=database.sessions,
            actor=actor,
            clinic_id=clinic_id,
            patients=to_imports(cohort, surgeon_ids, responses=False),
            progress=progress,
            today=day,
            response_tables=response_tables(cohort),
        )
        say("storing the pre-operative records")
        import_preop(
            sessions=database.sessions,
            actor=actor,
            clinic_id=clinic_id,
            records={
                p.mrn: PreopRecord(**{k: getattr(p.preop, k) for k in DEMO_FIELDS})
                for p in cohort.patients
                if p.preop is not None
            },
        )
        if not triage:
            return clinic_id
        say("storing the triage history")
        import_triage(
            sessions=database.sessions,
            actor=actor,
            clinic_id=clinic_id,
            items=triage_history(cohort, seed, day),
            evaluation_date=day,
        )
        return clinic_id
