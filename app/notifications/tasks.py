"""The notifications' work on the background queue (huey): the outbox sender, kicked after every
commit that queued mails, and a tick every minute that sends what is due again (retries after
their backoff) and runs the day's reminders once their hour has come.

A web request never talks to the SMTP server: it only writes the outbox and hands a message to
the queue after its commit."""

from __future__ import annotations

import logging

from huey import crontab

from app.core.unit_of_work import unit_of_work
from app.extensions import db

log = logging.getLogger(__name__)

DELIVER = "rolebook.notifications.deliver"
TICK = "rolebook.notifications.tick"


def register(huey, queue) -> None:
    """Add the sender and the tick to ``queue``'s huey (``TaskQueue.extend``)."""
    app = queue.app

    @huey.task(name=DELIVER)
    def deliver() -> None:
        from app.notifications.delivery import deliver_due

        with app.app_context():
            try:
                deliver_due()
            finally:
                db.session.remove()

    @huey.periodic_task(crontab(minute="*"), name=TICK)
    def tick() -> None:
        from app.notifications.delivery import deliver_due
        from app.notifications.reminders import run_if_due

        with app.app_context():
            try:
                with unit_of_work():
                    report = run_if_due()
                if report is not None:
                    log.info(
                        "Reminders of %s: %d digest(s), %d mail(s), %d unreachable",
                        report.day,
                        report.digests,
                        report.mails,
                        report.unreachable,
                    )
                deliver_due()
            finally:
                db.session.remove()

    app.extensions["rolebook_mail_sender"] = deliver


def kick_sender(app) -> None:
    """After a commit that queued mails: ask the queue to send them (never waits for SMTP)."""
    from app.tasks.queue import task_queue

    queue = task_queue()
    queue.huey  # noqa: B018 (builds the queue, and so registers the sender, on first use)
    app.extensions["rolebook_mail_sender"]()
    if app.config.get("TASK_CONSUMER") == "thread":
        queue.start_consumer()
