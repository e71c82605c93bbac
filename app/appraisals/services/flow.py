"""The review flow: self-review, manager review, HR calibration, finalisation, reopening,
acknowledgement and the reviewer, each refusing bad input with the field named (nothing is
changed then) and a stale version with a Conflict. Services flush; the caller commits once."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

from app.appraisals import signals
from app.appraisals.models import CycleStatus, KpiResult, Review, ReviewEvent, SelfReviewMode, SelfReviewState, Step
from app.appraisals.services import improvement
from app.appraisals.services.reviews import score_review
from app.appraisals.services.templates import bounded_text, cycle_settings
from app.audit.services import actor
from app.core.concurrency import check_version
from app.core.errors import ServiceError
from app.core.numbers import MAX_INTEGER_DIGITS, NumberError, is_rate_unit, parse_number
from app.db import utcnow
from app.extensions import db
from app.org.models import Employee

MAX_COMMENT = 5000
MAX_ACTUAL = 10**MAX_INTEGER_DIGITS  # actuals have at most 14 digits before the point, 4 after


# --- the steps --------------------------------------------------------------------------


@dataclass
class StepData:
    """What a step's form or API body sends. ``kpis`` and ``ratings`` are lists in the order of
    the review's KPI results and competency ratings: {"id", "actual", "comment"} and
    {"id", "rating", "comment"}; errors name them ``kpis.<i>.actual``, ``ratings.<i>.rating`` (the
    API, whose field is ``competencies``, renames the latter ``competencies.<i>.rating``)."""

    kpis: list[dict] = field(default_factory=list)
    ratings: list[dict] = field(default_factory=list)
    comment: str | None = None
    outcome: str | None = None


def parse_actual(
    raw, result: KpiResult, number_format: str = "auto", ambiguity_hint: str = ""
) -> tuple[Decimal | None, str | None]:
    """(number, None) or (None, message), by the shared rule of ``app.core.numbers`` (exactly as
    typed; an ambiguous separator refused with both readings, stricter for a rate or percent
    KPI; ``number_format`` as chosen on an import, whose ``ambiguity_hint`` then says how to
    settle it). Blank is None. Negative numbers are refused unless the target, threshold or
    stretch of this KPI is negative itself."""
    try:
        value = parse_number(raw, number_format=number_format, rate=is_rate_unit(result.unit))
    except NumberError as error:
        return None, f"{error.message} {ambiguity_hint}".strip() if error.readings else error.message
    if value is None:
        return None, None
    if value < 0 and not any(v is not None and v < 0 for v in (result.target, result.threshold, result.stretch)):
        return None, _("“%(kpi)s” cannot be negative.", kpi=result.name)
    return value, None


def _rating(raw, scale_max: int) -> tuple[int | None, str | None]:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    try:
        value = float(str(raw).strip())
    except ValueError:
        value = math.nan
    if isinstance(raw, bool) or not math.isfinite(value) or value != int(value) or not 1 <= value <= scale_max:
        return None, _("Choose a rating from 1 to %(num)d.", num=scale_max)
    return int(value), None


def _comment(value, errors: dict, path: str) -> str:
    return bounded_text(value, MAX_COMMENT, errors, path)


def _rows(submitted: list[dict], existing: list, errors: dict, name: str) -> list[tuple[dict, object]]:
    """Pair submitted rows with the review's rows (by id, else by order)."""
    by_id = {row.id: row for row in existing}
    pairs = []
    for i, item in enumerate(submitted or []):
        item = item if isinstance(item, dict) else {}
        row = by_id.get(item.get("id")) if item.get("id") is not None else (existing[i] if i < len(existing) else None)
        if row is None:
            errors.setdefault(f"{name}.{i}.id", []).append(_("This item is not part of the review."))
            continue
        pairs.append((item, row))
    return pairs


