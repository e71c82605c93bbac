"""360° feedback on a review (issue 18): nominations, approval, the respondents' answers and
what the reviewee, the reviewer and HR may see of them.

Anonymity that holds: an answer (``FeedbackResponse``) has a random id, no author, no time and,
in an anonymous template, no link to its nomination; the automatic audit hook skips it and this
module records its creation without author, address or content. A nomination records that (and
when) its respondent answered, which only HR is shown. The answers of a review are shown, and
counted in its score, only once its feedback is closed (the day after the deadline: no answer
can then arrive, so comparing two views never isolates one answer) and, in an anonymous
template, only when at least ``min_responses`` came in; then as means per competency (each
over at least that many ratings) and comments sorted alphabetically, without ids or times.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from app.appraisals import signals
from app.appraisals.models import (
    AppraisalCycle,
    CycleStatus,
    FeedbackNomination,
    FeedbackRelation,
    FeedbackResponse,
    NominationStatus,
    Review,
    Step,
)
from app.appraisals.services.templates import FEEDBACK_DEFAULTS, cycle_settings
from app.audit.services import acting_as, record
from app.auth.models import User
from app.core import clock
from app.core.errors import Conflict, NotFound, ServiceError
from app.db import utcnow
from app.extensions import db
from app.org.models import Employee

ANONYMOUS_ACTOR = "anonymous respondent"  # the audit trail's actor of every feedback answer
MAX_ANSWER = 2000
ROLES = ("reviewee", "reviewer", "hr")  # who nominates


def feedback_settings(cycle: AppraisalCycle) -> dict:
    return {**FEEDBACK_DEFAULTS, **(cycle_settings(cycle).get("feedback") or {})}


def enabled(review: Review) -> bool:
    return bool(feedback_settings(review.cycle)["enabled"]) and not review.cycle.is_draft


def due_date(cycle: AppraisalCycle) -> date | None:
    """The last day to answer: the launch day plus the template's ``days``."""
    if cycle.launched_at is None:
        return None
    return clock.local_day(cycle.launched_at) + timedelta(days=feedback_settings(cycle)["days"])


def is_open(review: Review) -> bool:
    due = due_date(review.cycle)
    return (
        enabled(review)
        and review.cycle.status == CycleStatus.RUNNING.value
        and review.excluded_at is None
        and due is not None
        and clock.today() <= due
    )


def is_closed(review: Review) -> bool:
    due = due_date(review.cycle)
    return enabled(review) and due is not None and clock.today() > due


def _require_open(review: Review, field_name: str = "feedback") -> None:
    if not enabled(review):
        raise ServiceError.field(field_name, _("This review's template has no 360° feedback."))
    if review.status == Step.FINALISED.value or not is_open(review):
        raise ServiceError.field(
            field_name,
            _("The feedback of this review is closed (deadline %(date)s).", date=due_date(review.cycle) or "—"),
        )


# --- nominations ------------------------------------------------------------------------------


def list_nominations(review: Review) -> list[FeedbackNomination]:
    return list(
        db.session.scalars(
            select(FeedbackNomination)
            .where(FeedbackNomination.review_id == review.id)
            .options(selectinload(FeedbackNomination.respondent))
            .order_by(FeedbackNomination.id)
        )
    )


def get_nomination(nomination_id: int) -> FeedbackNomination:
    nomination = db.session.scalar(
        select(FeedbackNomination)
        .where(FeedbackNomination.id == nomination_id)
        .options(
            selectinload(FeedbackNomination.review).selectinload(Review.ratings),
            selectinload(FeedbackNomination.review).selectinload(Review.employee),
        )
    )
    if nomination is None:
        raise NotFound(_("No such feedback request."))
    return nomination


def _active_count(review_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count(FeedbackNomination.id)).where(
                FeedbackNomination.review_id == review_id, FeedbackNomination.status != NominationStatus.DECLINED.value
            )
        )
        or 0
    )


