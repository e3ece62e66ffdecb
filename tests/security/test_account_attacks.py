"""Attacks on accounts: concurrent guessing against the lock-out, telling a locked account from an
unknown one, guessing the current password from a signed-in session, tokens that outlive a reset,
and passwords a guesser tries first. Every test runs on SQLite and PostgreSQL."""

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import select
from tests.support.world import PASSWORD, World

from spinetrack.config import get_settings
from spinetrack.domain.errors import InvalidInput
from spinetrack.services.access.accounts import (
    authenticate,
    change_password,
    create_user,
    reset_password,
)
from spinetrack.services.access.actor import system_actor
from spinetrack.services.access.errors import NotAuthenticated
from spinetrack.services.access.sign_in import create_token, token_actor
from spinetrack.storage.tables import User

EMAIL = "staff@north.example"


def _at_once(count: int, attempt: Callable[[], None]) -> list[BaseException]:
    """Run `attempt` on `count` threads released together; the exceptions they raised."""
    start = threading.Barrier(count)
    raised: list[BaseException] = []

    def run() -> None:
        start.wait()
        try:
            attempt()
        except BaseException as exc:
            raised.append(exc)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return raised


def _failed_logins(world: World) -> tuple[int, bool]:
    with world.database.sessions.sessionmaker() as session:
        user = session.scalars(select(User).where(User.email == EMAIL)).one()
        return user.failed_logins, user.locked_until is not None


def test_28_concurrent_wrong_passwords_lock_the_account_before_the_right_one(world: World) -> None:
    sessions = world.database.sessions

    def guess() -> None:
        authenticate(sessions=sessions, email=EMAIL, password="a-wrong-guess-17")

    raised = _at_once(28, guess)
    assert len(raised) == 28
    assert all(isinstance(exc, NotAuthenticated) for exc in raised), [
        repr(exc) for exc in raised if not isinstance(exc, NotAuthenticated)
    ]
    assert _failed_logins(world)[1], "28 wrong passwords must leave the account locked"
    with pytest.raises(NotAuthenticated):
        authenticate(sessions=sessions, email=EMAIL, password=PASSWORD)


def test_a_locked_account_answers_exactly_like_an_unknown_one(world: World) -> None:
    sessions = world.database.sessions
    for _ in range(get_settings().login_failures_before_lockout):
        with pytest.raises(NotAuthenticated):
            authenticate(sessions=sessions, email=EMAIL, password="a-wrong-guess-17")
    with pytest.raises(NotAuthenticated) as locked:
        authenticate(sessions=sessions, email=EMAIL, password=PASSWORD)
    with pytest.raises(NotAuthenticated) as unknown:
        authenticate(sessions=sessions, email="nobody@north.example", password=PASSWORD)
    with pytest.raises(NotAuthenticated) as wrong:
        authenticate(sessions=sessions, email="admin@north.example", password="a-wrong-guess-17")
    assert locked.value.message == unknown.value.message == wrong.value.message


def test_guessing_the_current_password_counts_toward_the_lock_out(world: World) -> None:
    sessions = world.database.sessions
    for _ in range(40):
        with pytest.raises(InvalidInput) as refused:
            change_password(
                sessions=sessions,
                actor=world.staff,
                current="a-wrong-guess-17",
                new_password="brand-new-pass-1",
            )
        assert refused.value.field == "current_password"
    assert _failed_logins(world)[1]
    with pytest.raises(InvalidInput):
        change_password(
            sessions=sessions, actor=world.staff, current=PASSWORD, new_password="brand-new-pass-1"
        )
    with pytest.raises(NotAuthenticated):
        authenticate(sessions=sessions, email=EMAIL, password=PASSWORD)


def test_concurrent_current_password_guesses_are_all_counted(world: World) -> None:
    sessions = world.database.sessions

    def guess() -> None:
        change_password(
            sessions=sessions,
            actor=world.staff,
            current="a-wrong-guess-17",
            new_password="brand-new-pass-1",
        )

    assert len(_at_once(12, guess)) == 12
    assert _failed_logins(world)[1]


def test_a_password_reset_revokes_the_accounts_api_tokens(world: World) -> None:
    sessions = world.database.sessions
    _, token = create_token(sessions=sessions, actor=world.staff, name="laptop")
    assert token_actor(sessions=sessions, token=token, remote=None).name == EMAIL
    reset_password(
        sessions=sessions, actor=system_actor("test"), email=EMAIL, new_password="fresh-start-99"
    )
    with pytest.raises(NotAuthenticated):
        token_actor(sessions=sessions, token=token, remote=None)


@pytest.mark.parametrize(
    "common", ["password123", "Password1!", "Passw0rd!!", "qwertyuiop1", "letmein2024"]
)
def test_common_passwords_are_refused_everywhere(world: World, common: str) -> None:
    sessions = world.database.sessions
    with pytest.raises(InvalidInput, match="too common"):
        reset_password(
            sessions=sessions, actor=system_actor("test"), email=EMAIL, new_password=common
        )
    with pytest.raises(InvalidInput, match="too common"):
        change_password(sessions=sessions, actor=world.staff, current=PASSWORD, new_password=common)
    with pytest.raises(InvalidInput, match="too common"):
        create_user(
            sessions=sessions,
            actor=system_actor("test"),
            email="new@north.example",
            full_name="New",
            password=common,
            clinic_id=world.clinic,
            role="staff",
        )


@pytest.mark.parametrize(
    "own", ["new-person@north.example", "NEW-PERSON@north.example!", "new-person-2026"]
)
def test_a_password_built_on_the_users_own_email_is_refused(world: World, own: str) -> None:
    with pytest.raises(InvalidInput, match="e-mail"):
        create_user(
            sessions=world.database.sessions,
            actor=system_actor("test"),
            email="new-person@north.example",
            full_name="New",
            password=own,
            clinic_id=world.clinic,
            role="staff",
        )
