"""Accounts: strong passwords, lock-out after repeated failures, disabling and resets."""

import pytest
from tests.support.world import PASSWORD, World

from spinetrack.domain.errors import InvalidInput
from spinetrack.services.access.accounts import (
    authenticate,
    change_password,
    check_password_strength,
    create_user,
    disable_user,
    hash_password,
    reset_password,
)
from spinetrack.services.access.actor import system_actor
from spinetrack.services.access.errors import NotAuthenticated
from spinetrack.services.access.sign_in import (
    create_token,
    session_actor,
    start_session,
    token_actor,
)

EMAIL = "staff@north.example"


@pytest.mark.parametrize("weak", ["short1!", "onlyletterslong", "12345678901", "aaaaaaaaa1"])
def test_weak_passwords_are_refused(weak: str) -> None:
    with pytest.raises(InvalidInput):
        check_password_strength(weak)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(world: World) -> None:
    sessions = world.database.sessions
    for _ in range(5):
        with pytest.raises(NotAuthenticated, match="wrong e-mail or password"):
            authenticate(sessions=sessions, email=EMAIL, password="not-the-password-1")
    with pytest.raises(NotAuthenticated, match="try again later"):
        authenticate(sessions=sessions, email=EMAIL, password=PASSWORD)
    reset_password(
        sessions=sessions, actor=system_actor("test"), email=EMAIL, new_password="fresh-start-99"
    )
    assert authenticate(sessions=sessions, email=EMAIL, password="fresh-start-99").name == EMAIL


def test_a_disabled_account_loses_its_tokens_and_sessions_at_once(world: World) -> None:
    sessions = world.database.sessions
    _, token = create_token(sessions=sessions, actor=world.staff, name="laptop")
    cookie, _ = start_session(sessions=sessions, actor=world.staff)
    assert token_actor(sessions=sessions, token=token, remote=None).name == EMAIL
    disable_user(sessions=sessions, actor=world.admin, email=EMAIL)
    with pytest.raises(NotAuthenticated):
        token_actor(sessions=sessions, token=token, remote=None)
    with pytest.raises(NotAuthenticated):
        session_actor(sessions=sessions, token=cookie, remote=None)
    with pytest.raises(NotAuthenticated):
        authenticate(sessions=sessions, email=EMAIL, password=PASSWORD)


def test_changing_the_password_signs_out_other_sessions(world: World) -> None:
    sessions = world.database.sessions
    cookie, _ = start_session(sessions=sessions, actor=world.staff)
    with pytest.raises(InvalidInput) as error:
        change_password(
            sessions=sessions,
            actor=world.staff,
            current="wrong-one-123",
            new_password="brand-new-pass-1",
        )
    assert error.value.field == "current_password"
    change_password(
        sessions=sessions, actor=world.staff, current=PASSWORD, new_password="brand-new-pass-1"
    )
    with pytest.raises(NotAuthenticated):
        session_actor(sessions=sessions, token=cookie, remote=None)


def test_an_admin_of_another_clinic_cannot_touch_this_clinics_users(world: World) -> None:
    outsider_admin = create_user(
        sessions=world.database.sessions,
        actor=system_actor("test"),
        email="admin@south.example",
        full_name="South admin",
        password=PASSWORD,
        clinic_id=world.other_clinic,
        role="admin",
    )
    assert outsider_admin
    south = authenticate(
        sessions=world.database.sessions, email="admin@south.example", password=PASSWORD
    )
    from spinetrack.domain.errors import NotFound

    with pytest.raises(NotFound):
        disable_user(sessions=world.database.sessions, actor=south, email=EMAIL)


def test_a_revoked_token_stops_working(world: World) -> None:
    from spinetrack.services.access.sign_in import revoke_token

    sessions = world.database.sessions
    token_id, token = create_token(sessions=sessions, actor=world.clinician, name="script")
    revoke_token(sessions=sessions, actor=world.clinician, token_id=token_id)
    with pytest.raises(NotAuthenticated):
        token_actor(sessions=sessions, token=token, remote=None)


def test_accounts_sharing_one_hash_each_sign_in_with_the_password(world: World) -> None:
    sessions = world.database.sessions
    shared = hash_password("shared-demo-pass-1")
    for email in ("one@north.example", "two@north.example"):
        create_user(
            sessions=sessions,
            actor=system_actor("test"),
            email=email,
            full_name="Shared",
            password="shared-demo-pass-1",
            clinic_id=world.clinic,
            role="staff",
            password_hash=shared,
        )
        assert authenticate(sessions=sessions, email=email, password="shared-demo-pass-1")
        with pytest.raises(NotAuthenticated):
            authenticate(sessions=sessions, email=email, password="shared-demo-pass-2")
