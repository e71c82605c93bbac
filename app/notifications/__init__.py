"""Notifications: the in-app inbox (the bell), mails through an outbox sent by the background
queue, and the daily reminders. The domains below announce their events with blinker signals
(app/jobs/signals.py, app/appraisals/signals.py); ``subscribers`` turns them into notifications."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g
from flask_login import current_user
from sqlalchemy import event

log = logging.getLogger(__name__)
_hooked = False


def _after_commit(session) -> None:
    from app.notifications.services import PENDING_MAIL, outbox_enabled

    if not session.info.pop(PENDING_MAIL, False) or not outbox_enabled():
        return
    from app.notifications.tasks import kick_sender

    try:
        kick_sender(current_app._get_current_object())
    except Exception:  # the queue is down: the minute tick of the next consumer sends them
        log.exception("Could not hand the outbox to the queue")


def _after_rollback(session) -> None:
    from app.notifications.services import PENDING_MAIL

    session.info.pop(PENDING_MAIL, None)


def unread_notifications() -> int:
    """The bell's number for the current user: one query per page, at most."""
    if not current_user or not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        from app.notifications.services import unread_count

        g.unread_notifications = unread_count(current_user)
    return g.unread_notifications


def notification_preferences_form():
    """The account page's preferences form, filled with the current user's choices."""
    from app.notifications.forms import preferences_form
    from app.notifications.services import preferences_of

    return preferences_form(preferences_of(current_user))


def init_app(app: Flask) -> None:
    global _hooked
    from app.notifications import subscribers
    from app.notifications.delivery import mail
    from app.notifications.tasks import register

    mail.init_app(app)
    app.extensions["rolebook_tasks"].extend(register)
    from app.notifications.kinds import GROUPS

    app.jinja_env.globals.update(
        unread_notifications=unread_notifications,
        notification_preferences_form=notification_preferences_form,
        notification_groups=list(GROUPS),
    )
    if not _hooked:
        from flask_sqlalchemy.session import Session

        from app.audit.vocabulary import register_value_labels

        register_value_labels(
            {("notification_preferences", "kind"): lambda: {key: group.label for key, group in GROUPS.items()}}
        )

        subscribers.connect()
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
        _hooked = True
