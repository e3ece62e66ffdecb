"""A small world for service and API tests: two clinics, one user per role, a password for all."""

from dataclasses import dataclass

from spinetrack.services.access.accounts import authenticate, create_clinic, create_user
from spinetrack.services.access.actor import Actor, system_actor
from spinetrack.services.access.sign_in import create_token
from spinetrack.services.operations.database import Database

PASSWORD = "correct-horse-42"
TOKENS: dict[str, str] = {}
"""API token of each world user by e-mail, refreshed by every build_world."""


@dataclass
class World:
    database: Database
    clinic: int
    other_clinic: int
    admin: Actor
    clinician: Actor
    staff: Actor
    analyst: Actor
    outsider: Actor
    surgeon_id: int


def build_world(database: Database) -> World:
    system = system_actor("test")
    sessions = database.sessions
    clinic = create_clinic(sessions=sessions, actor=system, slug="north", name="North Spine")
    other = create_clinic(sessions=sessions, actor=system, slug="south", name="South Spine")
    TOKENS.clear()
    ids = {}
    for role in ("admin", "clinician", "staff", "analyst"):
        ids[role] = create_user(
            sessions=sessions,
            actor=system,
            email=f"{role}@north.example",
            full_name=role.title(),
            password=PASSWORD,
            clinic_id=clinic,
            role=role,
        )
    create_user(
        sessions=sessions,
        actor=system,
        email="clinician@south.example",
        full_name="Outsider",
        password=PASSWORD,
        clinic_id=other,
        role="clinician",
    )

    def login(email: str) -> Actor:
        actor = authenticate(sessions=sessions, email=email, password=PASSWORD)
        TOKENS[email] = create_token(
            sessions=sessions, actor=system, name="tests", user_id=actor.user_id
        )[1]
        return actor

    return World(
        database=database,
        clinic=clinic,
        other_clinic=other,
        admin=login("admin@north.example"),
        clinician=login("clinician@north.example"),
        staff=login("staff@north.example"),
        analyst=login("analyst@north.example"),
        outsider=login("clinician@south.example"),
        surgeon_id=ids["clinician"],
    )