def _actuals(items: list[dict], review: Review, comment_column: str, errors: dict, by_employee: bool) -> None:
    """Apply submitted actuals and comments (``employee_comment`` or ``manager_comment``): only
    the keys sent change. The employee's figures are also kept as ``self_actual``."""
    for i, (item, result) in enumerate(_rows(items, review.kpi_results, errors, "kpis")):
        if "actual" in item:
            value, message = parse_actual(item.get("actual"), result)
            if message:
                errors.setdefault(f"kpis.{i}.actual", []).append(message)
            else:
                result.actual = value
                if by_employee:
                    result.self_actual = value
        if "comment" in item:
            setattr(result, comment_column, _comment(item.get("comment"), errors, f"kpis.{i}.comment"))


def _require_complete(review: Review, rating_column: str, rating_message: str, errors: dict) -> None:
    """Before a step is submitted: every actual, and every rating of ``rating_column``."""
    for i, result in enumerate(review.kpi_results):
        if result.actual is None:
            errors.setdefault(f"kpis.{i}.actual", []).append(_("Enter the actual result before submitting."))
    for i, rating in enumerate(review.ratings):
        if getattr(rating, rating_column) is None:
            errors.setdefault(f"ratings.{i}.rating", []).append(rating_message)


def _ratings(items: list[dict], review: Review, column: str, comment_column: str, scale_max: int, errors: dict) -> None:
    """Apply submitted ratings (``self_rating`` or ``manager_rating``) and comments
    (``employee_comment`` or ``manager_comment``): only the keys sent change."""
    for i, (item, rating) in enumerate(_rows(items, review.ratings, errors, "ratings")):
        if "rating" in item:
            value, message = _rating(item.get("rating"), scale_max)
            if message:
                errors.setdefault(f"ratings.{i}.rating", []).append(message)
            else:
                setattr(rating, column, value)
        if "comment" in item:
            setattr(rating, comment_column, _comment(item.get("comment"), errors, f"ratings.{i}.comment"))


def _event(review: Review, action: str, comment: str = "") -> None:
    actor_id, actor_label, _ip = actor()
    review.events.append(ReviewEvent(action=action, comment=comment, actor_id=actor_id, actor_label=actor_label))


class StepOver(ServiceError):
    """The step asked for is over: already submitted, or the review is finalised. A conflict
    with the review's state (409 in the API), not a lack of permission."""

    status = 409


def require_included(review: Review) -> None:
    if review.excluded_at is not None:
        raise StepOver(_("This review is excluded from the cycle: HR can restore it."))


def require_step(review: Review, *steps: Step) -> None:
    """Refuse, saying why, an action of a step the review is not at: already submitted or
    finalised (``StepOver``), or not open yet. An excluded review has no step open."""
    require_included(review)
    if review.status not in {s.value for s in steps}:
        order = Step.order()
        if review.status == Step.FINALISED.value:
            raise StepOver(_("This review is finalised and locked. Only HR can reopen it."))
        if order.index(review.status) > max(order.index(s.value) for s in steps):
            raise StepOver(
                _("This step was already submitted: the review is now at the step “%(step)s”.", step=review.step.label)
            )
        raise ServiceError(
            _("This review is at the step “%(step)s”: this step is not open yet.", step=review.step.label)
        )


def _raise(errors: dict) -> None:
    if errors:
        count = sum(len(v) for v in errors.values())
        raise ServiceError(_("The review has %(num)d problem(s): see the marked fields.", num=count), errors)


def touch(review: Review) -> None:
    review.updated_at = utcnow()  # every save moves the lock counter, even when only child rows changed


