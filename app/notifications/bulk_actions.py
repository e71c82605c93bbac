"""Reminders as bulk actions (``app.core.bulk``): remind the selected employees to acknowledge
their job description (the employee list), remind the reviewers of the selected overdue reviews
(the overdue reviews). Each reaches a person at most once a day, and is one audit event; what
happened (reminded, already reminded today, not reachable) is shown after it ran."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.appraisals.access import can_manage_appraisals
from app.appraisals.models import Review, Step
from app.audit.services import record
from app.core.bulk import BulkAction, register_action
from app.extensions import db
from app.jobs.services import outstanding_acknowledgements
from app.notifications import services
from app.org.access import can_edit_org
from app.org.models import Assignment

EMPLOYEES, OVERDUE = "org.employees", "appraisals.overdue"  # the lists' keys (app/org/views/bulk.py,
# app/appraisals/views/bulk.py)


def _report(report: services.ReminderReport, skipped: int = 0) -> None:
    flash(
        _("%(num)d reminded; %(today)d already reminded today.", num=report.reminded, today=report.already_today),
        "success",
    )
    if skipped:
        flash(_("%(num)d selected had nothing to be reminded of.", num=skipped), "info")
    if report.unreachable:
        flash(
            _(
                "Not reachable (no account and no e-mail address): %(names)s.",
                names="、".join(report.unreachable[:20]) + ("…" if len(report.unreachable) > 20 else ""),
            ),
            "warning",
        )


def remind_employees(ids: list[int], form):
    """The selected employees whose job description in force is still to be acknowledged."""
    assignments = db.session.scalars(outstanding_acknowledgements().where(Assignment.employee_id.in_(ids))).all()
    report = services.remind_acknowledgement(assignments)
    holders = {a.employee_id for a in assignments}
    record(
        "bulk",
        "employees",
        None,
        {"action": [None, "remind_acknowledgement"], "count": [None, len(ids)], "reminded": [None, report.reminded]},
        label=_("%(num)d selected", num=len(ids)),
    )
    _report(report, skipped=len(set(ids) - holders))


def remind_reviewers(ids: list[int], form):
    """The reviewers of the selected reviews that wait for their manager review."""
    reviews = db.session.scalars(
        select(Review)
        .where(Review.id.in_(ids), Review.status == Step.MANAGER_REVIEW.value, Review.excluded_at.is_(None))
        .options(selectinload(Review.reviewer), selectinload(Review.employee), selectinload(Review.cycle))
    ).all()
    report = services.remind_reviewers(reviews)
    record(
        "bulk",
        "appraisal_reviews",
        None,
        {"action": [None, "remind_reviewers"], "count": [None, len(ids)], "reminded": [None, report.reminded]},
        label=_("%(num)d selected", num=len(ids)),
    )
    _report(report, skipped=len(ids) - len(reviews))


def register() -> None:
    """Add the reminders to the lists (called once the blueprints, which register the lists, are in)."""
    register_action(
        EMPLOYEES,
        BulkAction(
            "remind",
            _l("Remind to acknowledge"),
            _l("Remind %(num)d employees to read and acknowledge their job description?"),
            can_edit_org,
            remind_employees,
            done=_l("Reminders sent for %(num)d selected."),
        ),
    )
    register_action(
        OVERDUE,
        BulkAction(
            "remind",
            _l("Remind reviewers"),
            _l("Remind the reviewers of %(num)d reviews?"),
            can_manage_appraisals,
            remind_reviewers,
            done=_l("Reminders sent for %(num)d selected."),
        ),
    )
