"""Appraisal cycles: creating, editing, deleting and closing one. Services flush; the caller
commits once. A cycle's launch lives in ``launch``, its periods in ``periods``, the reviews left
out in ``exclusions``; the templates in ``templates`` and the reviews in ``reviews`` beside it.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from app.appraisals.fields import CYCLE
from app.appraisals.models import AppraisalCycle, AppraisalTemplate, CycleStatus, PeriodType, Review, Step
from app.appraisals.services.periods import alignment_errors, period_end
from app.appraisals.services.templates import default_template
from app.core.concurrency import check_version
from app.core.errors import NotFound, ServiceError
from app.core.fields import Values
from app.db import utcnow
from app.extensions import db
from app.org.models import Department

# --- cycles -----------------------------------------------------------------------------------


NAME_MAX = CYCLE.field("name").max_length


class CycleData(Values):
    """A cycle's declared fields (app/appraisals/fields.py), as the pages and the API give them."""

    entity = CYCLE


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
    query = select(AppraisalCycle).options(
        selectinload(AppraisalCycle.template), selectinload(AppraisalCycle.departments)
    )
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
    elif len(data.name.strip()) > NAME_MAX:
        errors["name"] = [_("At most %(num)d characters (this has %(len)d).", num=NAME_MAX, len=len(data.name.strip()))]
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
    cycle = AppraisalCycle(
        name=data.name.strip(),
        period_type=data.period_type,
        start_date=start,
        end_date=end,
        template=template,
        include_subdepartments=bool(data.include_subdepartments),
        self_review_due=data.self_review_due,
        manager_review_due=data.manager_review_due,
        status=CycleStatus.DRAFT.value,
    )
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
        fixed = {
            "period_type": data.period_type != cycle.period_type,
            "start_date": start != cycle.start_date,
            "end_date": end != cycle.end_date,
            "template_id": template.id != cycle.template_id,
            "department_ids": {d.id for d in departments} != {d.id for d in cycle.departments},
            "include_subdepartments": bool(data.include_subdepartments) != cycle.include_subdepartments,
        }
        changed = [name for name, differs in fixed.items() if differs]
        if changed:
            message = _(
                "The cycle is launched: its period, scope and template are fixed. Only the name and the "
                "deadlines can change."
            )
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
    open_reviews = db.session.scalar(
        select(db.func.count()).where(
            Review.cycle_id == cycle.id, Review.status != Step.FINALISED.value, Review.excluded_at.is_(None)
        )
    )
    if open_reviews:
        raise ServiceError(_("%(num)d review(s) are not finalised yet.", num=open_reviews))
    cycle.status, cycle.closed_at = CycleStatus.CLOSED.value, utcnow()
    db.session.flush()
