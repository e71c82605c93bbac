"""Notifications: written in the transaction of the change they tell of (no commit here), in
the inbox of each person concerned and, by their choice per kind, as a mail in the outbox that
the background queue sends once the transaction commits (``app.notifications.delivery``).

    from app.notifications import services as notifications
    notifications.send([notifications.to_user(user, "jd_approved", {"position": "Cashier"}, link)])

People are reached through their account (inbox, and mail to the account's address); an
employee without an account through the e-mail of their employee record (mail only); someone
with neither is "unreachable" and listed for HR (``reminders.unreachable``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import cast

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import CursorResult, delete, func, insert, select, update

from app.audit.services import record
from app.auth.models import User
from app.core.clock import day_start, today
from app.core.errors import NotFound, ServiceError
from app.db import utcnow
from app.extensions import db
from app.notifications import kinds
from app.notifications.mail import locale_of, path_for, subject_of
from app.notifications.models import Notification as NotificationRow
from app.notifications.models import NotificationPreference, OutboxMail, RefusedAddress
from app.org.models import Employee

PENDING_MAIL = "rolebook_outbox_pending"  # session flag: mails were queued, kick the sender after commit


@dataclass
class Outgoing:
    """One person to tell about one thing: ``user`` (inbox and mail), or only an ``address``."""

    kind: str
    params: dict
    link: str
    user: User | None = None
    address: str = ""
    name: str = ""
    locale: str | None = None
    email: bool | None = None  # None: the user's preference for the kind's group decides


@dataclass
class SendReport:
    notifications: int = 0
    mails: int = 0
    unreachable: list[str] = field(default_factory=list)  # names of people with no account and no e-mail


def to_user(user, kind: str, params: dict, link: str) -> Outgoing:
    return Outgoing(kind, params, link, user=user, address=user.email, name=user.display_name)


def to_employee(employee, kind: str, params: dict, link: str) -> Outgoing:
    """An employee: through their active account if they have one, else their record's e-mail."""
    user = employee.user
    if user is not None and user.active:
        return Outgoing(kind, params, link, user=user, address=user.email, name=employee.name)
    return Outgoing(kind, params, link, address=(employee.email or "").strip(), name=employee.name)


@dataclass(frozen=True)
class Person:
    """An employee as the notifications reach them: through an active account, else by e-mail."""

    employee_id: int
    name: str
    employee_no: str
    email: str
    user: User | None


def people(employee_ids: Iterable[int]) -> dict[int, Person]:
    """{employee id: Person} in two queries per thousand (for thousands of reviews or holders)."""
    ids = sorted(set(employee_ids))
    found: dict[int, Person] = {}
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        rows = db.session.execute(
            select(Employee.id, Employee.name, Employee.employee_no, Employee.email, Employee.user_id).where(
                Employee.id.in_(chunk)
            )
        ).all()
        user_ids = [row.user_id for row in rows if row.user_id]
        users = (
            {
                user.id: user
                for user in db.session.scalars(select(User).where(User.id.in_(user_ids), User.active.is_(True)))
            }
            if user_ids
            else {}
        )
        for row in rows:
            found[row.id] = Person(
                row.id,
                row.name,
                row.employee_no,
                (row.email or "").strip(),
                users.get(row.user_id) if row.user_id else None,
            )
    return found


def to_person(person: Person, kind: str, params: dict, link: str) -> Outgoing:
    """Like ``to_employee``, for a Person of ``people``."""
    if person.user is not None:
        return Outgoing(kind, params, link, user=person.user, address=person.user.email, name=person.name)
    return Outgoing(kind, params, link, address=person.email, name=person.name)


def mail_preferences(user_ids: Iterable[int]) -> dict[tuple[int, str], bool]:
    """{(user id, group): e-mail wanted} for the users' stored choices (no row: e-mail wanted)."""
    ids = list(set(user_ids))
    found: dict[tuple[int, str], bool] = {}
    for start in range(0, len(ids), 1000):
        rows = db.session.execute(
            select(NotificationPreference.user_id, NotificationPreference.kind, NotificationPreference.email).where(
                NotificationPreference.user_id.in_(ids[start : start + 1000])
            )
        )
        found.update({(user_id, kind): email for user_id, kind, email in rows})
    return found


def wants_mail(preferences: dict, user_id: int, kind: str, params: dict) -> bool:
    if kind == kinds.DIGEST:  # a digest is mailed when one of its items' groups is mailed
        return any(
            preferences.get((user_id, kinds.group_of(item.get("kind", ""))), True) for item in params.get("items", [])
        )
    return preferences.get((user_id, kinds.group_of(kind)), True)


