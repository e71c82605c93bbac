"""Appraisal templates and cycles, loading and scoring a review, and the named queries of the
pages. Services flush; the caller commits once. The review's steps live in
``app.appraisals.flow``, the bulk launch in ``app.appraisals.launch``, the bulk import of actuals
in ``app.appraisals.imports``, results and exports in ``app.appraisals.results``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import selectinload

from app.appraisals import scoring
from app.appraisals.models import AppraisalCycle, AppraisalTemplate, CycleStatus, PeriodType, Review, Step
from app.appraisals.periods import alignment_errors, period_end
from app.appraisals.settings import clean_settings, cycle_settings, default_settings
from app.core import clock
from app.core.concurrency import check_version
from app.core.errors import NotFound, ServiceError
from app.db import utcnow
from app.extensions import db
from app.org.models import Department, Employee, Position
from app.org.services import subtree_ids

# --- templates --------------------------------------------------------------------------------


def get_template(template_id: int) -> AppraisalTemplate:
    template = db.session.get(AppraisalTemplate, template_id)
    if template is None:
        raise NotFound(_("No such appraisal template."))
    return template


def list_templates(include_archived: bool = False):
    query = select(AppraisalTemplate)
    if not include_archived:
        query = query.where(AppraisalTemplate.archived_at.is_(None))
    return query.order_by(AppraisalTemplate.name)


def default_template() -> AppraisalTemplate:
    """The first active template, or the standard one, created when there is none."""
    template = db.session.scalar(list_templates().limit(1))
    if template is None:
        template = create_template(default_settings())
    return template


def _apply_template(template: AppraisalTemplate, clean: dict) -> None:
    duplicate = db.session.scalar(select(AppraisalTemplate.id).where(
        AppraisalTemplate.name == clean["name"], AppraisalTemplate.id != (template.id or 0)))
    if duplicate is not None:
        raise ServiceError.field("name", _("Another template already has this name."))
    for name in ("name", "kpi_weight", "competency_weight", "scale", "bands", "outcomes", "self_review",
                 "reviewer_enters_self_review"):
        setattr(template, name, clean[name])


def create_template(data: dict) -> AppraisalTemplate:
    template = AppraisalTemplate()
    _apply_template(template, clean_settings(data))
    db.session.add(template)
    db.session.flush()
    return template


def update_template(template: AppraisalTemplate, data: dict, seen_version: int | None) -> None:
    """Running cycles keep the settings they were launched with: editing is always allowed."""
    check_version(template, seen_version)
    _apply_template(template, clean_settings(data))
    db.session.flush()


def template_data(template: AppraisalTemplate) -> dict:
    return {"name": template.name, "kpi_weight": float(template.kpi_weight),
            "competency_weight": float(template.competency_weight), "levels": len(template.scale),
            "scale": list(template.scale), "bands": list(template.bands), "outcomes": list(template.outcomes),
            "self_review": template.self_review, "reviewer_enters_self_review": template.reviewer_enters_self_review}


# --- cycles -----------------------------------------------------------------------------------


@dataclass
class CycleData:
    name: str
    period_type: str
    start_date: date | None
    end_date: date | None = None
    template_id: int | None = None
    department_ids: list[int] = field(default_factory=list)
    include_subdepartments: bool = True
    self_review_due: date | None = None
    manager_review_due: date | None = None


def targets_period(cycle: AppraisalCycle) -> str:
    """The period of the KPI targets a cycle snapshots: its own, or for a custom period the
    nearest by length (up to 45 days monthly, up to 135 days quarterly, else annual)."""
    if cycle.period_type != PeriodType.CUSTOM.value:
        return cycle.period_type
    days = (cycle.end_date - cycle.start_date).days + 1
    return "monthly" if days <= 45 else "quarterly" if days <= 135 else "annual"


def get_cycle(cycle_id: int) -> AppraisalCycle:
    cycle = db.session.get(AppraisalCycle, cycle_id)
    if cycle is None:
        raise NotFound(_("No such appraisal cycle."))
    return cycle


def list_cycles(status: str = "", scope=None):
    """Named query of the cycles; with a review ``scope`` (access.review_scope) only the
    cycles holding reviews within it."""
    query = select(AppraisalCycle).options(selectinload(AppraisalCycle.template),
                                           selectinload(AppraisalCycle.departments))
    if status:
        query = query.where(AppraisalCycle.status == status)
    if scope is not None:
        query = query.where(exists().where(Review.cycle_id == AppraisalCycle.id, scope))
    return query.order_by(AppraisalCycle.start_date.desc(), AppraisalCycle.id.desc())


def _check_cycle(data: CycleData, aligned: bool = True) -> tuple[date, date, AppraisalTemplate, list[Department]]:
    """``aligned``: check that the dates fit the period (not for a launched cycle, whose dates
    are fixed as they were)."""
    errors: dict[str, list[str]] = {}
    if not (data.name or "").strip():
        errors["name"] = [_("Enter a name.")]
    elif len(data.name.strip()) > 120:
        errors["name"] = [_("At most %(num)d characters (this has %(len)d).", num=120, len=len(data.name.strip()))]
    if data.period_type not in PeriodType.values():
        errors["period_type"] = [_("Choose a period from the list.")]
    start, end = data.start_date, data.end_date
    if start is None:
        errors["start_date"] = [_("Enter a start date.")]
    elif end is None:
        try:
            end = period_end(data.period_type, start)
        except (ValueError, OverflowError):  # a period running past the year 9999
            errors["start_date"] = [_("Enter a start date before the year 9999.")]
        else:
            if end is None:
                errors["end_date"] = [_("Enter an end date for a custom period.")]
    if start and end and end < start:
        errors["end_date"] = [_("The end date cannot be before the start date.")]
    elif aligned and "start_date" not in errors and data.period_type in PeriodType.values():
        errors.update(alignment_errors(data.period_type, start, data.end_date))
    if start and data.self_review_due and data.self_review_due < start:
        errors["self_review_due"] = [_("The deadline cannot be before the start of the period.")]
    if data.self_review_due and data.manager_review_due and data.manager_review_due < data.self_review_due:
        errors["manager_review_due"] = [_("The manager review cannot be due before the self-review.")]
    template = db.session.get(AppraisalTemplate, data.template_id) if data.template_id else None
    if data.template_id and (template is None or template.archived_at is not None):
        errors["template_id"] = [_("Choose a template from the list.")]
    ids = sorted(set(data.department_ids or []))
    departments = list(db.session.scalars(select(Department).where(Department.id.in_(ids)))) if ids else []
    if len(departments) != len(ids):
        errors["department_ids"] = [_("Choose departments from the list.")]
    if errors:
        raise ServiceError(_("Some values are not valid: see the message of each field."), errors)
    return start, end, template or default_template(), departments


def create_cycle(data: CycleData) -> AppraisalCycle:
    start, end, template, departments = _check_cycle(data)
    cycle = AppraisalCycle(name=data.name.strip(), period_type=data.period_type, start_date=start, end_date=end,
                           template=template, include_subdepartments=bool(data.include_subdepartments),
                           self_review_due=data.self_review_due, manager_review_due=data.manager_review_due,
                           status=CycleStatus.DRAFT.value)
    cycle.departments = departments
    db.session.add(cycle)
    db.session.flush()
    return cycle


def update_cycle(cycle: AppraisalCycle, data: CycleData, seen_version: int | None) -> None:
    """Everything may change before the launch; afterwards only the name and the deadlines
    (the period, scope and template made the reviews); nothing once the cycle is closed."""
    check_version(cycle, seen_version)
    if cycle.status == CycleStatus.CLOSED.value:
        raise ServiceError(_("This cycle is closed and can no longer be changed."))
    start, end, template, departments = _check_cycle(data, aligned=cycle.is_draft)
    if not cycle.is_draft:
        fixed = {"period_type": data.period_type != cycle.period_type, "start_date": start != cycle.start_date,
                 "end_date": end != cycle.end_date, "template_id": template.id != cycle.template_id,
                 "department_ids": {d.id for d in departments} != {d.id for d in cycle.departments},
                 "include_subdepartments": bool(data.include_subdepartments) != cycle.include_subdepartments}
        changed = [name for name, differs in fixed.items() if differs]
        if changed:
            message = _("The cycle is launched: its period, scope and template are fixed. Only the name and the "
                        "deadlines can change.")
            raise ServiceError(message, {name: [message] for name in changed})
    cycle.name = data.name.strip()
    cycle.self_review_due, cycle.manager_review_due = data.self_review_due, data.manager_review_due
    if cycle.is_draft:
        cycle.period_type, cycle.start_date, cycle.end_date = data.period_type, start, end
        cycle.template, cycle.include_subdepartments = template, bool(data.include_subdepartments)
        cycle.departments = departments
    db.session.flush()


def delete_cycle(cycle: AppraisalCycle) -> None:
    if not cycle.is_draft:
        raise ServiceError(_("Only a cycle that was not launched can be deleted."))
    db.session.delete(cycle)
    db.session.flush()


def close_cycle(cycle: AppraisalCycle, seen_version: int | None = None) -> None:
    check_version(cycle, seen_version)
    if cycle.status != CycleStatus.RUNNING.value:
        raise ServiceError(_("Only a running cycle can be closed."))
    open_reviews = db.session.scalar(select(db.func.count()).where(
        Review.cycle_id == cycle.id, Review.status != Step.FINALISED.value, Review.excluded_at.is_(None)))
    if open_reviews:
        raise ServiceError(_("%(num)d review(s) are not finalised yet.", num=open_reviews))
    cycle.status, cycle.closed_at = CycleStatus.CLOSED.value, utcnow()
    db.session.flush()


# --- reviews: loading and scoring -------------------------------------------------------------


def get_review(review_id: int, full: bool = True) -> Review:
    query = select(Review).where(Review.id == review_id)
    if full:
        query = query.options(selectinload(Review.cycle).selectinload(AppraisalCycle.template),
                              selectinload(Review.employee), selectinload(Review.reviewer),
                              selectinload(Review.position).selectinload(Position.reports_to),
                              selectinload(Review.department),
                              selectinload(Review.kpi_results), selectinload(Review.ratings),
                              selectinload(Review.events))
    review = db.session.scalar(query)
    if review is None:
        raise NotFound(_("No such review."))
    return review


def compute(review: Review, settings: dict) -> scoring.ReviewScores:
    """The scores of a loaded review, from its current inputs."""
    return scoring.score(
        [{"actual": r.actual, "target": r.target, "direction": r.direction, "threshold": r.threshold,
          "stretch": r.stretch, "weight": r.weight} for r in review.kpi_results],
        [{"manager_rating": r.manager_rating, "weight": r.weight} for r in review.ratings],
        review.kpi_weight, review.competency_weight, settings["scale_max"], settings["bands"])


def score_review(review: Review, settings: dict | None = None) -> scoring.ReviewScores:
    """Store the review's attainments and scores (after any change of an input)."""
    scores = compute(review, settings or cycle_settings(review.cycle))
    for result, attainment in zip(review.kpi_results, scores.attainments):
        result.attainment = attainment.value
    review.kpi_score, review.competency_score = scores.kpi, scores.competency
    review.final_score, review.band = scores.final, scores.band
    return scores


