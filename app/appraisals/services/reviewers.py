"""Reviews that cannot move as things stand, for HR, each with its reason and remedy: the
self-review is due and the employee has no account to log in with; nobody able can do the
manager review (nobody is named as reviewer, the reviewer has no account, or the reviewer's
account may not review: an ``employee`` account, or one that is deactivated); or there was no
job description at launch, so there is nothing to score. The cycle page and the launch list
them. Reviewer reasons count only before or at the manager review; excluded reviews never."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, String, and_, cast, exists, func, not_, null, or_, select, union_all

from app.appraisals.access import REVIEWER_ROLES
from app.appraisals.models import Review, Step
from app.auth.models import ROLE_LABELS, Role, User
from app.extensions import db
from app.org.models import Employee

NO_REVIEWER = "no_reviewer"
NO_ACCOUNT = "no_account"
CANNOT_REVIEW = "cannot_review"  # an account whose role does not review (employee)
INACTIVE = "inactive"  # a deactivated account
REVIEWEE_NO_ACCOUNT = "reviewee_no_account"  # the self-review is due and the employee cannot log in
NO_JD = "no_jd"  # no job description at launch: nothing to score

REASONS = {
    REVIEWEE_NO_ACCOUNT: _l("The employee has no account for the self-review"),
    NO_REVIEWER: _l("Nobody is named as reviewer"),
    NO_ACCOUNT: _l("The reviewer has no account"),
    CANNOT_REVIEW: _l("The reviewer's account has a role that cannot review"),
    INACTIVE: _l("The reviewer's account is deactivated"),
    NO_JD: _l("No job description at launch: nothing to score"),
}
REMEDIES = {
    REVIEWEE_NO_ACCOUNT: _l("Skip the self-review, or enter the paper one on the employee’s behalf"),
    NO_REVIEWER: _l("Name a reviewer"),
    NO_ACCOUNT: _l("Name another reviewer, or enter the paper manager review on the reviewer’s behalf"),
    CANNOT_REVIEW: _l("Name another reviewer, or give the account the manager role"),
    INACTIVE: _l("Name another reviewer, or reactivate the account"),
    NO_JD: _l("Finalise it without score with a reason, or exclude it"),
}
WAITING = (Step.SELF_REVIEW.value, Step.MANAGER_REVIEW.value)
LIST_LIMIT = 10


def _able_reviewer():
    """SQL: the review's reviewer has an active account whose role may review. Aliases, so that
    a query already joining Employee (the reviewee) or User does not correlate them in here."""
    reviewer, account = db.aliased(Employee), db.aliased(User)
    return exists().where(
        reviewer.id == Review.reviewer_id,
        account.id == reviewer.user_id,
        account.active.is_(True),
        account.role.in_([role.value for role in REVIEWER_ROLES]),
    )


def _reviewee_can_log_in():
    reviewee, account = db.aliased(Employee), db.aliased(User)
    return exists().where(reviewee.id == Review.employee_id, account.id == reviewee.user_id, account.active.is_(True))


def reviewer_stalled_condition():
    """SQL condition on Review: its manager review is still to come and nobody able can do it
    (HR may then enter the paper manager review on the reviewer's behalf, if one is named)."""
    return and_(Review.status.in_(WAITING), or_(Review.reviewer_id.is_(None), not_(_able_reviewer())))


def stalled_condition():
    """SQL condition on Review (not excluded, not finalised): it cannot move as things stand."""
    return and_(
        Review.excluded_at.is_(None),
        or_(
            reviewer_stalled_condition(),
            and_(Review.status == Step.SELF_REVIEW.value, not_(_reviewee_can_log_in())),
            and_(Review.status != Step.FINALISED.value, Review.jd_version_id.is_(None)),
        ),
    )


@dataclass
class StalledReviews:
    total: int
    by_reason: list[tuple[str, int]]  # (reason label, count), the reasons present
    first: list[dict]  # up to LIST_LIMIT reviews: id, employee, reviewer, reason, remedy


def stalled_reviews(cycle_id: int, limit: int = LIST_LIMIT) -> StalledReviews:
    """The stalled reviews of a cycle: counts by reason and the first few (two queries, one when
    none is stalled). Each review is counted once, under the first reason that holds (in the
    order of REASONS)."""
    reviewee = db.aliased(Employee)
    # The accounts of employees (a handful against the reviews), read once and looked up by
    # employee for both the reviewee and the reviewer: no employee row of each reviewer is read.
    accounts = (
        select(Employee.id.label("employee_id"), User.id, User.email, User.role, User.active)
        .select_from(User)
        .join(Employee, Employee.user_id == User.id)
        .cte("accounts")
    )
    account = accounts.alias("account")
    own_account = accounts.alias("own_account")
    able = and_(account.c.active.is_(True), account.c.role.in_([role.value for role in REVIEWER_ROLES]))
    reviewer_stalled = and_(
        Review.status.in_(WAITING), or_(Review.reviewer_id.is_(None), account.c.id.is_(None), not_(able))
    )
    reviewee_stalled = and_(
        Review.status == Step.SELF_REVIEW.value, or_(own_account.c.id.is_(None), own_account.c.active.is_(False))
    )
    no_jd = and_(Review.status != Step.FINALISED.value, Review.jd_version_id.is_(None))
    reason = db.case(
        (reviewee_stalled, REVIEWEE_NO_ACCOUNT),
        (Review.reviewer_id.is_(None) & reviewer_stalled, NO_REVIEWER),
        (account.c.id.is_(None) & reviewer_stalled, NO_ACCOUNT),
        (account.c.active.is_(False) & reviewer_stalled, INACTIVE),
        (reviewer_stalled, CANNOT_REVIEW),
        else_=NO_JD,
    )
    # Conditions on the joined rows themselves (not stalled_condition's EXISTS): hash joins
    # however fresh the planner's statistics are after a bulk launch.
    joined = (
        select()
        .select_from(Review)
        .join(reviewee, reviewee.id == Review.employee_id)
        .outerjoin(own_account, own_account.c.employee_id == Review.employee_id)
        .outerjoin(account, account.c.employee_id == Review.reviewer_id)
    )
    base = joined.where(
        Review.cycle_id == cycle_id, Review.excluded_at.is_(None), or_(reviewer_stalled, reviewee_stalled, no_jd)
    )
    # The joined rows are read once (a CTE, materialised as it is used twice): the counts by
    # reason and the first few in one statement, then what the page prints of those few.
    stalled = base.add_columns(
        Review.id.label("id"), reviewee.employee_no.label("employee_no"), reason.label("reason")
    ).cte("stalled")
    first_few = (
        select(stalled.c.reason, cast(null(), Integer).label("n"), stalled.c.id, stalled.c.employee_no)
        .order_by(stalled.c.employee_no)
        .limit(limit)
        .subquery()
    )
    counted = db.session.execute(
        union_all(
            select(
                stalled.c.reason,
                func.count().label("n"),
                cast(null(), Integer).label("id"),
                cast(null(), String).label("employee_no"),
            ).group_by(stalled.c.reason),
            select(first_few),
        )
    ).all()
    counts = {row.reason: row.n for row in counted if row.n is not None}
    if not counts:
        return StalledReviews(0, [], [])
    order = [row.id for row in counted if row.n is None]
    reviewer = db.aliased(Employee)
    rows = db.session.execute(
        joined.outerjoin(reviewer, reviewer.id == Review.reviewer_id)
        .add_columns(
            Review.id,
            reviewee.employee_no,
            reviewee.name,
            reviewer.employee_no.label("reviewer_no"),
            reviewer.name.label("reviewer_name"),
            reviewer.id.label("reviewer_id"),
            account.c.email,
            account.c.role,
            reason.label("reason"),
        )
        .where(Review.id.in_(order))
    ).all()
    rows.sort(key=lambda r: order.index(r.id))
    first = [
        {
            "id": r.id,
            "employee_no": r.employee_no,
            "name": r.name,
            "reviewer_no": r.reviewer_no,
            "reviewer_name": r.reviewer_name,
            "reviewer_id": r.reviewer_id,
            "email": r.email,
            "role": r.role,
            "role_label": str(ROLE_LABELS[Role(r.role)]) if r.role else None,
            "code": r.reason,
            "reason": str(REASONS[r.reason]),
            "remedy": str(REMEDIES[r.reason]),
        }
        for r in rows
    ]
    return StalledReviews(
        int(sum(counts.values())),
        [(str(REASONS[code]), int(counts[code])) for code in REASONS if code in counts],
        first,
    )
