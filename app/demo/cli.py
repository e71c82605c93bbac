"""``flask demo load`` (idempotent) and ``flask demo logins``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.audit.services import acting_as
from app.core.unit_of_work import unit_of_work
from app.demo import services

demo_cli = click.Group("demo", help="The demo organisation.")


@demo_cli.command("load")
@with_appcontext
def load():
    """Load the demo users and organisation; does nothing for what is already there."""
    with acting_as("demo"), unit_of_work():
        created = services.load_demo()
    click.echo(f"Demo data: {created} new record(s)." if created else "Demo data already loaded.")


@demo_cli.command("logins")
@with_appcontext
def logins():
    """Print the demo accounts."""
    click.echo("  Demo logins (e-mail / password):")
    for email, password, role in services.DEMO_USERS:
        click.echo(f"    {role:9} {email:28} {password}")