def save_self_review(
    review: Review, data: StepData, seen_version: int | None, submit: bool = False, on_behalf: bool = False
) -> None:
    """The employee's actuals (with comments), self ratings and comment; ``submit`` hands the
    review to the manager and needs every actual and self rating.

    ``on_behalf``: HR (or the reviewer, where the template allows) types in a self-review the
    employee filled in on paper, at the self-review step or, when the self-review was skipped
    (no account, or the template's choice), during the manager review, where it adds the
    employee's figures without touching the manager's (an actual only where none is entered yet).
    Submitting it is recorded as "entered on behalf" in the history and the audit trail."""
    late = on_behalf and review.status == Step.MANAGER_REVIEW.value and review.self_review_state in SKIPPED
    if not late:
        require_step(review, Step.SELF_REVIEW)
    else:
        require_included(review)
    check_version(review, seen_version)
    settings = cycle_settings(review.cycle)
    errors: dict[str, list[str]] = {}
    before = {result.id: result.actual for result in review.kpi_results}
    _actuals(data.kpis, review, "employee_comment", errors, by_employee=True)
    if late:  # the manager's actuals stay; the paper figures fill only the empty ones
        for result in review.kpi_results:
            if before[result.id] is not None:
                result.actual = before[result.id]
    _ratings(data.ratings, review, "self_rating", "employee_comment", settings["scale_max"], errors)
    if data.comment is not None:
        review.self_comment = _comment(data.comment, errors, "comment")
    if submit and not errors:
        if late:
            _require_self_complete(review, errors)
        else:
            _require_complete(review, "self_rating", _("Rate yourself before submitting."), errors)
    _raise(errors)
    score_review(review, settings)
    touch(review)
    if submit:
        if on_behalf:
            review.self_review_state = SelfReviewState.ON_BEHALF.value
            _event(
                review,
                "self_entered_on_behalf",
                _("Entered by %(actor)s on behalf of %(name)s", actor=actor()[1], name=review.employee.name),
            )
        else:
            _event(review, "self_submitted")
        review.self_submitted_at = utcnow()
        if not late:
            review.status = Step.MANAGER_REVIEW.value
    db.session.flush()
    if submit and not late:
        signals.step_opened.send(review, step=Step.MANAGER_REVIEW.value)


SKIPPED = (
    SelfReviewState.SKIPPED_TEMPLATE.value,
    SelfReviewState.SKIPPED_NO_ACCOUNT.value,
    SelfReviewState.SKIPPED_OPTIONAL.value,
)


def _require_self_complete(review: Review, errors: dict) -> None:
    for i, result in enumerate(review.kpi_results):
        if result.self_actual is None:
            errors.setdefault(f"kpis.{i}.actual", []).append(_("Enter the actual result before submitting."))
    for i, rating in enumerate(review.ratings):
        if rating.self_rating is None:
            errors.setdefault(f"ratings.{i}.rating", []).append(_("Rate yourself before submitting."))


def can_skip_self_review(review: Review, by_hr: bool) -> bool:
    """The review may go on without a self-review: the template makes it optional (HR or the
    reviewer decides), or the employee has no account to log in with (HR decides)."""
    if review.status != Step.SELF_REVIEW.value or review.excluded_at is not None:
        return False
    mode = cycle_settings(review.cycle).get("self_review", SelfReviewMode.REQUIRED.value)
    return mode == SelfReviewMode.OPTIONAL.value or (by_hr and not has_login(review.employee))


def has_login(employee: Employee) -> bool:
    account = employee.user
    return account is not None and account.active


def skip_self_review(review: Review, seen_version: int | None, by_hr: bool) -> None:
    """Hand the review to the reviewer without a self-review (see ``can_skip_self_review``)."""
    require_step(review, Step.SELF_REVIEW)
    check_version(review, seen_version)
    if not can_skip_self_review(review, by_hr):
        raise ServiceError(
            _(
                "The self-review is required by the template: enter it on the employee’s behalf "
                "if they filled it in on paper."
            )
        )
    account = has_login(review.employee)
    review.self_review_state = (
        SelfReviewState.SKIPPED_OPTIONAL.value if account else SelfReviewState.SKIPPED_NO_ACCOUNT.value
    )
    review.status = Step.MANAGER_REVIEW.value
    touch(review)
    _event(review, "self_review_skipped", review.self_review_state_enum.label)
    db.session.flush()
    signals.step_opened.send(review, step=Step.MANAGER_REVIEW.value)


