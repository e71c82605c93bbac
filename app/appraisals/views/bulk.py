"""The overdue reviews as a list with a selection across pages (``app.core.bulk``): the actions
on it (reminding the reviewers) are registered by the package that sends the reminders."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.appraisals import services
from app.appraisals.access import can_manage_appraisals, review_scope
from app.appraisals.models import Review
from app.core import clock
from app.core.bulk import BulkList, register_list
from app.extensions import db
from app.org.models import Employee

OVERDUE = "appraisals.overdue"


def _matching(args):
    listed = services.list_reviews(scope=review_scope(current_user), overdue_on=clock.today()).order_by(None).subquery()
    return select(listed.c.id)


def _names(ids) -> dict[int, str]:
    query = (
        select(Review.id, Employee.employee_no, Employee.name)
        .join(Employee, Employee.id == Review.employee_id)
        .where(Review.id.in_(list(ids)))
    )
    scope = review_scope(current_user)
    if scope is not None:
        query = query.where(scope)
    return {row.id: f"{row.employee_no} {row.name}" for row in db.session.execute(query)}


register_list(BulkList(OVERDUE, _l("Overdue reviews"), "appraisals.overdue", can_manage_appraisals, _names, _matching))
