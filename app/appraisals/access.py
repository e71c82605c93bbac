"""Who may do what in appraisals: use the pages, keep templates and cycles, read, fill in and
calibrate reviews, and act for someone else on a review (enter a paper self-review on the
employee's behalf, skip an optional self-review, enter a paper manager review on a reviewer's
behalf, remove or restore a review). Plain functions, used by the pages, the API and the
templates alike."""

from __future__ import annotations

from sqlalchemy import false, or_

from app.appraisals.models import ImprovementPlan, Review, Step
from app.appraisals.services import flow
from app.appraisals.services.templates import cycle_settings
from app.auth.models import Role
from app.auth.permissions import has_role
from app.extensions import db
from app.org import services as org_services
from app.org.access import can_view_employee, held_and_managed


def can_use_appraisals(user) -> bool:
    """Everyone logged in has the appraisal pages: their own reviews, those they review."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER, Role.EMPLOYEE)


def can_manage_appraisals(user) -> bool:
    """HR and admins keep the templates, run cycles, import actuals, calibrate, finalise and reopen."""
    return has_role(user, Role.ADMIN, Role.HR)


def can_view_cycles(user) -> bool:
    """HR and admins see every cycle; managers see the cycles with the reviews of their subtree."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER)


def _own_employee_id(user) -> int | None:
    employee = getattr(user, "employee", None) if getattr(user, "is_authenticated", False) else None
    return employee.id if employee is not None else None


def _managed_positions(user) -> set[int]:
    return held_and_managed(user)[1] if has_role(user, Role.MANAGER) else set()


REVIEWER_ROLES = (Role.ADMIN, Role.HR, Role.MANAGER)  # the account roles that may do a manager review


def can_do_manager_reviews(user) -> bool:
    """Whether the account's role lets it do manager reviews at all. An ``employee`` account
    named as a reviewer can neither do nor read the review: HR sees such reviews on the cycle
    page (``app.appraisals.services.reviewers``) to name another reviewer or change the role."""
    return has_role(user, *REVIEWER_ROLES)


def can_view_review(user, review) -> bool:
    """HR and admins: every review; the employee: their own; a manager: the reviews they do as
    reviewer and those of their reporting subtree (by the position held at launch). An
    ``employee`` account sees only its own reviews, even when named as someone's reviewer."""
    if can_manage_appraisals(user):
        return True
    if not has_role(user, Role.MANAGER, Role.EMPLOYEE):
        return False
    own = _own_employee_id(user)
    if own is not None and own == review.employee_id:
        return True
    if not has_role(user, Role.MANAGER):
        return False
    if own is not None and own == review.reviewer_id:
        return True
    return review.position_id in _managed_positions(user)


def is_own_review(user, review) -> bool:
    own = _own_employee_id(user)
    return own is not None and own == review.employee_id


def can_self_review(user, review) -> bool:
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER, Role.EMPLOYEE) and is_own_review(user, review)


def can_manager_review(user, review) -> bool:
    """Only the named reviewer, with an account that may review, and never on their own review."""
    own = _own_employee_id(user)
    return can_do_manager_reviews(user) and own is not None and own == review.reviewer_id and own != review.employee_id


def can_calibrate(user, review) -> bool:
    """HR calibrates, finalises, reopens and reassigns, except on their own review."""
    return can_manage_appraisals(user) and not is_own_review(user, review)


def review_scope(user):
    """The reviews ``user`` may read, as a SQL condition on Review (None: all), like
    ``can_view_review`` for one."""
    if can_manage_appraisals(user):
        return None
    own = _own_employee_id(user)
    conditions = [Review.employee_id == own] if own is not None else []
    if has_role(user, Role.MANAGER):
        if own is not None:
            conditions.append(Review.reviewer_id == own)
        conditions.append(Review.position_id.in_(org_services.managed_position_ids(user)))
    return or_(*conditions) if conditions else false()


def can_view_plan(user, plan) -> bool:
    """An improvement plan: HR and admins, the employee it is for, its owner, and a manager whose
    reporting subtree holds the employee's position (as at the review)."""
    if can_manage_appraisals(user):
        return True
    if not has_role(user, Role.MANAGER, Role.EMPLOYEE):
        return False
    own = _own_employee_id(user)
    if own is not None and own == plan.employee_id:
        return True
    if not has_role(user, Role.MANAGER):
        return False
    return (own is not None and own == plan.owner_id) or plan.position_id in _managed_positions(user)


def can_edit_plan(user, plan) -> bool:
    """HR (never on their own plan) and the plan's owner with a manager account fill in the plan,
    record check-ins and close it; the employee reads it."""
    own = _own_employee_id(user)
    if own is not None and own == plan.employee_id:
        return False
    return can_manage_appraisals(user) or (has_role(user, Role.MANAGER) and own is not None and own == plan.owner_id)