def save_manager_review(
    review: Review, data: StepData, seen_version: int | None, submit: bool = False, on_behalf: bool = False
) -> None:
    """The manager may adjust actuals, rates competencies, comments and proposes an outcome;
    ``submit`` sends the review to HR and needs every actual, every rating and an outcome.
    ``on_behalf``: HR types in the manager review of a reviewer who has no account able to do
    it (filled in on paper), recorded as such in the history and the audit trail."""
    require_step(review, Step.MANAGER_REVIEW)
    check_version(review, seen_version)
    settings = cycle_settings(review.cycle)
    errors: dict[str, list[str]] = {}
    _actuals(data.kpis, review, "manager_comment", errors, by_employee=False)
    _ratings(data.ratings, review, "manager_rating", "manager_comment", settings["scale_max"], errors)
    if data.comment is not None:
        review.manager_comment = _comment(data.comment, errors, "comment")
    codes = {o["code"] for o in settings["outcomes"]}
    if data.outcome:
        if data.outcome not in codes:
            errors.setdefault("outcome", []).append(_("Choose an outcome from the list."))
        else:
            review.outcome = data.outcome
    elif data.outcome == "":
        review.outcome = None
    if submit and not errors:
        _require_complete(review, "manager_rating", _("Rate this competency before submitting."), errors)
        if not review.outcome:
            errors.setdefault("outcome", []).append(_("Propose an outcome before submitting."))
    _raise(errors)
    score_review(review, settings)
    touch(review)
    if submit:
        review.status, review.manager_submitted_at = Step.CALIBRATION.value, utcnow()
        if on_behalf:
            _event(
                review,
                "manager_entered_on_behalf",
                _(
                    "Entered by %(actor)s on behalf of %(name)s",
                    actor=actor()[1],
                    name=review.reviewer.name if review.reviewer else "—",
                ),
            )
        else:
            _event(review, "manager_submitted")
    db.session.flush()


def calibrate(review: Review, band: str | None, reason: str, seen_version: int | None, finalise: bool = False) -> None:
    """HR may move the band (a reason is required, kept in the history and the audit trail);
    ``finalise`` then locks the review (a review without a score needs the reason too)."""
    require_step(review, Step.CALIBRATION)
    check_version(review, seen_version)
    settings = cycle_settings(review.cycle)
    band = (band or "").strip() or None
    errors: dict[str, list[str]] = {}
    reason = _comment(reason, errors, "reason")
    if band is not None and band not in {b["band"] for b in settings["bands"]}:
        errors["calibrated_band"] = [_("Choose a band from the list.")]
    moved = band is not None and band != review.band
    if moved and not reason:
        errors["reason"] = [_("Give the reason for moving the band.")]
    _raise(errors)
    new_band = band if moved else None
    if new_band != review.calibrated_band:
        review.calibrated_band = new_band
        review.calibration_reason = reason if moved else ""
        _event(
            review,
            "calibrated",
            f"{review.band or '—'} → {new_band or review.band or '—'}: {reason}" if moved else _("Calibration removed"),
        )
    touch(review)
    if finalise:
        _finalise(review, reason)
    db.session.flush()
    if new_band is not None and moved:
        signals.band_calibrated.send(review)
    if finalise:
        signals.step_opened.send(review, step=Step.FINALISED.value)


def _finalise(review: Review, reason: str = "") -> None:
    """Lock the review. One with nothing to score (no KPI and no competency) is finalised only
    with HR's reason, and counted apart as "finalised without score"."""
    if review.final_score is None and (review.kpi_results or review.ratings):
        raise ServiceError(_("This review has no score yet."))
    if review.final_score is None:
        if not reason:
            message = _(
                "This review has no score (no KPI and no competency to rate): give the reason for "
                "finalising it without one."
            )
            raise ServiceError(message, {"reason": [message]})
        review.unscored_reason = reason
    review.status, review.finalised_at = Step.FINALISED.value, utcnow()
    _event(
        review,
        "finalised_without_score" if review.final_score is None else "finalised",
        reason if review.final_score is None else "",
    )
    improvement.open_for(review)  # the "improvement plan" outcome opens the plan


def finalise(review: Review, seen_version: int | None, reason: str = "") -> None:
    require_step(review, Step.CALIBRATION)
    check_version(review, seen_version)
    errors: dict[str, list[str]] = {}
    reason = _comment(reason, errors, "reason")
    _raise(errors)
    touch(review)
    _finalise(review, reason)
    db.session.flush()
    signals.step_opened.send(review, step=Step.FINALISED.value)


REOPEN_STEPS = (Step.SELF_REVIEW, Step.MANAGER_REVIEW, Step.CALIBRATION)


