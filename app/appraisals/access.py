"""Who may act for someone else on a review: enter a paper self-review on the employee's behalf,
skip an optional self-review, enter a paper manager review on a reviewer's behalf, remove or
restore a review. Plain functions, used by the pages, the API and the templates alike."""
from __future__ import annotations

from app.appraisals import flow
from app.appraisals.models import Step
from app.appraisals.services import cycle_settings
from app.auth.permissions import can_calibrate, can_manager_review


def can_enter_self_review_for(user, review) -> bool:
    """HR (never on their own review), and the named reviewer where the template allows it, at
    the self-review step; HR also during the manager review when the self-review was skipped
    (and HR is not the reviewer, whose own form is open then)."""
    if review.excluded_at is not None:
        return False
    if review.status == Step.SELF_REVIEW.value:
        return can_calibrate(user, review) or (
            bool(cycle_settings(review.cycle).get("reviewer_enters_self_review"))
            and can_manager_review(user, review))
    return (review.status == Step.MANAGER_REVIEW.value and review.self_review_state in flow.SKIPPED
            and can_calibrate(user, review) and not can_manager_review(user, review))


def can_skip_self_review_for(user, review) -> bool:
    by_hr = can_calibrate(user, review)
    return (by_hr or can_manager_review(user, review)) and flow.can_skip_self_review(review, by_hr)


def reviewer_cannot_review(review) -> bool:
    """A reviewer is named, but has no active account that may review."""
    from app.auth.permissions import can_do_manager_reviews

    reviewer = review.reviewer
    if reviewer is None:
        return False
    account = reviewer.user
    return account is None or not account.active or not can_do_manager_reviews(account)


def can_enter_manager_review_for(user, review) -> bool:
    """HR (never on their own review) enters the paper manager review of a named reviewer who
    has no account able to do it."""
    return (review.excluded_at is None and review.status == Step.MANAGER_REVIEW.value
            and can_calibrate(user, review) and reviewer_cannot_review(review))