def plan_scope(user):
    """The plans ``user`` may read, as a SQL condition on ImprovementPlan (None: all)."""
    if can_manage_appraisals(user):
        return None
    own = _own_employee_id(user)
    conditions = [ImprovementPlan.employee_id == own] if own is not None else []
    if has_role(user, Role.MANAGER):
        if own is not None:
            conditions.append(ImprovementPlan.owner_id == own)
        conditions.append(ImprovementPlan.position_id.in_(org_services.managed_position_ids(user)))
    return or_(*conditions) if conditions else false()


def can_view_cycle(user, cycle) -> bool:
    """HR and admins: every cycle; others: a cycle in which they may read at least one review."""
    scope = review_scope(user)
    if scope is None:
        return True
    return db.session.scalar(db.select(Review.id).where(Review.cycle_id == cycle.id, scope).limit(1)) is not None


def can_view_appraisal_history(user, employee) -> bool:
    """An employee's appraisals across cycles: whoever may read the employee's record."""
    return can_view_employee(user, employee)


def can_enter_self_review_for(user, review) -> bool:
    """HR (never on their own review), and the named reviewer where the template allows it, at
    the self-review step; HR also during the manager review when the self-review was skipped
    (and HR is not the reviewer, whose own form is open then)."""
    if review.excluded_at is not None:
        return False
    if review.status == Step.SELF_REVIEW.value:
        return can_calibrate(user, review) or (
            bool(cycle_settings(review.cycle).get("reviewer_enters_self_review")) and can_manager_review(user, review)
        )
    return (
        review.status == Step.MANAGER_REVIEW.value
        and review.self_review_state in flow.SKIPPED
        and can_calibrate(user, review)
        and not can_manager_review(user, review)
    )


def can_skip_self_review_for(user, review) -> bool:
    by_hr = can_calibrate(user, review)
    return (by_hr or can_manager_review(user, review)) and flow.can_skip_self_review(review, by_hr)


def reviewer_cannot_review(review) -> bool:
    """A reviewer is named, but has no active account that may review."""
    reviewer = review.reviewer
    if reviewer is None:
        return False
    account = reviewer.user
    return account is None or not account.active or not can_do_manager_reviews(account)


def can_enter_manager_review_for(user, review) -> bool:
    """HR (never on their own review) enters the paper manager review of a named reviewer who
    has no account able to do it."""
    return (
        review.excluded_at is None
        and review.status == Step.MANAGER_REVIEW.value
        and can_calibrate(user, review)
        and reviewer_cannot_review(review)
    )


# --- 360° feedback (issue 18) -------------------------------------------------------------------


def feedback_role(user, review) -> str | None:
    """As whom ``user`` nominates respondents on ``review``: "hr", "reviewer", "reviewee", or None."""
    if can_calibrate(user, review):
        return "hr"
    if can_manager_review(user, review):
        return "reviewer"
    if is_own_review(user, review):
        return "reviewee"
    return None


def can_approve_feedback(user, review) -> bool:
    """The reviewer or HR approves (or declines) the respondents."""
    return feedback_role(user, review) in ("hr", "reviewer")


def can_see_respondents(user, review) -> bool:
    """HR sees who answered (never what each wrote); nobody else does."""
    return can_calibrate(user, review)


def can_answer_feedback(user, nomination) -> bool:
    """Only the respondent opens their feedback form."""
    own = _own_employee_id(user)
    return own is not None and own == nomination.respondent_id


# --- individual goals (issue 18) -----------------------------------------------------------------


def can_edit_goals(user, review) -> bool:
    """The employee and the reviewer set the goals and check in; HR too (never on their own)."""
    return is_own_review(user, review) or can_manager_review(user, review) or can_calibrate(user, review)


def can_agree_goals(user, review) -> bool:
    """The reviewer (or HR) agrees the goals."""
    return can_manager_review(user, review) or can_calibrate(user, review)


TEMPLATE_GLOBALS = {
    "can_edit_goals": can_edit_goals,
    "can_agree_goals": can_agree_goals,
    "feedback_role": feedback_role,
    "can_approve_feedback": can_approve_feedback,
    "can_see_respondents": can_see_respondents,
    "can_use_appraisals": can_use_appraisals,
    "can_view_appraisal_history": can_view_appraisal_history,
    "can_manage_appraisals": can_manage_appraisals,
    "can_view_cycles": can_view_cycles,
    "can_view_review": can_view_review,
    "can_self_review": can_self_review,
    "can_manager_review": can_manager_review,
    "can_calibrate": can_calibrate,
    "is_own_review": is_own_review,
    "can_edit_plan": can_edit_plan,
}