def nominate(review: Review, respondent: Employee | None, relation: str, by: str) -> FeedbackNomination:
    """Ask ``respondent`` for feedback on ``review``; ``by`` is who asks (``ROLES``). The
    reviewer's and HR's nominations are approved at once, the reviewee's wait for approval."""
    _require_open(review, "respondent_id")
    if by not in ROLES:
        raise ServiceError.field("respondent_id", _("You may not nominate respondents on this review."))
    if relation not in FeedbackRelation.values():
        raise ServiceError.field("relation", _("Choose from the list."))
    if respondent is None:
        raise ServiceError.field("respondent_id", _("No such employee."))
    if respondent.id == review.employee_id:
        raise ServiceError.field("respondent_id", _("The employee cannot give feedback on their own review."))
    if respondent.id == review.reviewer_id:
        raise ServiceError.field("respondent_id", _("The reviewer does the manager review: nominate someone else."))
    exists = db.session.scalar(
        select(FeedbackNomination.status).where(
            FeedbackNomination.review_id == review.id, FeedbackNomination.respondent_id == respondent.id
        )
    )
    if exists is not None:
        raise ServiceError.field("respondent_id", _("This person is already nominated."))
    settings = feedback_settings(review.cycle)
    if _active_count(review.id) >= settings["max_respondents"]:
        raise ServiceError.field(
            "respondent_id", _("At most %(num)d respondents may be nominated.", num=settings["max_respondents"])
        )
    status = NominationStatus.PROPOSED if by == "reviewee" else NominationStatus.APPROVED
    nomination = FeedbackNomination(
        review_id=review.id, respondent_id=respondent.id, relation=relation, status=status.value, nominated_by=by
    )
    db.session.add(nomination)
    db.session.flush()
    if nomination.status == NominationStatus.APPROVED.value:
        signals.feedback_requested.send(None, nomination_ids=[nomination.id])
    return nomination


def approve(review: Review, nomination_ids: Iterable[int]) -> int:
    """Approve the proposed nominations the approver saw (``nomination_ids``); 409 when one of
    them is no longer proposed; refused when the approved list would be outside the template's
    minimum and maximum. Returns how many were approved."""
    _require_open(review, "nomination_ids")
    ids = set(nomination_ids)
    rows = {n.id: n for n in list_nominations(review)}
    unknown = ids - rows.keys()
    if unknown:
        raise ServiceError.field(
            "nomination_ids",
            _("No such nomination on this review: %(ids)s.", ids=", ".join(str(i) for i in sorted(unknown))),
        )
    changed = [i for i in ids if rows[i].status != NominationStatus.PROPOSED.value]
    if changed:
        raise Conflict(_("Someone changed these nominations since you read them: reload the list."))
    approved = sum(1 for n in rows.values() if n.status == NominationStatus.APPROVED.value) + len(ids)
    _check_size(review, approved)
    for i in ids:
        rows[i].status = NominationStatus.APPROVED.value
    db.session.flush()
    signals.feedback_requested.send(None, nomination_ids=sorted(ids))
    return len(ids)


def _check_size(review: Review, approved: int) -> None:
    settings = feedback_settings(review.cycle)
    if approved < settings["min_respondents"]:
        raise ServiceError.field(
            "nomination_ids",
            _(
                "The list needs at least %(num)d respondents (it would have %(count)d).",
                num=settings["min_respondents"],
                count=approved,
            ),
        )
    if approved > settings["max_respondents"]:
        raise ServiceError.field(
            "nomination_ids", _("At most %(num)d respondents may be nominated.", num=settings["max_respondents"])
        )


def decline(nomination: FeedbackNomination) -> None:
    """Take a respondent off the list (the reviewer or HR), unless they have answered."""
    _require_open(nomination.review, "nomination_id")
    if nomination.responded_at is not None:
        raise ServiceError.field("nomination_id", _("This person has already answered."))
    if nomination.status == NominationStatus.DECLINED.value:
        raise ServiceError.field("nomination_id", _("This nomination is already declined."))
    nomination.status = NominationStatus.DECLINED.value
    db.session.flush()


@dataclass
class BulkApproval:
    nominations: int = 0
    reviews: int = 0
    skipped: list[int] = field(default_factory=list)  # review ids whose list is too short or too long


