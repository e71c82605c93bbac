"""Outcomes that HR follows up: the promotion candidates (reviews whose outcome is
``promotion_candidate``) and the probation reviews (outcome ``probation_review``, or the review of
an employee still on probation), each with the employee's bands across cycles.

Three queries whatever the number of rows: the page of reviews, then the history of the
employees on it (their finalised reviews, oldest first)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import contains_eager

from app.appraisals.models import AppraisalCycle, Review, Step
from app.extensions import db
from app.org.models import Employee, EmployeeStatus

PROMOTION = "promotion_candidate"
PROBATION = "probation_review"
LISTS = ("promotion", "probation")


def follow_up(kind: str, scope=None, cycle_id: int | None = None):
    """The reviews of the list ``kind`` ("promotion" or "probation"), newest cycle first: one
    query for the caller to page."""
    query = (
        select(Review)
        .join(AppraisalCycle, AppraisalCycle.id == Review.cycle_id)
        .join(Employee, Employee.id == Review.employee_id)
        .where(Review.excluded_at.is_(None))
        .options(contains_eager(Review.cycle), contains_eager(Review.employee))
    )
    if kind == "promotion":
        query = query.where(Review.outcome == PROMOTION, Review.status == Step.FINALISED.value)
    else:
        query = query.where(or_(Review.outcome == PROBATION, Employee.status == EmployeeStatus.PROBATION.value))
    if cycle_id is not None:
        query = query.where(Review.cycle_id == cycle_id)
    if scope is not None:
        query = query.where(scope)
    return query.order_by(AppraisalCycle.start_date.desc(), AppraisalCycle.id.desc(), Employee.employee_no)


@dataclass(frozen=True)
class Past:
    cycle: str
    band: str | None
    outcome: str | None


def histories(employee_ids: list[int], scope=None) -> dict[int, list[Past]]:
    """Each employee's finalised reviews, oldest first: the cycle, the band shown, the outcome."""
    if not employee_ids:
        return {}
    query = (
        select(
            Review.employee_id, AppraisalCycle.name, func.coalesce(Review.calibrated_band, Review.band), Review.outcome
        )
        .join(AppraisalCycle, AppraisalCycle.id == Review.cycle_id)
        .where(
            Review.employee_id.in_(employee_ids), Review.status == Step.FINALISED.value, Review.excluded_at.is_(None)
        )
        .order_by(AppraisalCycle.start_date, AppraisalCycle.id)
    )
    if scope is not None:
        query = query.where(scope)
    result: dict[int, list[Past]] = defaultdict(list)
    for employee_id, cycle, band, outcome in db.session.execute(query):
        result[employee_id].append(Past(cycle, band, outcome))
    return result
