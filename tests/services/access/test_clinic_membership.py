"""Adding an existing account to another clinic: only that clinic's admin (or the system) may,
the account keeps one password, and the clinic list shows each user only their own clinics."""

import pytest
from tests.support.world import PASSWORD, World

from spinetrack.domain.errors import InvalidInput, NotFound
from spinetrack.services.access.accounts import (
    add_member,
    authenticate,
    create_clinic_checked,
    list_clinics,
)
from spinetrack.services.access.actor import system_actor
from spinetrack.services.access.errors import AccessDenied


def test_an_admin_adds_an_account_of_another_clinic_to_their_own(world: World) -> None:
    sessions = world.database.sessions
    add_member(
        sessions=sessions,
        actor=world.admin,
        email="clinician@south.example",
        clinic_id=world.clinic,
        role="staff",
    )
    actor = authenticate(sessions=sessions, email="clinician@south.example", password=PASSWORD)
    assert actor.roles == {world.other_clinic: "clinician", world.clinic: "staff"}
    with pytest.raises(InvalidInput, match="already has a role"):
        add_member(
            sessions=sessions,
            actor=world.admin,
            email="clinician@south.example",
            clinic_id=world.clinic,
            role="admin",
        )


def test_only_the_target_clinics_admin_may_add_members(world: World) -> None:
    sessions = world.database.sessions
    with pytest.raises(NotFound):  # not their clinic: it does not exist for them
        add_member(
            sessions=sessions,
            actor=world.admin,
            email="staff@north.example",
            clinic_id=world.other_clinic,
            role="admin",
        )
    with pytest.raises(AccessDenied):
        add_member(
            sessions=sessions,
            actor=world.clinician,
            email="clinician@south.example",
            clinic_id=world.clinic,
            role="admin",
        )
    with pytest.raises(AccessDenied):
        create_clinic_checked(sessions=sessions, actor=world.admin, slug="west", name="West")


def test_the_clinic_list_shows_users_only_their_clinics(world: World) -> None:
    sessions = world.database.sessions
    create_clinic_checked(sessions=sessions, actor=system_actor("test"), slug="west", name="West")
    every = list_clinics(sessions=sessions, actor=system_actor("test"))
    assert [(c.slug, c.members) for c in every] == [("north", 4), ("south", 1), ("west", 0)]
    assert [c.slug for c in list_clinics(sessions=sessions, actor=world.staff)] == ["north"]