def reopen(review: Review, step: str, reason: str, seen_version: int | None) -> None:
    """HR reopens a finalised review at an earlier step, with a reason. The calibrated band and
    its reason are cleared (kept in the review's history and the audit trail): the reopened
    review is calibrated again."""
    require_step(review, Step.FINALISED)
    check_version(review, seen_version)
    if review.cycle.status == CycleStatus.CLOSED.value:
        raise ServiceError(_("This cycle is closed: its reviews can no longer be reopened."))
    errors: dict[str, list[str]] = {}
    reason = _comment(reason, errors, "reason")
    if step not in {s.value for s in REOPEN_STEPS}:
        errors["step"] = [_("Choose the step to reopen the review at.")]
    if not reason:
        errors["reason"] = [_("Give the reason for reopening the review.")]
    _raise(errors)
    review.status, review.finalised_at, review.acknowledged_at = step, None, None
    review.unscored_reason = ""
    if step == Step.SELF_REVIEW.value:
        review.self_review_state = None
    touch(review)
    _event(review, "reopened", reason)
    if review.calibrated_band is not None or review.calibration_reason:
        # The calibration was of the result that is reopened: HR calibrates again once the review
        # is back at calibration. The history keeps what it was (and the audit trail the change).
        _event(
            review,
            "calibration_cleared",
            f"{review.band or '—'} → {review.calibrated_band or '—'}: {review.calibration_reason}",
        )
        review.calibrated_band, review.calibration_reason = None, ""
    db.session.flush()
    signals.step_opened.send(review, step=step)


def acknowledge(review: Review, seen_version: int | None = None) -> None:
    """The employee acknowledges the final result (once)."""
    require_step(review, Step.FINALISED)
    check_version(review, seen_version)
    if review.acknowledged_at is not None:
        raise ServiceError(_("You already acknowledged this result."))
    review.acknowledged_at = utcnow()
    touch(review)
    _event(review, "acknowledged")
    db.session.flush()


def reassign_reviewer(review: Review, reviewer_id: int | None, seen_version: int | None) -> None:
    """HR names another reviewer (an employee who is not the reviewee)."""
    require_included(review)
    check_version(review, seen_version)
    if review.is_finalised:
        raise ServiceError(_("This review is finalised and locked. Only HR can reopen it."))
    reviewer = db.session.get(Employee, reviewer_id) if reviewer_id else None
    if reviewer_id and reviewer is None:
        raise ServiceError.field("reviewer_id", _("No such employee."))
    if reviewer is not None and reviewer.id == review.employee_id:
        raise ServiceError.field("reviewer_id", _("Nobody reviews themselves: choose another reviewer."))
    if reviewer is not None and reviewer.status == "left":
        raise ServiceError.field("reviewer_id", _("This employee has left the company."))
    if (reviewer.id if reviewer else None) == review.reviewer_id:
        return
    review.reviewer = reviewer
    review.notes = [n for n in (review.notes or []) if n != "no_reviewer"] + ([] if reviewer else ["no_reviewer"])
    touch(review)
    _event(review, "reviewer_changed", reviewer.name if reviewer else "—")
    db.session.flush()


EVENT_LABELS = {
    "self_submitted": lambda: _("Self-review submitted"),
    "manager_submitted": lambda: _("Manager review submitted"),
    "calibrated": lambda: _("Band calibrated by HR"),
    "finalised": lambda: _("Finalised"),
    "reopened": lambda: _("Reopened by HR"),
    "calibration_cleared": lambda: _("Calibration cleared on reopening"),
    "acknowledged": lambda: _("Acknowledged by the employee"),
    "reviewer_changed": lambda: _("Reviewer changed"),
    "self_entered_on_behalf": lambda: _("Self-review entered on the employee’s behalf"),
    "manager_entered_on_behalf": lambda: _("Manager review entered on the reviewer’s behalf"),
    "self_review_skipped": lambda: _("Self-review skipped"),
    "finalised_without_score": lambda: _("Finalised without score"),
    "excluded": lambda: _("Excluded from the cycle"),
    "restored": lambda: _("Restored to the cycle"),
}


def event_label(action: str) -> str:
    label = EVENT_LABELS.get(action)
    return label() if label else action
