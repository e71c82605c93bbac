"""Reviews whose manager review cannot happen as things stand, for HR: nobody is named as
reviewer, the reviewer has no account, or the reviewer's account may not review (an ``employee``
account, or one that is deactivated). Such a review would wait forever; the cycle page and the
launch list them so that HR names another reviewer or changes the account's role.

Only reviews before or at the manager review count: after it, the reviewer has nothing to do."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, not_, or_, select

from app.appraisals.models import Review, Step
from app.auth.models import ROLE_LABELS, Role, User
from app.auth.permissions import REVIEWER_ROLES
from app.extensions import db
from app.org.models import Employee

NO_REVIEWER = "no_reviewer"
NO_ACCOUNT = "no_account"
CANNOT_REVIEW = "cannot_review"   # an account whose role does not review (employee)
INACTIVE = "inactive"             # a deactivated account

REASONS = {
    NO_REVIEWER: _l("Nobody is named as reviewer"),
    NO_ACCOUNT: _l("The reviewer has no account"),
    CANNOT_REVIEW: _l("The reviewer's account has a role that cannot review"),
    INACTIVE: _l("The reviewer's account is deactivated"),
}
WAITING = (Step.SELF_REVIEW.value, Step.MANAGER_REVIEW.value)
LIST_LIMIT = 10


def _able_reviewer():
    """SQL: the review's reviewer has an active account whose role may review. Aliases, so that
    a query already joining Employee (the reviewee) or User does not correlate them in here."""
    reviewer, account = db.aliased(Employee), db.aliased(User)
    return exists().where(reviewer.id == Review.reviewer_id, account.id == reviewer.user_id,
                          account.active.is_(True), account.role.in_([role.value for role in REVIEWER_ROLES]))


def stalled_condition():
    """SQL condition on Review: its manager review is still to come and nobody able can do it."""
    return and_(Review.status.in_(WAITING), or_(Review.reviewer_id.is_(None), not_(_able_reviewer())))


@dataclass
class StalledReviews:
    total: int
    by_reason: list[tuple[str, int]]   # (reason label, count), the reasons present
    first: list[dict]                  # up to LIST_LIMIT reviews: id, employee, reviewer, reason


def stalled_reviews(cycle_id: int, limit: int = LIST_LIMIT) -> StalledReviews:
    """The stalled reviews of a cycle: counts by reason and the first few (two queries)."""
    reviewer = db.aliased(Employee)
    reviewee = db.aliased(Employee)
    account = db.aliased(User)
    able = and_(account.active.is_(True), account.role.in_([role.value for role in REVIEWER_ROLES]))

    def why(reviewer_id):
        return db.case((reviewer_id.is_(None), NO_REVIEWER), (account.id.is_(None), NO_ACCOUNT),
                       (account.active.is_(False), INACTIVE), else_=CANNOT_REVIEW)

    # The counts: the waiting reviews counted per reviewer first (a few thousand reviewers for ten
    # thousand reviews), and only those reviewers' accounts looked at, so the joins do not grow
    # with the reviews. The conditions on the joined rows themselves (not stalled_condition's
    # EXISTS): one hash join however fresh the planner's statistics are after a bulk launch.
    per_reviewer = (select(Review.reviewer_id, func.count().label("reviews"))
                    .where(Review.cycle_id == cycle_id, Review.status.in_(WAITING))
                    .group_by(Review.reviewer_id).subquery())
    reason = why(per_reviewer.c.reviewer_id)
    counts = dict(db.session.execute(
        select(reason, func.sum(per_reviewer.c.reviews)).select_from(per_reviewer)
        .outerjoin(reviewer, reviewer.id == per_reviewer.c.reviewer_id)
        .outerjoin(account, account.id == reviewer.user_id)
        .where(or_(per_reviewer.c.reviewer_id.is_(None), account.id.is_(None), not_(able))).group_by(reason)).all())
    if not counts:
        return StalledReviews(0, [], [])
    reason = why(Review.reviewer_id)
    base = (select().select_from(Review).outerjoin(reviewer, reviewer.id == Review.reviewer_id)
            .outerjoin(account, account.id == reviewer.user_id)
            .where(Review.cycle_id == cycle_id, Review.status.in_(WAITING),
                   or_(Review.reviewer_id.is_(None), account.id.is_(None), not_(able))))
    rows = db.session.execute(
        base.join(reviewee, reviewee.id == Review.employee_id)
        .add_columns(Review.id, reviewee.employee_no, reviewee.name, reviewer.employee_no.label("reviewer_no"),
                     reviewer.name.label("reviewer_name"), account.email, account.role, reason.label("reason"))
        .order_by(reviewee.employee_no).limit(limit)).all()
    first = [{"id": r.id, "employee_no": r.employee_no, "name": r.name, "reviewer_no": r.reviewer_no,
              "reviewer_name": r.reviewer_name, "email": r.email, "role": r.role,
              "role_label": str(ROLE_LABELS[Role(r.role)]) if r.role else None, "reason": str(REASONS[r.reason])}
             for r in rows]
    return StalledReviews(int(sum(counts.values())), [(str(REASONS[code]), int(counts[code])) for code in REASONS
                                                 if code in counts], first)
