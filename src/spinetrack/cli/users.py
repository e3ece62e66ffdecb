"""`spinetrack users create|list|disable|reset-password` and API tokens, for administrators."""

import secrets

import typer
from rich.console import Console
from rich.table import Table

from spinetrack.cli.clinic_arg import clinic_id_of
from spinetrack.cli.errors import explains_errors
from spinetrack.cli.opened import opened_database
from spinetrack.services.access.accounts import (
    add_member,
    create_user,
    disable_user,
    list_users,
    rename_user,
    reset_password,
    user_ids,
)
from spinetrack.services.access.actor import system_actor
from spinetrack.services.access.sign_in import create_token, revoke_token

users_app = typer.Typer(help="Manage user accounts and their API tokens.", no_args_is_help=True)
CLI = system_actor("cli")


def _generated() -> str:
    return secrets.token_urlsafe(12) + "-7"


@users_app.command("create")
@explains_errors
def create(
    email: str = typer.Argument(..., help="E-mail, used to sign in"),
    name: str = typer.Option(..., "--name", help="Full name"),
    clinic: str = typer.Option(..., "--clinic", help="Clinic slug"),
    role: str = typer.Option(..., "--role", help="admin, clinician, staff or analyst"),
    password: str = typer.Option(
        None, "--password", help="Initial password (generated if omitted)"
    ),
) -> None:
    """Create an account with a role in one clinic."""
    chosen = password or _generated()
    with opened_database() as database:
        user_id = create_user(
            sessions=database.sessions,
            actor=CLI,
            email=email,
            full_name=name,
            password=chosen,
            clinic_id=clinic_id_of(database.sessions, clinic),
            role=role,
        )
    typer.echo(f"created user {user_id} {email.lower()} as {role} in {clinic}")
    if not password:
        typer.echo(f"initial password (shown once): {chosen}")


@users_app.command("add-to-clinic")
@explains_errors
def add_to_clinic(
    email: str = typer.Argument(..., help="An existing account"),
    clinic: str = typer.Option(..., "--clinic", help="Clinic slug"),
    role: str = typer.Option(..., "--role", help="admin, clinician, staff or analyst"),
) -> None:
    """Give an existing account a role in another clinic (same password, same sign-in)."""
    with opened_database() as database:
        add_member(
            sessions=database.sessions,
            actor=CLI,
            email=email,
            clinic_id=clinic_id_of(database.sessions, clinic),
            role=role,
        )
    typer.echo(f"{email.strip().lower()} is now {role} in {clinic}")


@users_app.command("list")
@explains_errors
def list_(clinic: str = typer.Option(..., "--clinic", help="Clinic slug")) -> None:
    """List the accounts of a clinic with their roles and state."""
    with opened_database() as database:
        clinic_id = clinic_id_of(database.sessions, clinic)
        users = list_users(sessions=database.sessions, actor=CLI, clinic_id=clinic_id)
    table = Table("id", "e-mail", "name", "role", "state")
    for user in users:
        state = "disabled" if not user.active else ("locked" if user.locked_until else "active")
        table.add_row(
            str(user.id), user.email, user.full_name, user.roles.get(clinic_id, ""), state
        )
    Console(width=120).print(table)


@users_app.command("disable")
@explains_errors
def disable(email: str = typer.Argument(...)) -> None:
    """Disable an account: its sessions and tokens stop working at once."""
    with opened_database() as database:
        disable_user(sessions=database.sessions, actor=CLI, email=email)
    typer.echo(f"disabled {email.lower()}")


@users_app.command("rename")
@explains_errors
def rename(
    email: str = typer.Argument(...),
    name: str = typer.Option(..., "--name", help="Full name shown on pages instead of the e-mail"),
) -> None:
    """Set the name pages show for an account (its e-mail stays its sign-in)."""
    with opened_database() as database:
        shown = rename_user(sessions=database.sessions, actor=CLI, email=email, full_name=name)
    typer.echo(f"{email.lower()} is now shown as {shown}")


@users_app.command("reset-password")
@explains_errors
def reset(
    email: str = typer.Argument(...),
    password: str = typer.Option(None, "--password", help="New password (generated if omitted)"),
) -> None:
    """Set a new password, clear a lock-out and sign the user out everywhere."""
    chosen = password or _generated()
    with opened_database() as database:
        reset_password(sessions=database.sessions, actor=CLI, email=email, new_password=chosen)
    typer.echo(f"password reset for {email.lower()}")
    if not password:
        typer.echo(f"new password (shown once): {chosen}")


@users_app.command("token")
@explains_errors
def token(
    email: str = typer.Argument(...),
    name: str = typer.Option(..., "--name", help="What will use the token"),
) -> None:
    """Create an API token for a user; it is printed once."""
    with opened_database() as database:
        (user_id,) = user_ids(sessions=database.sessions, emails=[email.lower()])
        token_id, secret = create_token(
            sessions=database.sessions, actor=CLI, name=name, user_id=user_id
        )
    typer.echo(f"token {token_id} for {email.lower()} (shown once): {secret}")


@users_app.command("revoke-token")
@explains_errors
def revoke(token_id: int = typer.Argument(...)) -> None:
    """Revoke an API token by its id."""
    with opened_database() as database:
        revoke_token(sessions=database.sessions, actor=CLI, token_id=token_id)
    typer.echo(f"revoked token {token_id}")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
