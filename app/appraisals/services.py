"""Appraisal templates and cycles, the review flow, scoring of a review, and the named queries
of the pages. Services flush; the caller commits once. The bulk launch lives in
``app.appraisals.launch``, the bulk import of actuals in ``app.appraisals.imports``, results and
exports in ``app.appraisals.results``.
"""
from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from app.appraisals import scoring
from app.appraisals.models import (AppraisalCycle, AppraisalTemplate, CycleStatus, KpiResult, PeriodType, Review,
                                   ReviewEvent, Step)
from app.appraisals.settings import clean_settings, default_settings, frozen_settings
from app.audit.services import actor
from app.core.concurrency import check_version
from app.core.errors import NotFound, ServiceError
from app.db import utcnow
from app.extensions import db
from app.org.models import Department, Employee

MAX_COMMENT = 5000
MAX_ACTUAL = 1e14


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
    for name in ("name", "kpi_weight", "competency_weight", "scale", "bands", "outcomes"):
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
            "scale": list(template.scale), "bands": list(template.bands), "outcomes": list(template.outcomes)}


def cycle_settings(cycle: AppraisalCycle) -> dict:
    """The settings a cycle scores with: frozen at launch, the template's before."""
    return cycle.settings or frozen_settings(cycle.template)


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


def period_end(period_type: str, start: date) -> date | None:
    """The last day of the month, quarter or year that starts on ``start`` (None for custom)."""
    months = {PeriodType.MONTHLY.value: 1, PeriodType.QUARTERLY.value: 3, PeriodType.ANNUAL.value: 12}.get(period_type)
    if months is None:
        return None
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1])) - timedelta(days=1)


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


def list_cycles(status: str = ""):
    query = select(AppraisalCycle).options(selectinload(AppraisalCycle.template),
                                           selectinload(AppraisalCycle.departments))
    if status:
        query = query.where(AppraisalCycle.status == status)
    return query.order_by(AppraisalCycle.start_date.desc(), AppraisalCycle.id.desc())


def _check_cycle(data: CycleData) -> tuple[date, date, AppraisalTemplate, list[Department]]:
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
        end = period_end(data.period_type, start)
        if end is None:
            errors["end_date"] = [_("Enter an end date for a custom period.")]
    if start and end and end < start:
        errors["end_date"] = [_("The end date cannot be before the start date.")]
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
    start, end, template, departments = _check_cycle(data)
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
        Review.cycle_id == cycle.id, Review.status != Step.FINALISED.value))
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
                              selectinload(Review.position), selectinload(Review.department),
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


# --- the review flow --------------------------------------------------------------------------


@dataclass
class StepData:
    """What a step's form or API body sends. ``kpis`` and ``ratings`` are lists in the order of
    the review's KPI results and competency ratings: {"id", "actual", "comment"} and
    {"id", "rating", "comment"}; errors name them ``kpis.<i>.actual``, ``ratings.<i>.rating``."""

    kpis: list[dict] = field(default_factory=list)
    ratings: list[dict] = field(default_factory=list)
    comment: str | None = None
    outcome: str | None = None