NOTE_LABELS = {
    "no_jd": lambda: _("No published job description at launch: the review has no KPI targets or competencies "
                       "from it."),
    "no_kpis": lambda **v: _("The job description has no %(period)s KPI targets: the KPI section is left out of "
                             "the score.", **v),
    "no_competencies": lambda: _("The job description lists no competencies: the competency section is left out "
                                 "of the score."),
    "no_reviewer": lambda: _("Nobody holds a position above this one: HR must name a reviewer."),
    "plan_targets": lambda: _("KPI targets handed down by the department's approved target plan for this period "
                              "replace the job description's standing targets for those KPIs."),
}


def targets_period_label(cycle: AppraisalCycle) -> str:
    """The period of the cycle's KPI targets in the user's language, for sentences ("monthly")."""
    from flask_babel import get_locale

    from app.jobs.models import Period

    label = Period(targets_period(cycle)).label
    return label.lower() if str(get_locale()).startswith("en") else label


def note_texts(review: Review) -> list[str]:
    label = targets_period_label(review.cycle)
    return [NOTE_LABELS[code](period=label) if code == "no_kpis" else NOTE_LABELS[code]()
            for code in review.notes or [] if code in NOTE_LABELS]


# --- named queries ----------------------------------------------------------------------------


def list_reviews(cycle_id: int | None = None, scope=None, status: str = "", band: str = "", search: str = "",
                 department: Department | None = None, employee_id: int | None = None, overdue_on: date | None = None,
                 stalled: bool = False, excluded: bool = False, unscored: bool = False):
    """Named query for lists of reviews. ``scope``: a condition on Review (a user's reviews, see
    ``app.appraisals.access.review_scope``), None for all. ``stalled``: only the reviews that
    cannot move as things stand (``app.appraisals.reviewers``). The reviews excluded from their
    cycle are left out, or (``excluded``) the only ones listed. ``unscored``: only the reviews
    finalised without score."""
    query = (select(Review).join(Review.employee)
             .options(selectinload(Review.employee), selectinload(Review.reviewer), selectinload(Review.position),
                      selectinload(Review.department), selectinload(Review.cycle)))
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
        query = query.where(or_(Employee.name.icontains(search, autoescape=True),
                                Employee.employee_no.icontains(search, autoescape=True)))
    if department is not None:
        query = query.where(in_department(department))
    if employee_id is not None:
        query = query.where(Review.employee_id == employee_id)
    if overdue_on is not None:
        query = query.join(AppraisalCycle, AppraisalCycle.id == Review.cycle_id).where(overdue_condition(overdue_on))
    if stalled:
        from app.appraisals.reviewers import stalled_condition

        query = query.where(stalled_condition())
    return query


