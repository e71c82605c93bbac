"""Reviews: loading a review and scoring it, the notes shown with its targets, and the named
queries of the pages (lists, overdue reviews, each person's to-do list). Services flush; the
caller commits once."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.appraisals.models import AppraisalCycle, CycleStatus, Review, Step
from app.appraisals.services import feedback, goals, scoring
from app.appraisals.services.cycles import targets_period
from app.appraisals.services.templates import cycle_settings, feedback_section_weight, goals_section_weight
from app.core import clock
from app.core.errors import NotFound
from app.extensions import db
from app.org.models import Department, Employee, Position
from app.org.services import subtree_ids

# --- reviews: loading and scoring -------------------------------------------------------------


def get_review(review_id: int, full: bool = True) -> Review:
    query = select(Review).where(Review.id == review_id)
    if full:
        query = query.options(
            selectinload(Review.cycle).selectinload(AppraisalCycle.template),
            selectinload(Review.employee),
            selectinload(Review.reviewer),
            selectinload(Review.position).selectinload(Position.reports_to),
            selectinload(Review.department),
            selectinload(Review.kpi_results),
            selectinload(Review.ratings),
            selectinload(Review.events),
        )
    review = db.session.scalar(query)
    if review is None:
        raise NotFound(_("No such review."))
    return review


def compute(review: Review, settings: dict) -> scoring.ReviewScores:
    """The scores of a loaded review, from its current inputs."""
    return scoring.score(
        [
            {
                "actual": r.actual,
                "target": r.target,
                "direction": r.direction,
                "threshold": r.threshold,
                "stretch": r.stretch,
                "weight": r.weight,
            }
            for r in review.kpi_results
        ],
        [{"manager_rating": r.manager_rating, "weight": r.weight} for r in review.ratings],
        review.kpi_weight,
        review.competency_weight,
        settings["scale_max"],
        settings["bands"],
        (feedback.section_score(review, settings), feedback_section_weight(settings)),
        (goals.section_score(review, settings), goals_section_weight(settings)),
    )


def score_review(review: Review, settings: dict | None = None) -> scoring.ReviewScores:
    """Store the review's attainments and scores (after any change of an input)."""
    scores = compute(review, settings or cycle_settings(review.cycle))
    for result, attainment in zip(review.kpi_results, scores.attainments):
        result.attainment = attainment.value
    review.kpi_score, review.competency_score = scores.kpi, scores.competency
    review.final_score, review.band = scores.final, scores.band
    review.feedback_score, review.goals_score = scores.feedback, scores.goals
    return scores


NOTE_LABELS = {
    "no_jd": lambda: _(
        "No published job description at launch: the review has no KPI targets or competencies from it."
    ),
    "no_kpis": lambda **v: _(
        "The job description has no %(period)s KPI targets: the KPI section is left out of the score.", **v
    ),
    "no_competencies": lambda: _(
        "The job description lists no competencies: the competency section is left out of the score."
    ),
    "no_reviewer": lambda: _("Nobody holds a position above this one: HR must name a reviewer."),
    "plan_targets": lambda: _(
        "KPI targets handed down by the department's approved target plan for this period "
        "replace the job description's standing targets for those KPIs."
    ),
}


def targets_period_label(cycle: AppraisalCycle) -> str:
    """The period of the cycle's KPI targets in the user's language, for sentences ("monthly")."""
    from flask_babel import get_locale

    from app.jobs.models import Period

    label = Period(targets_period(cycle)).label
    return label.lower() if str(get_locale()).startswith("en") else label


def note_texts(review: Review) -> list[str]:
    label = targets_period_label(review.cycle)
    return [
        NOTE_LABELS[code](period=label) if code == "no_kpis" else NOTE_LABELS[code]()
        for code in review.notes or []
        if code in NOTE_LABELS
    ]


# --- named queries ----------------------------------------------------------------------------


def list_reviews(
    cycle_id: int | None = None,
    scope=None,
    status: str = "",
    band: str = "",
    search: str = "",
    department: Department | None = None,
    employee_id: int | None = None,
    overdue_on: date | None = None,
    stalled: bool = False,
    excluded: bool = False,
    unscored: bool = False,
):
    """Named query for lists of reviews. ``scope``: a condition on Review (a user's reviews, see
    ``app.appraisals.access.review_scope``), None for all. ``stalled``: only the reviews that
    cannot move as things stand (``app.appraisals.services.reviewers``). The reviews excluded from their
    cycle are left out, or (``excluded``) the only ones listed. ``unscored``: only the reviews
    finalised without score."""
    query = (
        select(Review)
        .join(Review.employee)
        .options(
            selectinload(Review.employee),
            selectinload(Review.reviewer),
            selectinload(Review.position),
            selectinload(Review.department),
            selectinload(Review.cycle),
        )
    )
    if cycle_id is not None:
        query = query.where(Review.cycle_id == cycle_id)
    query = query.where(Review.excluded_at.is_not(None) if excluded else Review.excluded_at.is_(None))
    if unscored:
        query = query.where(Review.status == Step.FINALISED.value, Review.final_score.is_(None))
    if scope is not None:
        query = query.where(scope)
    if status in Step.values():
        query = query.where(Review.status == status)
    if band:
        query = query.where(db.func.coalesce(Review.calibrated_band, Review.band) == band)
    if search:
        query = query.where(
            or_(
                Employee.name.icontains(search, autoescape=True),
                Employee.employee_no.icontains(search, autoescape=True),
            )
        )
    if department is not None:
        query = query.where(in_department(department))
    if employee_id is not None:
        query = query.where(Review.employee_id == employee_id)
    if overdue_on is not None:
        query = query.join(AppraisalCycle, AppraisalCycle.id == Review.cycle_id).where(overdue_condition(overdue_on))
    if stalled:
        from app.appraisals.services.reviewers import stalled_condition

        query = query.where(stalled_condition())
    return query