def parse_actual(raw, result: KpiResult) -> tuple[float | None, str | None]:
    """(number, None) or (None, message). Blank is None. Negative numbers are refused unless
    the target, threshold or stretch of this KPI is negative itself."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if isinstance(raw, bool):
        return None, _("Enter a number.")
    try:
        value = float(str(raw).strip().replace(",", "").replace("，", "").rstrip("%").strip())
    except ValueError:
        return None, _("Enter a number.")
    if not math.isfinite(value) or abs(value) >= MAX_ACTUAL:
        return None, _("Enter a number.")
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
    text = (value or "").strip()
    if len(text) > MAX_COMMENT:
        errors.setdefault(path, []).append(_("At most %(num)d characters (this has %(len)d).", num=MAX_COMMENT,
                                             len=len(text)))
    return text[:MAX_COMMENT]


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


def _ratings(items: list[dict], review: Review, column: str, scale_max: int, errors: dict) -> None:
    """Apply submitted ratings (``self_rating`` or ``manager_rating``) and comments: only the
    keys sent change."""
    for i, (item, rating) in enumerate(_rows(items, review.ratings, errors, "ratings")):
        if "rating" in item:
            value, message = _rating(item.get("rating"), scale_max)
            if message:
                errors.setdefault(f"ratings.{i}.rating", []).append(message)
            else:
                setattr(rating, column, value)
        if "comment" in item:
            rating.comment = _comment(item.get("comment"), errors, f"ratings.{i}.comment")


def _event(review: Review, action: str, comment: str = "") -> None:
    actor_id, actor_label, _ip = actor()
    review.events.append(ReviewEvent(action=action, comment=comment, actor_id=actor_id, actor_label=actor_label))


def _require(review: Review, *steps: Step) -> None:
    if review.status not in {s.value for s in steps}:
        if review.status == Step.FINALISED.value:
            raise ServiceError(_("This review is finalised and locked. Only HR can reopen it."))
        raise ServiceError(_("This review is at the step “%(step)s”: this step was already submitted or is not "
                             "open yet.", step=review.step.label))


def _raise(errors: dict) -> None:
    if errors:
        count = sum(len(v) for v in errors.values())
        raise ServiceError(_("The review has %(num)d problem(s): see the marked fields.", num=count), errors)


def touch(review: Review) -> None:
    review.updated_at = utcnow()  # every save moves the lock counter, even when only child rows changed


def save_self_review(review: Review, data: StepData, seen_version: int | None, submit: bool = False) -> None:
    """The employee's actuals (with comments), self ratings and comment; ``submit`` hands the
    review to the manager and needs every actual and self rating."""
    _require(review, Step.SELF_REVIEW)
    check_version(review, seen_version)
    settings = cycle_settings(review.cycle)
    errors: dict[str, list[str]] = {}
    for i, (item, result) in enumerate(_rows(data.kpis, review.kpi_results, errors, "kpis")):
        if "actual" in item:
            value, message = parse_actual(item.get("actual"), result)
            if message:
                errors.setdefault(f"kpis.{i}.actual", []).append(message)
            else:
                result.actual = result.self_actual = value
        if "comment" in item:
            result.employee_comment = _comment(item.get("comment"), errors, f"kpis.{i}.comment")
    _ratings(data.ratings, review, "self_rating", settings["scale_max"], errors)
    if data.comment is not None:
        review.self_comment = _comment(data.comment, errors, "comment")
    if submit and not errors:
        for i, result in enumerate(review.kpi_results):
            if result.actual is None:
                errors.setdefault(f"kpis.{i}.actual", []).append(_("Enter the actual result before submitting."))
        for i, rating in enumerate(review.ratings):
            if rating.self_rating is None:
                errors.setdefault(f"ratings.{i}.rating", []).append(_("Rate yourself before submitting."))
    _raise(errors)
    score_review(review, settings)
    touch(review)
    if submit:
        review.status, review.self_submitted_at = Step.MANAGER_REVIEW.value, utcnow()
        _event(review, "self_submitted")
    db.session.flush()


def save_manager_review(review: Review, data: StepData, seen_version: int | None, submit: bool = False) -> None:
    """The manager may adjust actuals, rates competencies, comments and proposes an outcome;
    ``submit`` sends the review to HR and needs every actual, every rating and an outcome."""
    _require(review, Step.MANAGER_REVIEW)
    check_version(review, seen_version)
    settings = cycle_settings(review.cycle)
    errors: dict[str, list[str]] = {}
    for i, (item, result) in enumerate(_rows(data.kpis, review.kpi_results, errors, "kpis")):
        if "actual" in item:
            value, message = parse_actual(item.get("actual"), result)
            if message:
                errors.setdefault(f"kpis.{i}.actual", []).append(message)
            else:
                result.actual = value
        if "comment" in item:
            result.manager_comment = _comment(item.get("comment"), errors, f"kpis.{i}.comment")
    _ratings(data.ratings, review, "manager_rating", settings["scale_max"], errors)
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
        for i, result in enumerate(review.kpi_results):
            if result.actual is None:
                errors.setdefault(f"kpis.{i}.actual", []).append(_("Enter the actual result before submitting."))
        for i, rating in enumerate(review.ratings):
            if rating.manager_rating is None:
                errors.setdefault(f"ratings.{i}.rating", []).append(_("Rate this competency before submitting."))
        if not review.outcome:
            errors.setdefault("outcome", []).append(_("Propose an outcome before submitting."))
    _raise(errors)
    score_review(review, settings)
    touch(review)
    if submit:
        review.status, review.manager_submitted_at = Step.CALIBRATION.value, utcnow()
        _event(review, "manager_submitted")
    db.session.flush()


def calibrate(review: Review, band: str | None, reason: str, seen_version: int | None,
              finalise: bool = False) -> None:
    """HR may move the band (a reason is required, kept in the history and the audit trail);
    ``finalise`` then locks the review."""
    _require(review, Step.CALIBRATION)
    check_version(review, seen_version)
    settings = cycle_settings(review.cycle)
    band = (band or "").strip() or None
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if band is not None and band not in {b["band"] for b in settings["bands"]}:
        errors["calibrated_band"] = [_("Choose a band from the list.")]
    moved = band is not None and band != review.band
    if moved and not reason:
        errors["reason"] = [_("Give the reason for moving the band.")]
    if len(reason) > MAX_COMMENT:
        errors["reason"] = [_("At most %(num)d characters (this has %(len)d).", num=MAX_COMMENT, len=len(reason))]
    _raise(errors)
    new_band = band if moved else None
    if new_band != review.calibrated_band:
        review.calibrated_band = new_band
        review.calibration_reason = reason if moved else ""
        _event(review, "calibrated", f"{review.band or '—'} → {new_band or review.band or '—'}: {reason}"
               if moved else _("Calibration removed"))
    touch(review)
    if finalise:
        _finalise(review)
    db.session.flush()


def _finalise(review: Review) -> None:
    if review.final_score is None and (review.kpi_results or review.ratings):
        raise ServiceError(_("This review has no score yet."))
    review.status, review.finalised_at = Step.FINALISED.value, utcnow()
    _event(review, "finalised")


def finalise(review: Review, seen_version: int | None) -> None:
    _require(review, Step.CALIBRATION)
    check_version(review, seen_version)
    touch(review)
    _finalise(review)
    db.session.flush()


REOPEN_STEPS = (Step.SELF_REVIEW, Step.MANAGER_REVIEW, Step.CALIBRATION)


def reopen(review: Review, step: str, reason: str, seen_version: int | None) -> None:
    """HR reopens a finalised review at an earlier step, with a reason."""
    _require(review, Step.FINALISED)
    check_version(review, seen_version)
    if review.cycle.status == CycleStatus.CLOSED.value:
        raise ServiceError(_("This cycle is closed: its reviews can no longer be reopened."))
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if step not in {s.value for s in REOPEN_STEPS}:
        errors["step"] = [_("Choose the step to reopen the review at.")]
    if not reason:
        errors["reason"] = [_("Give the reason for reopening the review.")]
    elif len(reason) > MAX_COMMENT:
        errors["reason"] = [_("At most %(num)d characters (this has %(len)d).", num=MAX_COMMENT, len=len(reason))]
    _raise(errors)
    review.status, review.finalised_at, review.acknowledged_at = step, None, None
    touch(review)
    _event(review, "reopened", reason)
    db.session.flush()


def acknowledge(review: Review, seen_version: int | None = None) -> None:
    """The employee acknowledges the final result (once)."""
    _require(review, Step.FINALISED)
    check_version(review, seen_version)
    if review.acknowledged_at is not None:
        raise ServiceError(_("You already acknowledged this result."))
    review.acknowledged_at = utcnow()
    touch(review)
    _event(review, "acknowledged")
    db.session.flush()


def reassign_reviewer(review: Review, reviewer_id: int | None, seen_version: int | None) -> None:
    """HR names another reviewer (an employee who is not the reviewee)."""
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
    "acknowledged": lambda: _("Acknowledged by the employee"),
    "reviewer_changed": lambda: _("Reviewer changed"),
}


def event_label(action: str) -> str:
    label = EVENT_LABELS.get(action)
    return label() if label else action


NOTE_LABELS = {
    "no_jd": lambda: _("No published job description at launch: the review has no KPI targets or competencies "
                       "from it."),
    "no_kpis": lambda **v: _("The job description has no %(period)s KPI targets: the KPI section is left out of "
                             "the score.", **v),
    "no_competencies": lambda: _("The job description lists no competencies: the competency section is left out "
                                 "of the score."),
    "no_reviewer": lambda: _("Nobody holds a position above this one: HR must name a reviewer."),
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
                 department: Department | None = None, employee_id: int | None = None, overdue_on: date | None = None):
    """Named query for lists of reviews. ``scope``: a condition on Review (a user's reviews, see
    ``app.auth.permissions.review_scope``), None for all."""
    query = (select(Review).join(Review.employee)
             .options(selectinload(Review.employee), selectinload(Review.reviewer), selectinload(Review.position),
                      selectinload(Review.department), selectinload(Review.cycle)))
    if cycle_id is not None:
        query = query.where(Review.cycle_id == cycle_id)
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
        query = query.join(Department, Department.id == Review.department_id).where(
            Department.path.startswith(department.path, autoescape=True))
    if employee_id is not None:
        query = query.where(Review.employee_id == employee_id)
    if overdue_on is not None:
        query = query.join(AppraisalCycle, AppraisalCycle.id == Review.cycle_id).where(overdue_condition(overdue_on))
    return query


def overdue_condition(day: date):
    """SQL condition (with AppraisalCycle joined): the review's current step is past its deadline."""
    return (AppraisalCycle.status == CycleStatus.RUNNING.value) & or_(
        (Review.status == Step.SELF_REVIEW.value) & (AppraisalCycle.self_review_due < day),
        (Review.status == Step.MANAGER_REVIEW.value) & (AppraisalCycle.manager_review_due < day))


def is_overdue(review: Review, day: date | None = None) -> bool:
    day = day or date.today()
    cycle = review.cycle
    if cycle.status != CycleStatus.RUNNING.value:
        return False
    due = {Step.SELF_REVIEW.value: cycle.self_review_due, Step.MANAGER_REVIEW.value: cycle.manager_review_due}
    deadline = due.get(review.status)
    return deadline is not None and deadline < day