def approve_cycle(cycle: AppraisalCycle) -> BulkApproval:
    """HR approves every proposed list of a running cycle in one go: the lists whose size
    (approved and proposed) is within the template's limits; the others are reported. Bulk
    SQL, one audit event (like a recompute)."""
    settings = feedback_settings(cycle)
    if not settings["enabled"] or cycle.status != CycleStatus.RUNNING.value:
        raise ServiceError(_("This cycle has no running 360° feedback."))
    due = due_date(cycle)
    if due is not None and clock.today() > due:
        raise ServiceError(_("The feedback of this cycle is closed (deadline %(date)s).", date=due))
    active = FeedbackNomination.status != NominationStatus.DECLINED.value
    counts = db.session.execute(
        select(
            FeedbackNomination.review_id,
            func.count(FeedbackNomination.id),
            func.sum(db.case((FeedbackNomination.status == NominationStatus.PROPOSED.value, 1), else_=0)),
        )
        .join(Review, Review.id == FeedbackNomination.review_id)
        .where(Review.cycle_id == cycle.id, Review.excluded_at.is_(None), Review.status != Step.FINALISED.value, active)
        .group_by(FeedbackNomination.review_id)
    ).all()
    result = BulkApproval()
    ready = []
    for review_id, total, proposed in counts:
        if not proposed:
            continue
        if settings["min_respondents"] <= total <= settings["max_respondents"]:
            ready.append(review_id)
            result.nominations += int(proposed)
        else:
            result.skipped.append(review_id)
    result.reviews = len(ready)
    approved_ids = []
    for start in range(0, len(ready), 5000):
        approved_ids += db.session.scalars(
            select(FeedbackNomination.id).where(
                FeedbackNomination.review_id.in_(ready[start : start + 5000]),
                FeedbackNomination.status == NominationStatus.PROPOSED.value,
            )
        ).all()
    for start in range(0, len(ready), 5000):  # below every database's limit of bound parameters
        db.session.execute(
            update(FeedbackNomination)
            .where(
                FeedbackNomination.review_id.in_(ready[start : start + 5000]),
                FeedbackNomination.status == NominationStatus.PROPOSED.value,
            )
            .values(status=NominationStatus.APPROVED.value)
            .execution_options(synchronize_session=False)
        )
    record(
        "update",
        "appraisal_cycles",
        cycle.id,
        {
            "feedback_nominations_approved": result.nominations,
            "feedback_lists_approved": result.reviews,
            "feedback_lists_left": len(result.skipped),
        },
        label=cycle.name,
    )
    db.session.expire_all()
    signals.feedback_requested.send(None, nomination_ids=approved_ids)
    return result


def without_account(cycle: AppraisalCycle) -> list[FeedbackNomination]:
    """Approved respondents who have no active account, so cannot answer (for HR)."""
    has_account = (
        select(User.id)
        .join(Employee, Employee.user_id == User.id)
        .where(Employee.id == FeedbackNomination.respondent_id, User.active.is_(True))
        .exists()
    )
    return list(
        db.session.scalars(
            select(FeedbackNomination)
            .join(Review, Review.id == FeedbackNomination.review_id)
            .where(
                Review.cycle_id == cycle.id,
                FeedbackNomination.status == NominationStatus.APPROVED.value,
                FeedbackNomination.responded_at.is_(None),
                ~has_account,
            )
            .options(
                selectinload(FeedbackNomination.respondent),
                selectinload(FeedbackNomination.review).selectinload(Review.employee),
            )
            .order_by(FeedbackNomination.review_id, FeedbackNomination.id)
        )
    )


# --- answering --------------------------------------------------------------------------------


def requests_for(employee_id: int | None) -> list[FeedbackNomination]:
    """The approved feedback requests of an employee in running cycles, answered or not."""
    if employee_id is None:
        return []
    return list(
        db.session.scalars(
            select(FeedbackNomination)
            .join(Review, Review.id == FeedbackNomination.review_id)
            .join(AppraisalCycle, AppraisalCycle.id == Review.cycle_id)
            .where(
                FeedbackNomination.respondent_id == employee_id,
                FeedbackNomination.status == NominationStatus.APPROVED.value,
                AppraisalCycle.status == CycleStatus.RUNNING.value,
                Review.excluded_at.is_(None),
            )
            .options(
                selectinload(FeedbackNomination.review).selectinload(Review.employee),
                selectinload(FeedbackNomination.review).selectinload(Review.cycle),
            )
            .order_by(FeedbackNomination.id)
        )
    )