def in_department(department: Department):
    """SQL condition on Review: reviewed in ``department`` or below it (as of the launch). An
    IN over the subtree's ids (a few hundred at most), which both engines plan well."""
    return Review.department_id.in_(subtree_ids(department))


def overdue_condition(day: date):
    """SQL condition (with AppraisalCycle joined): the review's current step is past its deadline."""
    return (
        (AppraisalCycle.status == CycleStatus.RUNNING.value)
        & Review.excluded_at.is_(None)
        & or_(
            (Review.status == Step.SELF_REVIEW.value) & (AppraisalCycle.self_review_due < day),
            (Review.status == Step.MANAGER_REVIEW.value) & (AppraisalCycle.manager_review_due < day),
        )
    )


def is_overdue(review: Review, day: date | None = None) -> bool:
    day = day or clock.today()
    cycle = review.cycle
    if cycle.status != CycleStatus.RUNNING.value or review.excluded_at is not None:
        return False
    due = {Step.SELF_REVIEW.value: cycle.self_review_due, Step.MANAGER_REVIEW.value: cycle.manager_review_due}
    deadline = due.get(review.status)
    return deadline is not None and deadline < day


def tasks_for(user) -> list[dict]:
    """What the user has to do about appraisals, for the home page's to-do list (the shape of
    ``app.jobs.services.tasks_for``): their self-review, a result to acknowledge, the reviews
    waiting for them as reviewer, and for HR the reviews to calibrate and those overdue."""
    # access builds on flow, which builds on this module: imported here to keep that order
    from app.appraisals.access import can_do_manager_reviews, can_manage_appraisals, can_view_cycles, review_scope

    tasks = []
    employee = getattr(user, "employee", None)
    running = select(AppraisalCycle.id).where(AppraisalCycle.status == CycleStatus.RUNNING.value)
    if employee is not None:
        for review_id, status in db.session.execute(
            select(Review.id, Review.status)
            .where(
                Review.employee_id == employee.id,
                Review.cycle_id.in_(running),
                Review.excluded_at.is_(None),
                or_(
                    Review.status == Step.SELF_REVIEW.value,
                    (Review.status == Step.FINALISED.value) & Review.acknowledged_at.is_(None),
                ),
            )
            .order_by(Review.id)
        ):
            tasks.append(
                {
                    "title": _("Fill in your self-review")
                    if status == Step.SELF_REVIEW.value
                    else _("Read and acknowledge your appraisal result"),
                    "count": None,
                    "endpoint": "appraisals.review",
                    "args": {"review_id": review_id},
                    "kind": "primary",
                }
            )
        waiting = (
            db.session.scalar(
                select(db.func.count()).where(
                    Review.reviewer_id == employee.id,
                    Review.status == Step.MANAGER_REVIEW.value,
                    Review.cycle_id.in_(running),
                    Review.excluded_at.is_(None),
                )
            )
            if can_do_manager_reviews(user)
            else 0
        )
        if waiting:
            tasks.append(
                {
                    "title": _("Appraisals waiting for your review"),
                    "count": waiting,
                    "endpoint": "appraisals.index",
                    "args": {},
                    "kind": "primary",
                }
            )
    if can_manage_appraisals(user):
        to_calibrate = db.session.scalar(
            select(db.func.count()).where(
                Review.status == Step.CALIBRATION.value, Review.cycle_id.in_(running), Review.excluded_at.is_(None)
            )
        )
        if to_calibrate:
            tasks.append(
                {
                    "title": _("Appraisals waiting for HR calibration"),
                    "count": to_calibrate,
                    "endpoint": "appraisals.cycles",
                    "args": {"status": "running"},
                    "kind": "warning",
                }
            )
    overdue = can_view_cycles(user) and db.session.scalar(
        select(db.func.count()).select_from(
            list_reviews(scope=review_scope(user), overdue_on=clock.today()).order_by(None).subquery()
        )
    )
    if overdue:
        tasks.append(
            {
                "title": _("Overdue appraisals"),
                "count": overdue,
                "endpoint": "appraisals.overdue",
                "args": {},
                "kind": "danger",
            }
        )
    return tasks
