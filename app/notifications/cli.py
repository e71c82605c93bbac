"""``flask notifications``: the reminders and the outbox from the command line (for a cron job
instead of the queue's periodic tick, and for looking after the outbox)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.core.unit_of_work import unit_of_work

notifications_cli = click.Group("notifications", help="Notifications: reminders and the outbox.")


@notifications_cli.command("remind")
@with_appcontext
def remind():
    """Queue today's reminders now (nobody gets a second digest the same day)."""
    from app.notifications.reminders import run

    with unit_of_work():
        report = run()
    click.echo(
        f"{report.day}: {report.digests} digest(s), {report.mails} mail(s), {report.skipped} already "
        f"reminded today, {report.unreachable} without account or e-mail"
    )


@notifications_cli.command("send")
@with_appcontext
def send():
    """Send the due mails of the outbox now (the queue does it on its own; this is for checks)."""
    from app.notifications.delivery import deliver_due

    report = deliver_due()
    click.echo(
        f"sent {report.sent}, to retry {report.retried}, refused {report.refused}, failed {report.failed}"
        + (f"; server: {report.error}" if report.error else "")
    )
