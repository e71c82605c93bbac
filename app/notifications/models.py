"""Notifications in the app, mails waiting in the outbox, each person's choice of channel per
kind, and the record of the daily reminders sent (at most one digest per person per day)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import UTCDateTime, utcnow
from app.extensions import db


class Notification(db.Model):
    """One entry of a user's inbox: ``kind`` (see ``app.notifications.kinds``) with its
    ``params``, shown in the reader's language, linking to ``link`` (a path in the app)."""

    __tablename__ = "notifications"
    __audit__ = False  # the inbox is a consequence of audited changes, not business data itself
    __table_args__ = (
        Index("ix_notifications_user_id_read_at", "user_id", "read_at"),
        Index("ix_notifications_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class MailStatus(str, enum.Enum):
    QUEUED = "queued"  # waiting for the sender (or for the next attempt after a failure)
    SENDING = "sending"  # claimed by a sender right now
    SENT = "sent"  # the SMTP server accepted it
    REFUSED = "refused"  # the server refused the address for good
    FAILED = "failed"  # given up (too many failures, or interrupted while sending)

    @property
    def label(self) -> str:
        return str(MAIL_STATUS_LABELS[self])


MAIL_STATUS_LABELS = {
    MailStatus.QUEUED: _l("Queued"),
    MailStatus.SENDING: _l("Sending"),
    MailStatus.SENT: _l("Sent"),
    MailStatus.REFUSED: _l("Address refused"),
    MailStatus.FAILED: _l("Not sent"),
}


class OutboxMail(db.Model):
    """A mail written in the same transaction as the change it tells of, then rendered and sent
    by the background queue (``app.notifications.delivery``). Kept after sending, for the admins."""

    __tablename__ = "outbox_mails"
    __audit__ = False  # the queue of a consequence of audited changes
    __table_args__ = (
        CheckConstraint("status IN ('queued', 'sending', 'sent', 'refused', 'failed')", name="status_valid"),
        Index("ix_outbox_mails_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    kind: Mapped[str] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(10), default="en")
    subject: Mapped[str] = mapped_column(String(300))
    # What the mail tells (``kinds``), kept plain; the bodies are rendered from it by the sender
    # (and kept as sent), so that queueing thousands of mails writes rows and renders nothing.
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(500), default="")
    name: Mapped[str] = mapped_column(String(120), default="")  # the recipient, for the greeting
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default=MailStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error_code: Mapped[str] = mapped_column(String(20), default="")  # see delivery.ERROR_MESSAGES
    last_error: Mapped[str] = mapped_column(Text, default="")  # the server's or the system's words
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    @property
    def status_enum(self) -> MailStatus:
        return MailStatus(self.status)


class RefusedAddress(db.Model):
    """An address the SMTP server refused for good (a 5xx answer to RCPT TO): no more mail is
    sent to it until an admin allows it again; listed for the admins."""

    __tablename__ = "mail_refused_addresses"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(254), unique=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    refused_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class NotificationPreference(db.Model):
    """A user's channel for one kind: by e-mail and in the app (``email``), or in the app only.
    No row: the kind's default (e-mail and app)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    email: Mapped[bool] = mapped_column(Boolean, default=True)


class ReminderDigest(db.Model):
    """The daily reminder sent to one person (``recipient``: ``user:<id>`` or ``employee:<id>``)
    on one company-local day; the unique key makes it at most once a day, whoever runs it."""

    __tablename__ = "reminder_digests"
    __audit__ = False
    __table_args__ = (UniqueConstraint("recipient", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(40))
    day: Mapped[date] = mapped_column(Date, index=True)
    items: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
