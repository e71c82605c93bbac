"""Leaving people out of a cycle, with a reason (long leave, left the company, joined late…).

Before the launch HR excludes an employee (an ``Exclusion`` row): the launch then creates their
review already excluded. In a running cycle HR removes a review: it is kept with its inputs,
counted nowhere (progress, results, distribution, exports, closing), no step of it is open, and
HR can restore it where it was. Services flush; the caller commits once."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.appraisals.models import AppraisalCycle, CycleStatus, Exclusion, ExclusionReason, Review
from app.appraisals.services.flow import _event, touch
from app.appraisals.services.templates import bounded_text
from app.core.concurrency import check_version
from app.core.errors import NotFound, ServiceError
from app.db import utcnow
from app.extensions import db
from app.org.models import Employee

MAX_COMMENT = 2000


def _reason(reason, comment, errors: dict) -> tuple[str, str]:
    reason = (reason or "").strip() if isinstance(reason, str) or reason is None else str(reason)
    if reason not in ExclusionReason.values():
        errors["reason"] = [_("Choose a reason from the list.")]
    comment = bounded_text(comment, MAX_COMMENT, errors, "comment")
    if reason == ExclusionReason.OTHER.value and not comment and "comment" not in errors:
        errors["comment"] = [_("Say what the reason is.")]
    return reason, comment


def _raise(errors: dict) -> None:
    if errors:
        raise ServiceError(_("Some values are not valid: see the message of each field."), errors)


def exclude_employee(
    cycle: AppraisalCycle, employee_id: int | None, reason: str, comment: str, seen_version: int | None = None
) -> Exclusion:
    """Before the launch: leave ``employee_id`` out of ``cycle``."""
    check_version(cycle, seen_version)
    if not cycle.is_draft:
        raise ServiceError(_("The cycle is launched: remove the employee’s review from the cycle instead."))
    errors: dict[str, list[str]] = {}
    employee = db.session.get(Employee, employee_id) if employee_id else None
    if employee is None:
        errors["employee_id"] = [_("No such employee.")]
    elif db.session.scalar(
        select(Exclusion.id).where(Exclusion.cycle_id == cycle.id, Exclusion.employee_id == employee.id)
    ):
        errors["employee_id"] = [_("This employee is already excluded from the cycle.")]
    reason, comment = _reason(reason, comment, errors)
    _raise(errors)
    exclusion = Exclusion(cycle_id=cycle.id, employee=employee, reason=reason, comment=comment)
    db.session.add(exclusion)
    db.session.flush()
    return exclusion


def get_exclusion(cycle: AppraisalCycle, exclusion_id: int) -> Exclusion:
    exclusion = db.session.get(Exclusion, exclusion_id)
    if exclusion is None or exclusion.cycle_id != cycle.id:
        raise NotFound(_("No such exclusion."))
    return exclusion


def cancel_exclusion(exclusion: Exclusion) -> None:
    """Before the launch: the employee is in the cycle again."""
    db.session.delete(exclusion)
    db.session.flush()


def _running(review: Review) -> None:
    if review.cycle.status != CycleStatus.RUNNING.value:
        raise ServiceError(_("Only the reviews of a running cycle can be removed or restored."))


def exclude_review(review: Review, reason: str, comment: str, seen_version: int | None) -> None:
    """Remove ``review`` from its running cycle, with the reason; kept as it is, restorable."""
    check_version(review, seen_version)
    _running(review)
    if review.excluded_at is not None:
        raise ServiceError(_("This review is already excluded from the cycle."))
    errors: dict[str, list[str]] = {}
    reason, comment = _reason(reason, comment, errors)
    _raise(errors)
    review.excluded_at, review.exclusion_reason, review.exclusion_comment = utcnow(), reason, comment
    touch(review)
    _event(review, "excluded", f"{ExclusionReason(reason).label}{': ' + comment if comment else ''}")
    db.session.flush()


def restore_review(review: Review, seen_version: int | None) -> None:
    """Bring an excluded review back into its running cycle, at the step where it was."""
    check_version(review, seen_version)
    _running(review)
    if review.excluded_at is None:
        raise ServiceError(_("This review is not excluded."))
    review.excluded_at, review.exclusion_reason, review.exclusion_comment = None, None, ""
    touch(review)
    _event(review, "restored")
    db.session.flush()


def list_exclusions(cycle: AppraisalCycle) -> list[Exclusion]:
    return list(
        db.session.scalars(
            select(Exclusion)
            .where(Exclusion.cycle_id == cycle.id)
            .options(selectinload(Exclusion.employee))
            .order_by(Exclusion.id)
        )
    )


def excluded_reviews(cycle: AppraisalCycle, scope=None):
    """Named query: the cycle's excluded reviews."""
    query = (
        select(Review)
        .join(Review.employee)
        .where(Review.cycle_id == cycle.id, Review.excluded_at.is_not(None))
        .options(selectinload(Review.employee), selectinload(Review.position))
    )
    if scope is not None:
        query = query.where(scope)
    return query.order_by(Employee.employee_no)