def send(outgoing: Sequence[Outgoing]) -> SendReport:
    """Write the inbox entries and the outbox mails of ``outgoing`` (bulk inserts, flushed in the
    caller's transaction). Mails go to addresses not refused for good, in the reader's language."""
    report = SendReport()
    if not outgoing:
        return report
    now = utcnow()
    preferences = mail_preferences(o.user.id for o in outgoing if o.user is not None)
    refused = refused_addresses({o.address.lower() for o in outgoing if o.address})
    notifications: list[dict] = []
    mails: list[dict] = []
    by_locale: dict[str, list[Outgoing]] = {}
    for item in outgoing:
        user_id = item.user.id if item.user is not None else None
        if user_id is not None:
            notifications.append(
                {
                    "user_id": user_id,
                    "kind": item.kind,
                    "params": item.params,
                    "link": item.link,
                    "created_at": now,
                    "read_at": None,
                }
            )
        mail = (
            item.email
            if item.email is not None
            else (user_id is None or wants_mail(preferences, user_id, item.kind, item.params))
        )
        if not item.address:
            if user_id is None:
                report.unreachable.append(item.name)
            continue
        if mail and item.address.lower() not in refused:
            by_locale.setdefault(item.locale or locale_of(item.user), []).append(item)
    for locale, items in by_locale.items():
        with force_locale(locale):  # once per language: switching reloads the catalog
            for item in items:
                mails.append(
                    {
                        "user_id": item.user.id if item.user is not None else None,
                        "to_address": item.address,
                        "kind": item.kind,
                        "locale": locale,
                        "subject": subject_of(item.kind, item.params),
                        "params": item.params,
                        "link": item.link,
                        "name": item.name[:120],
                        "body_text": "",
                        "body_html": "",
                        "status": "queued",
                        "attempts": 0,
                        "next_attempt_at": now,
                        "created_at": now,
                        "error_code": "",
                        "last_error": "",
                    }
                )
    for start in range(0, len(notifications), 2000):
        db.session.execute(insert(NotificationRow), notifications[start : start + 2000])
    for start in range(0, len(mails), 1000):
        db.session.execute(insert(OutboxMail), mails[start : start + 1000])
    if mails:
        db.session.info[PENDING_MAIL] = True
    report.notifications, report.mails = len(notifications), len(mails)
    return report


def refused_addresses(addresses: set[str]) -> set[str]:
    if not addresses:
        return set()
    found: set[str] = set()
    listed = list(addresses)
    for start in range(0, len(listed), 1000):
        found.update(
            a.lower()
            for a in db.session.scalars(
                select(RefusedAddress.address).where(
                    func.lower(RefusedAddress.address).in_(listed[start : start + 1000])
                )
            )
        )
    return found


# --- the inbox ----------------------------------------------------------------------------------


def list_notifications(user, kind: str | None = None, unread: bool = False):
    """Named query: the user's notifications, newest first (``kind``/``unread``: filters)."""
    query = select(NotificationRow).where(NotificationRow.user_id == user.id)
    if kind:
        query = query.where(NotificationRow.kind == kind)
    if unread:
        query = query.where(NotificationRow.read_at.is_(None))
    return query.order_by(NotificationRow.created_at.desc(), NotificationRow.id.desc())


