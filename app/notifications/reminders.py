"""The daily reminders: at ``REMINDER_HOUR`` in the company's time zone, one digest per person
(at most once a day, whoever runs it and however often) of what waits for them:

- appraisal steps due within ``REMINDER_DUE_DAYS`` days, or overdue (the employee's self-review,
  the reviewer's manager review);
- job descriptions in force that they have not acknowledged yet;
- for HR: job descriptions waiting for review for more than ``REMINDER_DRAFT_DAYS`` days.

People with neither an account nor an e-mail on their employee record cannot be reminded:
``unreachable`` lists them for HR."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.appraisals.models import AppraisalCycle, CycleStatus, Review, Step
from app.core.clock import local, today
from app.db import utcnow
from app.extensions import db
from app.jobs.models import JobDescriptionVersion, Status
from app.jobs.services import outstanding_acknowledgements
from app.notifications import kinds
from app.notifications.mail import path_for
from app.notifications.models import ReminderDigest
from app.notifications.services import Outgoing, send, to_employee, to_user
from app.notifications.subscribers import hr_users
from app.org.models import Assignment, Employee

RUN_MARK = "*"   # the ReminderDigest row that says the day's run is done


@dataclass
class Pending:
    outgoing: Outgoing
    items: list[dict] = field(default_factory=list)


@dataclass
class Unreachable:
    name: str
    employee_no: str
    what: list[str] = field(default_factory=list)


@dataclass
class RunReport:
    day: date
    digests: int = 0
    mails: int = 0
    skipped: int = 0          # already reminded today
    unreachable: int = 0


def _key(outgoing: Outgoing, employee: Employee | None) -> str:
    if outgoing.user is not None:
        return f"user:{outgoing.user.id}"
    return f"employee:{employee.id}" if employee is not None else f"address:{outgoing.address.lower()}"


def collect(day: date) -> tuple[dict[str, Pending], dict[int, Unreachable]]:
    """What each person is to be reminded of on ``day``; the people who cannot be reached."""
    pending: dict[str, Pending] = {}
    unreachable: dict[int, Unreachable] = {}

    def add(employee: Employee | None, outgoing: Outgoing, item_kind: str, params: dict, link: str) -> None:
        if outgoing.user is None and not outgoing.address:
            entry = unreachable.setdefault(employee.id, Unreachable(employee.name, employee.employee_no))
            entry.what.append(kinds.text(item_kind, params))
            return
        key = _key(outgoing, employee)
        found = pending.setdefault(key, Pending(outgoing))
        found.items.append({"kind": item_kind, "params": params, "link": link})

    due_days = int(current_app.config.get("REMINDER_DUE_DAYS", 3))
    horizon = day + timedelta(days=due_days)
    steps = {Step.SELF_REVIEW.value: ("self_review_due", "employee"),
             Step.MANAGER_REVIEW.value: ("manager_review_due", "reviewer")}
    cycles = {c.id: c for c in db.session.scalars(select(AppraisalCycle).where(
        AppraisalCycle.status == CycleStatus.RUNNING.value))}
    for status, (due_column, who) in steps.items():
        due_ids = [c.id for c in cycles.values() if getattr(c, due_column) is not None
                   and getattr(c, due_column) <= horizon]
        if not due_ids:
            continue
        query = (select(Review).where(Review.cycle_id.in_(due_ids), Review.status == status,
                                      Review.excluded_at.is_(None))
                 .options(selectinload(Review.employee).selectinload(Employee.user),
                          selectinload(Review.reviewer).selectinload(Employee.user))
                 .order_by(Review.id))
        step_label = Step(status).label
        for review in db.session.scalars(query):
            cycle = cycles[review.cycle_id]
            due = getattr(cycle, due_column)
            person = review.employee if who == "employee" else review.reviewer
            if person is None:
                continue
            item_kind = "overdue" if due < day else "due_soon"
            params = {"cycle": cycle.name, "step": step_label, "employee": review.employee.name,
                      "day": due.isoformat()}
            link = path_for("appraisals.review", review_id=review.id)
            add(person, to_employee(person, kinds.DIGEST, {}, ""), item_kind, params, link)

    query = outstanding_acknowledgements().options(selectinload(Assignment.employee).selectinload(Employee.user))
    for assignment in db.session.scalars(query).unique():
        position = assignment.position
        params = {"position": f"{position.code} {position.title}".strip()}
        add(assignment.employee, to_employee(assignment.employee, kinds.DIGEST, {}, ""), "ack_outstanding", params,
            path_for("jobs.position", position_id=position.id))

    draft_days = int(current_app.config.get("REMINDER_DRAFT_DAYS", 7))
    waiting = db.session.scalar(select(func.count()).select_from(JobDescriptionVersion).where(
        JobDescriptionVersion.status == Status.IN_REVIEW.value,
        JobDescriptionVersion.submitted_at < utcnow() - timedelta(days=draft_days))) or 0
    if waiting:
        for user in hr_users():
            add(None, to_user(user, kinds.DIGEST, {}, ""), "drafts_waiting", {"count": waiting, "days": draft_days},
                path_for("jobs.review_queue"))
    return pending, unreachable


def run(day: date | None = None) -> RunReport:
    """Queue the day's digests (flushes; the caller commits). Nobody gets two on one day."""
    day = day or today()
    report = RunReport(day)
    pending, unreachable = collect(day)
    report.unreachable = len(unreachable)
    done = set(db.session.scalars(select(ReminderDigest.recipient).where(ReminderDigest.day == day)))
    outgoing, marks = [], []
    now = utcnow()
    for key, entry in pending.items():
        if key in done:
            report.skipped += 1
            continue
        entry.outgoing.kind = kinds.DIGEST
        entry.outgoing.params = {"day": day.isoformat(), "items": entry.items}
        entry.outgoing.link = path_for("notifications.index")
        outgoing.append(entry.outgoing)
        marks.append({"recipient": key, "day": day, "items": len(entry.items), "created_at": now})
    for start in range(0, len(marks), 2000):
        db.session.execute(insert(ReminderDigest), marks[start:start + 2000])
    sent = send(outgoing)
    report.digests, report.mails = len(outgoing), sent.mails
    return report


def run_if_due() -> RunReport | None:
    """The periodic tick: today's run, once, from ``REMINDER_HOUR`` (company time) on. Returns
    None when it is not time yet or the run was done (by this or another process)."""
    moment = local()
    if moment.hour < int(current_app.config.get("REMINDER_HOUR", 8)):
        return None
    day = moment.date()
    if db.session.scalar(select(ReminderDigest.id).where(ReminderDigest.recipient == RUN_MARK,
                                                         ReminderDigest.day == day)) is not None:
        return None
    try:
        with db.session.begin_nested():
            db.session.add(ReminderDigest(recipient=RUN_MARK, day=day, items=0, created_at=utcnow()))
    except IntegrityError:
        return None   # another process started it a moment ago
    return run(day)


def unreachable_people(day: date | None = None) -> list[Unreachable]:
    """Who would be reminded today but has no account and no e-mail (for HR), by name."""
    _pending, unreachable = collect(day or today())
    return sorted(unreachable.values(), key=lambda u: (u.name, u.employee_no))

