"""The daily reminders: at ``REMINDER_HOUR`` in the company's time zone, one digest per person
(at most once a day, whoever runs it and however often) of what waits for them:

- appraisal steps due within ``REMINDER_DUE_DAYS`` days, or overdue (the employee's self-review,
  the reviewer's manager review);
- job descriptions in force that they have not acknowledged yet;
- for HR: job descriptions waiting for review for more than ``REMINDER_DRAFT_DAYS`` days;
- for the owner of an improvement plan: a check-in planned within ``REMINDER_DUE_DAYS`` days.

People with neither an account nor an e-mail on their employee record cannot be reminded:
``unreachable`` lists them for HR."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from app.appraisals.models import AppraisalCycle, CycleStatus, ImprovementPlan, PlanStatus, Review, Step
from app.core.clock import local, today
from app.db import utcnow
from app.extensions import db
from app.jobs.models import JobDescriptionVersion, Status
from app.jobs.services import outstanding_acknowledgements
from app.notifications import kinds
from app.notifications.mail import path_for
from app.notifications.models import ReminderDigest
from app.notifications.services import Outgoing, people, send, to_person, to_user
from app.notifications.subscribers import hr_users
from app.org.models import Assignment, Position

RUN_MARK = "*"  # the ReminderDigest row that says the day's run is done


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
    skipped: int = 0  # already reminded today
    unreachable: int = 0


def collect(day: date) -> tuple[dict[str, Pending], dict[int, Unreachable]]:
    """What each person is to be reminded of on ``day``; the people who cannot be reached.
    Reads columns, not ORM rows: a company of 10,000 has about as many items."""
    pending: dict[str, Pending] = {}
    unreachable: dict[int, Unreachable] = {}
    rows: list[tuple[int, str, dict, str]] = []  # (employee id, item kind, params, link)

    due_days = int(current_app.config.get("REMINDER_DUE_DAYS", 3))
    horizon = day + timedelta(days=due_days)
    steps = {Step.SELF_REVIEW.value: "self_review_due", Step.MANAGER_REVIEW.value: "manager_review_due"}
    cycles = {
        c.id: c
        for c in db.session.scalars(select(AppraisalCycle).where(AppraisalCycle.status == CycleStatus.RUNNING.value))
    }
    names: dict[int, str] = {}
    for status, due_column in steps.items():
        due_ids = [
            c.id for c in cycles.values() if getattr(c, due_column) is not None and getattr(c, due_column) <= horizon
        ]
        if not due_ids:
            continue
        reviews = db.session.execute(
            select(Review.id, Review.cycle_id, Review.employee_id, Review.reviewer_id)
            .where(Review.cycle_id.in_(due_ids), Review.status == status, Review.excluded_at.is_(None))
            .order_by(Review.id)
        ).all()
        for review in reviews:
            due = getattr(cycles[review.cycle_id], due_column)
            person_id = review.employee_id if status == Step.SELF_REVIEW.value else review.reviewer_id
            if person_id is None:
                continue
            params = {
                "cycle": cycles[review.cycle_id].name,
                "step": status,
                "employee": review.employee_id,
                "day": due.isoformat(),
            }
            rows.append(
                (
                    person_id,
                    "overdue" if due < day else "due_soon",
                    params,
                    path_for("appraisals.review", review_id=review.id),
                )
            )
            names[review.employee_id] = ""

    # improvement plans: a planned check-in within the horizon reminds the plan's owner
    running = (PlanStatus.OPEN.value, PlanStatus.EXTENDED.value)
    for plan_id, owner_id, employee_id, dates in db.session.execute(
        select(
            ImprovementPlan.id, ImprovementPlan.owner_id, ImprovementPlan.employee_id, ImprovementPlan.checkin_dates
        ).where(ImprovementPlan.status.in_(running), ImprovementPlan.owner_id.is_not(None))
    ):
        upcoming = sorted(d for d in dates or [] if day.isoformat() <= d <= horizon.isoformat())
        if upcoming:
            rows.append(
                (
                    owner_id,
                    "plan_checkin_due",
                    {"employee": employee_id, "day": upcoming[0]},
                    path_for("appraisals.plan", plan_id=plan_id),
                )
            )
            names[employee_id] = ""

    query = outstanding_acknowledgements().with_only_columns(
        Assignment.employee_id, Position.id, Position.code, Position.title
    )
    for employee_id, position_id, code, title in db.session.execute(query):
        rows.append(
            (
                employee_id,
                "ack_outstanding",
                {"position": f"{code} {title}".strip()},
                path_for("jobs.position", position_id=position_id),
            )
        )

    found = people({row[0] for row in rows} | set(names))
    for person_id, item_kind, params, link in rows:
        if "employee" in params:  # the reviewee's name, looked up with the others
            params["employee"] = found[params["employee"]].name
        person = found[person_id]
        if person.user is None and not person.email:
            entry = unreachable.setdefault(person_id, Unreachable(person.name, person.employee_no))
            entry.what.append(kinds.text(item_kind, params))
            continue
        key = f"user:{person.user.id}" if person.user is not None else f"employee:{person_id}"
        entry_pending = pending.setdefault(key, Pending(to_person(person, kinds.DIGEST, {}, "")))
        entry_pending.items.append({"kind": item_kind, "params": params, "link": link})

    draft_days = int(current_app.config.get("REMINDER_DRAFT_DAYS", 7))
    waiting = (
        db.session.scalar(
            select(func.count())
            .select_from(JobDescriptionVersion)
            .where(
                JobDescriptionVersion.status == Status.IN_REVIEW.value,
                JobDescriptionVersion.submitted_at < utcnow() - timedelta(days=draft_days),
            )
        )
        or 0
    )
    if waiting:
        for user in hr_users():
            key = f"user:{user.id}"
            entry_pending = pending.setdefault(key, Pending(to_user(user, kinds.DIGEST, {}, "")))
            entry_pending.items.append(
                {
                    "kind": "drafts_waiting",
                    "params": {"count": waiting, "days": draft_days},
                    "link": path_for("jobs.review_queue"),
                }
            )
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
        db.session.execute(insert(ReminderDigest), marks[start : start + 2000])
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
    if (
        db.session.scalar(
            select(ReminderDigest.id).where(ReminderDigest.recipient == RUN_MARK, ReminderDigest.day == day)
        )
        is not None
    ):
        return None
    try:
        with db.session.begin_nested():
            db.session.add(ReminderDigest(recipient=RUN_MARK, day=day, items=0, created_at=utcnow()))
    except IntegrityError:
        return None  # another process started it a moment ago
    return run(day)


def unreachable_people(day: date | None = None) -> list[Unreachable]:
    """Who would be reminded today but has no account and no e-mail (for HR), by name."""
    _pending, unreachable = collect(day or today())
    return sorted(unreachable.values(), key=lambda u: (u.name, u.employee_no))
