"""Sending the outbox (Flask-Mailman over SMTP), from the background queue only.

Exactly once, whatever the SMTP server does: a sender first *claims* a batch of due mails (one
committed UPDATE from ``queued`` to ``sending``: two senders never hold the same mail), sends
each, and records it ``sent`` at once, on its own committed statement. A failure puts the mail
back to ``queued`` with the next attempt after an exponential backoff (``MAIL_RETRY_SECONDS``
doubled per attempt, at most ``MAIL_RETRY_MAX_SECONDS``):

- the server cannot be reached, refuses the login or the sender (bad settings, an outage): the
  whole batch goes back, its attempts counted but never given up on; the outbox page shows the
  error to the admins, and the mails leave once the server or the settings are right;
- the server refuses an address for good (5xx to RCPT TO): the mail is ``refused`` and the
  address listed (no more mail to it until an admin allows it again);
- another temporary refusal of one mail: retried, and given up (``failed``) after
  ``MAIL_MAX_ATTEMPTS``.

A process killed between the server's "accepted" and the ``sent`` record leaves the mail
``sending``: after ``STALE_SENDING`` it is marked ``failed`` ("may have arrived") for an admin
to send again, rather than sent twice behind anyone's back.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_mailman import EmailMultiAlternatives, Mail
from sqlalchemy import select, update

from app.db import utcnow
from app.extensions import db
from app.notifications.mail import renderer
from app.notifications.models import MailStatus, OutboxMail, RefusedAddress

log = logging.getLogger(__name__)

mail = Mail()
BATCH = 200
STALE_SENDING = timedelta(minutes=15)

ERROR_MESSAGES = {
    "connect": lambda: _(
        "The mail server could not be reached: check ROLEBOOK_MAIL_SERVER and ROLEBOOK_MAIL_PORT "
        "(and that the server runs). The mails stay queued and are sent once it answers."
    ),
    "login": lambda: _(
        "The mail server refused the login: check ROLEBOOK_MAIL_USERNAME and ROLEBOOK_MAIL_PASSWORD. "
        "The mails stay queued."
    ),
    "tls": lambda: _(
        "The secure connection to the mail server failed: check ROLEBOOK_MAIL_USE_TLS, "
        "ROLEBOOK_MAIL_USE_SSL and ROLEBOOK_MAIL_PORT. The mails stay queued."
    ),
    "sender": lambda: _(
        "The mail server refused the sender address: check ROLEBOOK_MAIL_SENDER. The mails stay queued."
    ),
    "temporary": lambda: _("The mail server refused this mail for now; it is tried again later."),
    "refused": lambda: _("The mail server refused this address for good."),
    "rejected": lambda: _("The mail server refused this mail for good."),
    "interrupted": lambda: _(
        "Sending was interrupted (the process stopped): the mail may have arrived. Send it again if it did not."
    ),
    "gave_up": lambda: _("Given up after too many failed attempts."),
}


def error_text(code: str) -> str:
    found = ERROR_MESSAGES.get(code)
    return found() if found else ""


class ServerError(Exception):
    """The server (or the settings) failed: nothing of the batch can go now."""

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code, self.detail = code, detail


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    refused: int = 0
    failed: int = 0
    error_code: str = ""  # a server-level failure that stopped the run
    error: str = ""


def _config(name: str, default=None):
    return current_app.config.get(name, default)


def connection():
    """A Flask-Mailman SMTP connection with the current settings (read at each run)."""
    return mail.get_connection(
        backend="smtp",
        fail_silently=False,
        host=_config("MAIL_SERVER"),
        port=int(_config("MAIL_PORT") or 25),
        username=_config("MAIL_USERNAME") or "",
        password=_config("MAIL_PASSWORD") or "",
        use_tls=bool(_config("MAIL_USE_TLS")),
        use_ssl=bool(_config("MAIL_USE_SSL")),
        timeout=_config("MAIL_TIMEOUT") or 30,
    )


def classify(error: BaseException) -> ServerError:
    detail = f"{type(error).__name__}: {error}"[:2000]
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return ServerError("login", detail)
    if isinstance(error, smtplib.SMTPSenderRefused):
        return ServerError("sender", detail)
    if isinstance(error, ssl.SSLError | smtplib.SMTPNotSupportedError):
        return ServerError("tls", detail)
    return ServerError("connect", detail)


def open_connection():
    """An open connection, or ServerError saying what is wrong with the server or the settings."""
    if _config("MAIL_USE_TLS") and _config("MAIL_USE_SSL"):
        raise ServerError("tls", "ROLEBOOK_MAIL_USE_TLS and ROLEBOOK_MAIL_USE_SSL are both on: choose one")
    _name, address = parseaddr(sender())  # a malformed sender is the settings' fault, not the recipients'
    local, _at, domain = address.rpartition("@")
    if not local or not domain or any(c.isspace() for c in address):
        raise ServerError("sender", f"ROLEBOOK_MAIL_SENDER={sender()!r} holds no e-mail address")
    try:
        conn = connection()
        conn.open()
    except (TimeoutError, smtplib.SMTPException, OSError, ValueError) as error:
        raise classify(error) from error
    return conn


def check_settings() -> str | None:
    """For the admins' "test the settings" button: None when the server accepts a connection
    (and the login), else the reason."""
    try:
        conn = open_connection()
    except ServerError as error:
        return f"{error_text(error.code)} ({error.detail})"
    conn.close()
    return None


def backoff(attempts: int) -> timedelta:
    base = int(_config("MAIL_RETRY_SECONDS", 30) or 30)
    cap = int(_config("MAIL_RETRY_MAX_SECONDS", 3600) or 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


def _write(mail_ids, **values) -> None:
    table = OutboxMail.__table__
    ids = list(mail_ids) if isinstance(mail_ids, list | tuple | set) else [mail_ids]
    if not ids:
        return
    with db.engine.begin() as conn:
        conn.execute(update(table).where(table.c.id.in_(ids)).values(**values))


def _claim(limit: int) -> list[int]:
    """Take up to ``limit`` due mails for this sender (committed at once)."""
    table = OutboxMail.__table__
    now = utcnow()
    with db.engine.begin() as conn:
        due = (
            conn.execute(
                select(table.c.id)
                .where(table.c.status == MailStatus.QUEUED.value, table.c.next_attempt_at <= now)
                .order_by(table.c.next_attempt_at, table.c.id)
                .limit(limit)
            )
            .scalars()
            .all()
        )
        if not due:
            return []
        claimed = (
            conn.execute(
                update(table)
                .where(table.c.id.in_(due), table.c.status == MailStatus.QUEUED.value)
                .values(status=MailStatus.SENDING.value, claimed_at=now)
                .returning(table.c.id)
            )
            .scalars()
            .all()
        )
    return sorted(claimed)


def _release(mail_ids: list[int], code: str, detail: str) -> None:
    """Back to the queue after a failure of the server: next attempt after the backoff."""
    table = OutboxMail.__table__
    now = utcnow()
    with db.engine.begin() as conn:
        rows = conn.execute(select(table.c.id, table.c.attempts).where(table.c.id.in_(mail_ids))).all()
        for mail_id, attempts in rows:
            conn.execute(
                update(table)
                .where(table.c.id == mail_id, table.c.status == MailStatus.SENDING.value)
                .values(
                    status=MailStatus.QUEUED.value,
                    attempts=attempts + 1,
                    next_attempt_at=now + backoff(attempts + 1),
                    claimed_at=None,
                    error_code=code,
                    last_error=detail,
                )
            )


def _render(rows) -> dict[int, tuple[str, str]]:
    """{mail id: (text, html)}: as stored, or rendered now, one language at a time."""
    done: dict[int, tuple[str, str]] = {}
    by_locale: dict[str, list[OutboxMail]] = {}
    for row in rows:
        if row.body_text:
            done[row.id] = (row.body_text, row.body_html)
        else:
            by_locale.setdefault(row.locale, []).append(row)
    for locale, group in by_locale.items():
        with force_locale(locale):
            render = renderer()
            for row in group:
                _subject, text, html = render(row.kind, row.params or {}, row.link, row.name)
                done[row.id] = (text, html)
    return done


def sender() -> str:
    return _config("MAIL_DEFAULT_SENDER") or "RoleBook <rolebook@localhost>"


def _message(row: OutboxMail, conn, text: str, html: str) -> EmailMultiAlternatives:
    host = sender().rpartition("@")[2].strip(" >") or "localhost"
    message = EmailMultiAlternatives(
        row.subject,
        text,
        sender(),
        [row.to_address],
        connection=conn,
        headers={"Message-ID": f"<outbox-{row.id}@{host}>", "Content-Language": row.locale.replace("_", "-")},
    )
    message.attach_alternative(html, "text/html")
    return message


def _refuse(row: OutboxMail, detail: str) -> None:
    now = utcnow()
    _write(row.id, status=MailStatus.REFUSED.value, error_code="refused", last_error=detail, claimed_at=None)
    table = RefusedAddress.__table__
    with db.engine.begin() as conn:
        known = conn.execute(select(table.c.id).where(table.c.address == row.to_address)).first()
        if known is None:
            conn.execute(table.insert().values(address=row.to_address, reason=detail, refused_at=now))


def _send_one(row: OutboxMail, body: tuple[str, str], conn, report: DeliveryReport) -> None:
    try:
        _message(row, conn, *body).send()
    except ValueError as error:  # an address that cannot be written in a mail (old data)
        _refuse(row, str(error)[:2000])
        report.refused += 1
        return
    except smtplib.SMTPRecipientsRefused as error:
        code, text = next(iter(error.recipients.values()), (450, b""))
        detail = f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"[:2000]
        if code >= 500:
            _refuse(row, detail)
            report.refused += 1
        else:
            _retry(row, "temporary", detail, report)
        return
    except smtplib.SMTPDataError as error:
        detail = f"{error.smtp_code} {error.smtp_error!r}"[:2000]
        if error.smtp_code >= 500:
            _write(row.id, status=MailStatus.FAILED.value, error_code="rejected", last_error=detail, claimed_at=None)
            report.failed += 1
        else:
            _retry(row, "temporary", detail, report)
        return
    _write(
        row.id,
        status=MailStatus.SENT.value,
        sent_at=utcnow(),
        claimed_at=None,
        error_code="",
        last_error="",
        body_text=body[0],
        body_html=body[1],
    )
    report.sent += 1


def _retry(row: OutboxMail, code: str, detail: str, report: DeliveryReport) -> None:
    attempts = row.attempts + 1
    if attempts >= int(_config("MAIL_MAX_ATTEMPTS", 10) or 10):
        _write(
            row.id,
            status=MailStatus.FAILED.value,
            attempts=attempts,
            error_code="gave_up",
            last_error=detail,
            claimed_at=None,
        )
        report.failed += 1
        return
    _write(
        row.id,
        status=MailStatus.QUEUED.value,
        attempts=attempts,
        next_attempt_at=utcnow() + backoff(attempts),
        error_code=code,
        last_error=detail,
        claimed_at=None,
    )
    report.retried += 1


def mark_interrupted() -> int:
    """Mails left ``sending`` by a process that stopped: ``failed``, "may have arrived"."""
    table = OutboxMail.__table__
    with db.engine.begin() as conn:
        result = conn.execute(
            update(table)
            .where(table.c.status == MailStatus.SENDING.value, table.c.claimed_at < utcnow() - STALE_SENDING)
            .values(status=MailStatus.FAILED.value, error_code="interrupted", claimed_at=None)
        )
    return result.rowcount or 0


def deliver_due(limit: int | None = None) -> DeliveryReport:
    """Send the due mails of the outbox (all of them, or ``limit``); never raises for the
    server's sake: what could not go is back in the queue with the reason."""
    report = DeliveryReport()
    if not (_config("MAIL_SERVER") or "").strip():
        return report  # development: the mails stay in the outbox for the admins to read
    mark_interrupted()
    left = limit
    while left is None or left > 0:
        claimed = _claim(BATCH if left is None else min(BATCH, left))
        if not claimed:
            break
        if left is not None:
            left -= len(claimed)
        try:
            conn = open_connection()
        except ServerError as error:
            _release(claimed, error.code, error.detail)
            report.error_code, report.error = error.code, error.detail
            log.warning("Mail server unavailable, %d mail(s) kept queued: %s", len(claimed), error.detail)
            break
        pending = list(claimed)
        try:
            rows = {row.id: row for row in db.session.scalars(select(OutboxMail).where(OutboxMail.id.in_(claimed)))}
            rendered = _render(rows.values())
            for mail_id in claimed:
                _send_one(rows[mail_id], rendered[mail_id], conn, report)
                pending.remove(mail_id)
        except (smtplib.SMTPException, OSError) as error:
            failure = classify(error)
            _release(pending, failure.code, failure.detail)
            report.error_code, report.error = failure.code, failure.detail
            log.warning("Mail server failed while sending, %d mail(s) kept queued: %s", len(pending), failure.detail)
            break
        finally:
            try:
                conn.close()
            except Exception:  # the server is already gone: nothing to close
                pass
            db.session.expire_all()
    return report