def unread_count(user) -> int:
    """One query: the bell's number."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(NotificationRow)
            .where(NotificationRow.user_id == user.id, NotificationRow.read_at.is_(None))
        )
        or 0
    )


def get_notification(notification_id: int, user) -> NotificationRow:
    """The user's own notification; nobody else's (404, whatever the role)."""
    found = db.session.get(NotificationRow, notification_id)
    if found is None or found.user_id != getattr(user, "id", None):
        raise NotFound(_("No such notification."))
    return found


def mark_read(notification: NotificationRow) -> None:
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()


def mark_all_read(user) -> int:
    result = cast(
        CursorResult,
        db.session.execute(
            update(NotificationRow)
            .where(NotificationRow.user_id == user.id, NotificationRow.read_at.is_(None))
            .values(read_at=utcnow())
            .execution_options(synchronize_session=False)
        ),
    )
    return result.rowcount or 0


# --- preferences --------------------------------------------------------------------------------


def preferences_of(user) -> dict[str, bool]:
    """{group: e-mail wanted} for every group of the account page."""
    stored = mail_preferences([user.id])
    return {key: stored.get((user.id, key), True) for key in kinds.GROUPS}


def set_preferences(user, email_groups: Iterable[str]) -> None:
    """E-mail for the groups in ``email_groups``, app only for the others (audited rows)."""
    wanted = set(email_groups)
    unknown = wanted - set(kinds.GROUPS)
    if unknown:
        raise ServiceError.field("email", _("Unknown kind of notification: %(kind)s", kind=", ".join(sorted(unknown))))
    rows = {
        row.kind: row
        for row in db.session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    }
    for key in kinds.GROUPS:
        row = rows.get(key)
        if row is None:
            row = NotificationPreference(user_id=user.id, kind=key, email=True)
            db.session.add(row)
        row.email = key in wanted
    db.session.flush()


# --- reminders on demand (the bulk actions of the lists call these) --------------------------------


@dataclass
class ReminderReport:
    reminded: int = 0
    already_today: int = 0  # reminded of the same thing today already: not again
    unreachable: list[str] = field(default_factory=list)


def _reminded_today(kind: str, user_ids: set[int], addresses: set[str]) -> tuple[set[int], set[str]]:
    since = day_start(today())
    users = (
        set(
            db.session.scalars(
                select(NotificationRow.user_id).where(
                    NotificationRow.kind == kind,
                    NotificationRow.created_at >= since,
                    NotificationRow.user_id.in_(user_ids),
                )
            )
        )
        if user_ids
        else set()
    )
    mailed = (
        {
            a.lower()
            for a in db.session.scalars(
                select(OutboxMail.to_address).where(
                    OutboxMail.kind == kind,
                    OutboxMail.created_at >= since,
                    OutboxMail.user_id.is_(None),
                    func.lower(OutboxMail.to_address).in_(addresses),
                )
            )
        }
        if addresses
        else set()
    )
    return users, mailed


def _remind(kind: str, outgoing: list[Outgoing]) -> ReminderReport:
    report = ReminderReport()
    users, mailed = _reminded_today(
        kind,
        {o.user.id for o in outgoing if o.user is not None},
        {o.address.lower() for o in outgoing if o.user is None and o.address},
    )
    fresh, seen = [], set()
    for item in outgoing:
        key = ("user", item.user.id) if item.user is not None else ("address", item.address.lower() or item.name)
        if key in seen:
            continue
        seen.add(key)
        if (item.user is not None and item.user.id in users) or (item.user is None and item.address.lower() in mailed):
            report.already_today += 1
            continue
        fresh.append(item)
    sent = send(fresh)
    report.unreachable = sent.unreachable
    report.reminded = len(fresh) - len(sent.unreachable)
    return report


def remind_acknowledgement(assignments) -> ReminderReport:
    """Remind the holders of ``assignments`` (current assignments whose job description is still
    to be acknowledged) to read and acknowledge it; once a day per person at most."""
    outgoing = []
    for assignment in assignments:
        position = assignment.position
        outgoing.append(
            to_employee(
                assignment.employee,
                "ack_requested",
                {"position": f"{position.code} {position.title}"},
                path_for("jobs.position", position_id=position.id),
            )
        )
    return _remind("ack_requested", outgoing)


def remind_reviewers(reviews) -> ReminderReport:
    """Remind the reviewers of ``reviews`` (at the manager-review step) that the review waits for
    them; once a day per reviewer at most. Reviews without a reviewer count as unreachable."""
    report_missing = []
    outgoing = []
    for review in reviews:
        if review.reviewer is None:
            report_missing.append(review.employee.name)
            continue
        outgoing.append(
            to_employee(
                review.reviewer,
                "review_reminder",
                {"cycle": review.cycle.name, "employee": review.employee.name},
                path_for("appraisals.review", review_id=review.id),
            )
        )
    report = _remind("review_reminder", outgoing)
    report.unreachable = report_missing + report.unreachable
    return report


def outbox_enabled() -> bool:
    """Mails are sent when an SMTP server is set; otherwise they stay in the outbox (development)."""
    return bool((current_app.config.get("MAIL_SERVER") or "").strip())


# --- the outbox, for the admins ------------------------------------------------------------------


@dataclass
class OutboxOverview:
    counts: dict[str, int]  # mails per status
    problem: OutboxMail | None  # the latest queued mail kept back by the server's error
    refused: list[RefusedAddress]


def list_outbox(status: str | None = None):
    """Named query: the outbox, newest first (``status``: one status only)."""
    query = select(OutboxMail).order_by(OutboxMail.created_at.desc(), OutboxMail.id.desc())
    return query.where(OutboxMail.status == status) if status else query


def outbox_overview() -> OutboxOverview:
    counts: dict[str, int] = dict(
        db.session.execute(select(OutboxMail.status, func.count()).group_by(OutboxMail.status)).all()
    )
    problem = db.session.scalars(
        select(OutboxMail)
        .where(OutboxMail.status == "queued", OutboxMail.error_code != "")
        .order_by(OutboxMail.next_attempt_at.desc())
        .limit(1)
    ).first()
    refused = list(db.session.scalars(select(RefusedAddress).order_by(RefusedAddress.refused_at.desc()).limit(200)))
    return OutboxOverview(counts, problem, refused)


def get_mail(mail_id: int) -> OutboxMail:
    found = db.session.get(OutboxMail, mail_id)
    if found is None:
        raise NotFound(_("No such mail."))
    return found


def retry_mail(mail: OutboxMail) -> None:
    """An admin sends a refused or failed mail again: queued now, its address allowed again
    (recorded in the audit trail)."""
    if mail.status not in ("failed", "refused"):
        raise ServiceError(_("Only a mail that was not sent can be sent again."))
    db.session.execute(delete(RefusedAddress).where(func.lower(RefusedAddress.address) == mail.to_address.lower()))
    mail.status, mail.attempts, mail.next_attempt_at = "queued", 0, utcnow()
    mail.error_code, mail.last_error, mail.claimed_at = "", "", None
    db.session.flush()
    record("send_again", "outbox_mails", mail.id, {"to_address": mail.to_address}, label=mail.subject)
    db.session.info[PENDING_MAIL] = True
