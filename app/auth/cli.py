"""``flask users …``: accounts and API tokens from the command line."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.audit.services import acting_as
from app.auth import services
from app.auth.models import Role
from app.core.errors import ServiceError
from app.core.unit_of_work import unit_of_work
from app.extensions import db

users_cli = click.Group("users", help="Manage user accounts and API tokens.")


def _fail(error: ServiceError):
    details = "; ".join(m for messages in error.errors.values() for m in messages) or error.message
    raise click.ClickException(details)


def _user(email: str):
    user = services.find_user(email)
    if user is None:
        raise click.ClickException(f"No user with e-mail {email}.")
    return user


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", default="")
@click.option("--password", help="Prompted for (hidden, twice) when not given.")
@with_appcontext
def create(email, role, name, password):
    """Create a user account."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with acting_as("cli"), unit_of_work():
        try:
            user = services.create_user(email, role, password, name)
        except ServiceError as error:
            _fail(error)
    click.echo(f"Created {user.email} ({user.role}).")


@users_cli.command("set-password")
@click.argument("email")
@click.option("--password", help="Prompted for (hidden, twice) when not given.")
@with_appcontext
def set_password(email, password):
    """Set a user's password."""
    user = _user(email)
    if password is None:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    with acting_as("cli"), unit_of_work():
        try:
            services.set_password(user, password)
        except ServiceError as error:
            _fail(error)
    click.echo(f"Password of {user.email} changed.")


@users_cli.command("token")
@click.argument("email")
@click.option("--name", default="", help="What the token is for.")
@with_appcontext
def token(email, name):
    """Create an API token and print it once (only its hash is stored)."""
    user = _user(email)
    with acting_as("cli"), unit_of_work():
        api_token, clear = services.issue_token(user, name or "cli")
    click.echo(clear)


@users_cli.command("list")
@with_appcontext
def list_users():
    """List user accounts."""
    for user in db.session.scalars(services.list_users()):
        click.echo(f"{user.email:40} {user.role:10} {'active' if user.active else 'inactive'}")
