"""Improvement plans: opened when a review whose outcome is "improvement plan" is finalised,
then filled in by its owner (the reviewer, by default) or HR: objectives, the support given,
check-in dates and an end date; check-ins recorded as the plan runs; closed as successful or not
successful (locked), or extended to a later end date. Services flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.appraisals.models import ImprovementPlan, PlanCheckIn, PlanStatus, Review
from app.appraisals.services.templates import bounded_text
from app.audit.services import actor
from app.core import clock
from app.core.concurrency import check_version
from app.core.errors import NotFound, ServiceError
from app.db import utcnow
from app.extensions import db
from app.org.models import Employee

OUTCOME = "improvement_plan"
DEFAULT_DAYS = 90  # a plan runs three months unless its owner says otherwise
CHECKIN_EVERY = 30  # with a check-in every month
MAX_TEXT = 5000
MAX_CHECKIN_DATES = 24
CLOSING = (PlanStatus.SUCCESSFUL.value, PlanStatus.UNSUCCESSFUL.value, PlanStatus.EXTENDED.value)


def open_for(review: Review) -> ImprovementPlan | None:
    """The plan of a review finalised with the "improvement plan" outcome, opened when it has
    none yet (a review reopened and finalised again keeps the plan it had)."""
    if review.outcome != OUTCOME or review.id is None:
        return None
    existing = db.session.scalar(select(ImprovementPlan).where(ImprovementPlan.review_id == review.id))
    if existing is not None:
        return existing
    start = clock.today()
    end = start + timedelta(days=DEFAULT_DAYS)
    plan = ImprovementPlan(
        review_id=review.id,
        employee_id=review.employee_id,
        position_id=review.position_id,
        owner_id=review.reviewer_id,
        start_date=start,
        end_date=end,
        status=PlanStatus.OPEN.value,
        checkin_dates=[
            (start + timedelta(days=d)).isoformat() for d in range(CHECKIN_EVERY, DEFAULT_DAYS + 1, CHECKIN_EVERY)
        ],
    )
    db.session.add(plan)
    return plan


def plan_id_of(review: Review) -> int | None:
    return db.session.scalar(select(ImprovementPlan.id).where(ImprovementPlan.review_id == review.id))


def get_plan(plan_id: int) -> ImprovementPlan:
    plan = db.session.scalar(
        select(ImprovementPlan)
        .where(ImprovementPlan.id == plan_id)
        .options(
            selectinload(ImprovementPlan.checkins),
            selectinload(ImprovementPlan.employee),
            selectinload(ImprovementPlan.owner),
            selectinload(ImprovementPlan.review),
        )
    )
    if plan is None:
        raise NotFound(_("No such improvement plan."))
    return plan


def list_plans(scope=None, status: str = ""):
    """Named query of the plans (in ``scope``, a condition on ImprovementPlan), running first,
    then by end date."""
    query = (
        select(ImprovementPlan)
        .join(Employee, Employee.id == ImprovementPlan.employee_id)
        .options(selectinload(ImprovementPlan.employee), selectinload(ImprovementPlan.owner))
    )
    if status in {s.value for s in PlanStatus}:
        query = query.where(ImprovementPlan.status == status)
    elif status == "running":
        query = query.where(ImprovementPlan.status.in_((PlanStatus.OPEN.value, PlanStatus.EXTENDED.value)))
    if scope is not None:
        query = query.where(scope)
    running = or_(ImprovementPlan.status == PlanStatus.OPEN.value, ImprovementPlan.status == PlanStatus.EXTENDED.value)
    return query.order_by(running.desc(), ImprovementPlan.end_date, ImprovementPlan.id)


def _require_open(plan: ImprovementPlan) -> None:
    if plan.is_closed:
        raise ServiceError(
            _("This plan is closed (%(status)s): it can no longer be changed.", status=plan.status_enum.label)
        )


@dataclass
class PlanData:
    objectives: str
    support: str
    start_date: date | None
    end_date: date | None
    checkin_dates: list[date]
    owner_id: int | None = None


def update_plan(plan: ImprovementPlan, data: PlanData, seen_version: int | None) -> None:
    """Objectives (required), support, owner, dates: the end after the start, every check-in date
    within them."""
    check_version(plan, seen_version)
    _require_open(plan)
    errors: dict[str, list[str]] = {}
    objectives = bounded_text(data.objectives, MAX_TEXT, errors, "objectives")
    if not objectives:
        errors.setdefault("objectives", []).append(_("Say what the employee is to achieve."))
    support = bounded_text(data.support, MAX_TEXT, errors, "support")
    if data.start_date is None:
        errors.setdefault("start_date", []).append(_("Enter a date."))
    if data.end_date is None:
        errors.setdefault("end_date", []).append(_("Enter a date."))
    elif data.start_date is not None and data.end_date < data.start_date:
        errors.setdefault("end_date", []).append(_("The end date cannot be before the start date."))
    dates = sorted(set(data.checkin_dates))
    if len(dates) > MAX_CHECKIN_DATES:
        errors.setdefault("checkin_dates", []).append(_("At most %(num)d check-in dates.", num=MAX_CHECKIN_DATES))
    outside = [d for d in dates if data.start_date and data.end_date and not data.start_date <= d <= data.end_date]
    if outside:
        errors.setdefault("checkin_dates", []).append(
            _(
                "Check-in dates must fall within the plan (%(dates)s do not).",
                dates=", ".join(d.isoformat() for d in outside),
            )
        )
    owner = None
    if data.owner_id is not None:
        owner = db.session.get(Employee, data.owner_id)
        if owner is None:
            errors.setdefault("owner_id", []).append(_("No such employee."))
        elif owner.id == plan.employee_id:
            errors.setdefault("owner_id", []).append(_("The employee cannot own their own plan."))
    if errors:
        raise ServiceError(
            _("The plan has %(num)d problem(s): see the marked fields.", num=sum(len(v) for v in errors.values())),
            errors,
        )
    plan.objectives, plan.support = objectives, support
    plan.start_date, plan.end_date = data.start_date, data.end_date
    plan.checkin_dates = [d.isoformat() for d in dates]
    if owner is not None:
        plan.owner_id = owner.id
    db.session.flush()


def add_checkin(plan: ImprovementPlan, on: date | None, comment: str, seen_version: int | None) -> PlanCheckIn:
    """Record a check-in (the day and what was seen) of a running plan."""
    check_version(plan, seen_version)
    _require_open(plan)
    errors: dict[str, list[str]] = {}
    text = bounded_text(comment, MAX_TEXT, errors, "comment")
    if not text:
        errors.setdefault("comment", []).append(_("Say what the check-in found."))
    if on is None:
        errors.setdefault("on", []).append(_("Enter a date."))
    elif on < plan.start_date:
        errors.setdefault("on", []).append(
            _("A check-in cannot be before the plan starts (%(date)s).", date=plan.start_date.isoformat())
        )
    elif on > clock.today():
        errors.setdefault("on", []).append(_("A check-in is recorded once it took place, not before."))
    if errors:
        raise ServiceError(_("The check-in was not recorded: see the marked fields."), errors)
    actor_id, actor_label, _ip = actor()
    checkin = PlanCheckIn(held_on=on, comment=text, author_id=actor_id, author_label=actor_label)
    plan.checkins.append(checkin)
    plan.updated_at = utcnow()  # a check-in is a change of the plan: its version moves
    db.session.flush()
    return checkin


def close_plan(
    plan: ImprovementPlan, result: str, comment: str, seen_version: int | None, new_end: date | None = None
) -> None:
    """Close a running plan as successful or not successful (locked from then on), or extend it
    to a later end date, always with a comment."""
    check_version(plan, seen_version)
    _require_open(plan)
    errors: dict[str, list[str]] = {}
    if result not in CLOSING:
        errors.setdefault("result", []).append(_("Choose how the plan ends."))
    text = bounded_text(comment, MAX_TEXT, errors, "comment")
    if not text:
        errors.setdefault("comment", []).append(_("Say why."))
    if result == PlanStatus.EXTENDED.value:
        if new_end is None:
            errors.setdefault("new_end", []).append(_("Enter the new end date."))
        elif new_end <= plan.end_date:
            errors.setdefault("new_end", []).append(
                _("The new end date must be after %(date)s.", date=plan.end_date.isoformat())
            )
    if errors:
        raise ServiceError(_("The plan was not closed: see the marked fields."), errors)
    plan.closing_comment = text
    plan.status = result
    if result == PlanStatus.EXTENDED.value:
        plan.end_date = new_end
    else:
        plan.closed_at = utcnow()
    db.session.flush()