def answer(nomination: FeedbackNomination, ratings: dict, answers: list) -> None:
    """The respondent's answer: ``ratings`` {competency code: level or None}, ``answers`` one
    text per open question. Once only, until the deadline."""
    review = nomination.review
    if nomination.status != NominationStatus.APPROVED.value:
        raise ServiceError(_("This feedback request is not approved."))
    if nomination.responded_at is not None:
        raise ServiceError(_("You have already answered this feedback request."))
    _require_open(review)
    settings = cycle_settings(review.cycle)
    feedback = feedback_settings(review.cycle)
    errors: dict[str, list[str]] = {}
    codes = [r.code for r in review.ratings]
    clean_ratings = {}
    if not isinstance(ratings, dict):
        ratings = {}
        errors["ratings"] = [_("Rate the competencies by their codes.")]
    for code in ratings:
        if code not in codes:
            errors.setdefault("ratings", []).append(_("No competency %(code)s on this review.", code=code))
    for code in codes:
        value = ratings.get(code)
        if value in (None, ""):
            continue
        try:
            level = int(value)
            if str(level) != str(value).strip() or isinstance(value, bool):
                raise ValueError
        except (TypeError, ValueError):
            level = 0
        if not 1 <= level <= settings["scale_max"]:
            errors.setdefault(f"ratings.{code}", []).append(
                _("Choose a level from 1 to %(max)d.", max=settings["scale_max"])
            )
            continue
        clean_ratings[code] = level
    questions = feedback["questions"]
    answers = answers if isinstance(answers, list) else []
    if len(answers) > len(questions):
        errors.setdefault("answers", []).append(_("At most %(num)d answers.", num=len(questions)))
    clean_answers = []
    for i in range(len(questions)):
        text = answers[i] if i < len(answers) and isinstance(answers[i], str) else ""
        text = text.strip()
        if len(text) > MAX_ANSWER:
            errors.setdefault(f"answers.{i}", []).append(
                _("At most %(num)d characters (this has %(len)d).", num=MAX_ANSWER, len=len(text))
            )
        clean_answers.append(text[:MAX_ANSWER])
    if not errors and not clean_ratings and not any(clean_answers):
        errors["ratings"] = [_("Rate at least one competency or answer a question.")]
    if errors:
        raise ServiceError(
            _("The answer has %(num)d problem(s): see the marked fields.", num=sum(len(v) for v in errors.values())),
            errors,
        )
    nomination.responded_at = utcnow()
    db.session.flush()  # audited as the respondent: that they answered, which HR sees
    with acting_as(ANONYMOUS_ACTOR):
        db.session.add(
            FeedbackResponse(
                id=uuid.uuid4().hex,
                review_id=review.id,
                ratings=clean_ratings,
                answers=clean_answers,
                nomination_id=None if feedback["anonymous"] else nomination.id,
            )
        )
        # without author, address, id or content: nothing here links the answer to who wrote it
        record("create", "appraisal_feedback_responses", None, {"review_id": [None, review.id]}, label=str(review.id))
        db.session.flush()


# --- what is shown ----------------------------------------------------------------------------


@dataclass
class FeedbackView:
    state: str  # "off", "open", "not_enough", "released"
    responses: int = 0  # answers received
    due: date | None = None
    min_responses: int = 0
    anonymous: bool = True
    competencies: list[dict] = field(default_factory=list)  # {code, name, mean, count}
    comments: list[dict] = field(default_factory=list)  # {question, texts: [sorted]}
    attributed: list[dict] = field(default_factory=list)  # not anonymous: {respondent, ratings, answers}
    score: float | None = None


def _responses(review: Review) -> list[FeedbackResponse]:
    return list(db.session.scalars(select(FeedbackResponse).where(FeedbackResponse.review_id == review.id)))


def view(review: Review, scale_max: int | None = None) -> FeedbackView:
    """What anybody allowed to read the review sees of its feedback (never who wrote what)."""
    if not enabled(review):
        return FeedbackView("off")
    settings = feedback_settings(review.cycle)
    scale_max = scale_max or cycle_settings(review.cycle)["scale_max"]
    responses = _responses(review)
    anonymous = settings["anonymous"]
    needed = settings["min_responses"] if anonymous else 1
    result = FeedbackView("open", len(responses), due_date(review.cycle), settings["min_responses"], anonymous)
    if not is_closed(review):
        return result
    if len(responses) < needed:
        result.state = "not_enough"
        return result
    result.state = "released"
    for rating in review.ratings:
        levels = [r.ratings[rating.code] for r in responses if rating.code in (r.ratings or {})]
        mean = sum(levels) / len(levels) if len(levels) >= needed else None
        result.competencies.append(
            {
                "code": rating.code,
                "name": rating.name,
                "mean": mean,
                "count": len(levels),
                "weight": float(rating.weight or 0),
            }
        )
    for i, question in enumerate(settings["questions"]):
        texts = sorted((r.answers[i] for r in responses if i < len(r.answers or []) and r.answers[i]), key=str.casefold)
        result.comments.append({"question": question, "texts": texts})
    if not anonymous:
        names = {n.id: n.respondent.name for n in list_nominations(review)}
        result.attributed = sorted(
            (
                {"respondent": names.get(r.nomination_id, "—"), "ratings": r.ratings, "answers": r.answers}
                for r in responses
            ),
            key=lambda a: a["respondent"],
        )
    means = [(c["mean"], c["weight"]) for c in result.competencies if c["mean"] is not None]
    if means:
        total = sum(w for _m, w in means)
        mean = (sum(m * w for m, w in means) / total) if total > 0 else sum(m for m, _w in means) / len(means)
        result.score = 100.0 * mean / scale_max
    return result


def section_score(review: Review, settings: dict) -> float | None:
    """The feedback section's score, for the final score (None: not released, or no weight)."""
    feedback = settings.get("feedback") or {}
    if not feedback.get("enabled") or not float(feedback.get("weight") or 0):
        return None
    return view(review, settings["scale_max"]).score