def in_department(department: Department):
    """SQL condition on Review: reviewed in ``department`` or below it (as of the launch). An
    IN over the subtree's ids (a few hundred at most), which both engines plan well."""
    return Review.department_id.in_(subtree_ids(department))


def overdue_condition(day: date):
    """SQL condition (with AppraisalCycle joined): the review's current step is past its deadline."""
    return (AppraisalCycle.status == CycleStatus.RUNNING.value) & Review.excluded_at.is_(None) & or_(
        (Review.status == Step.SELF_REVIEW.value) & (AppraisalCycle.self_review_due < day),
        (Review.status == Step.MANAGER_REVIEW.value) & (AppraisalCycle.manager_review_due < day))


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
                select(Review.id, Review.status).where(
                    Review.employee_id == employee.id, Review.cycle_id.in_(running), Review.excluded_at.is_(None),
                    or_(Review.status == Step.SELF_REVIEW.value,
                        (Review.status == Step.FINALISED.value) & Review.acknowledged_at.is_(None)))
                .order_by(Review.id)):
            tasks.append({"title": _("Fill in your self-review") if status == Step.SELF_REVIEW.value
                          else _("Read and acknowledge your appraisal result"), "count": None,
                          "endpoint": "appraisals.review", "args": {"review_id": review_id}, "kind": "primary"})
        waiting = db.session.scalar(select(db.func.count()).where(
            Review.reviewer_id == employee.id, Review.status == Step.MANAGER_REVIEW.value,
            Review.cycle_id.in_(running), Review.excluded_at.is_(None))) if can_do_manager_reviews(user) else 0
        if waiting:
            tasks.append({"title": _("Appraisals waiting for your review"), "count": waiting,
                          "endpoint": "appraisals.index", "args": {}, "kind": "primary"})
    if can_manage_appraisals(user):
        to_calibrate = db.session.scalar(select(db.func.count()).where(
            Review.status == Step.CALIBRATION.value, Review.cycle_id.in_(running), Review.excluded_at.is_(None)))
        if to_calibrate:
            tasks.append({"title": _("Appraisals waiting for HR calibration"), "count": to_calibrate,
                          "endpoint": "appraisals.cycles", "args": {"status": "running"}, "kind": "warning"})
    overdue = can_view_cycles(user) and db.session.scalar(select(db.func.count()).select_from(
        list_reviews(scope=review_scope(user), overdue_on=clock.today()).order_by(None).subquery()))
    if overdue:
        tasks.append({"title": _("Overdue appraisals"), "count": overdue, "endpoint": "appraisals.overdue",
                      "args": {}, "kind": "danger"})
    return tasks
