"""Improvement plans: list and read the plans you may see (your own, those you own or of your
reporting subtree, all for HR); change a running plan, record a check-in, close or extend it
(its owner or HR). The same services and permission functions as the pages."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from app.api.common import ETAG, ID, IF_MATCH, Blueprint, check_first, etag, page_of, seen_version
from app.api.schemas import Output, PageArgs, page_schema, patch, ref, text, version_field
from app.appraisals.access import can_edit_plan, can_use_appraisals, can_view_plan, plan_scope
from app.appraisals.models import PlanStatus
from app.appraisals.services import improvement
from app.auth.permissions import requires
from app.core.errors import NotFound

blp = Blueprint(
    "improvement_plans",
    __name__,
    url_prefix="/api/v1/improvement-plans",
    description="Improvement plans, opened when a review with the outcome `improvement_plan` is "
    "finalised. The employee reads their own; the owner (the reviewer) and HR fill them in.",
)


class CheckInOut(Output):
    on = fields.Date(attribute="held_on")
    comment = fields.String()
    by = fields.String(attribute="author_label")


class PlanOut(Output):
    id = fields.Integer()
    review_id = fields.Integer(allow_none=True)
    employee_id = fields.Integer()
    owner_id = fields.Integer(allow_none=True)
    objectives = fields.String()
    support = fields.String()
    start_date = fields.Date()
    end_date = fields.Date()
    checkin_dates = fields.List(fields.String(), metadata={"description": "ISO dates, in order."})
    status = fields.String(validate=validate.OneOf([s.value for s in PlanStatus]))
    closing_comment = fields.String()
    checkins = fields.List(fields.Nested(CheckInOut))
    version = fields.Integer()


class PlanArgs(PageArgs):
    status = fields.String(
        load_default="",
        validate=validate.OneOf(["", "running", *[s.value for s in PlanStatus]]),
        metadata={"description": "running (open or extended), or one status; empty: all."},
    )


class PlanUpdate(Schema):
    objectives = text(improvement.MAX_TEXT)
    support = text(improvement.MAX_TEXT)
    owner_id = ref(allow_none=True)
    start_date = fields.Date()
    end_date = fields.Date()
    checkin_dates = fields.List(fields.Date(), validate=validate.Length(max=improvement.MAX_CHECKIN_DATES))
    version = version_field()


class CheckInIn(Schema):
    on = fields.Date(required=True)
    comment = text(improvement.MAX_TEXT, required=True)
    version = version_field()


class CloseIn(Schema):
    result = fields.String(required=True, validate=validate.OneOf(list(improvement.CLOSING)))
    comment = text(improvement.MAX_TEXT, required=True)
    new_end = fields.Date(load_default=None, allow_none=True, metadata={"description": "When extended."})
    version = version_field()


PlanPage = page_schema(PlanOut, "ImprovementPlanPage")


def visible_plan(improvement_plan_id: int):
    plan = improvement.get_plan(improvement_plan_id)
    if not can_view_plan(current_user, plan):
        raise NotFound(_("No such improvement plan."))
    return plan


def editable_plan(improvement_plan_id: int):
    plan = visible_plan(improvement_plan_id)
    if not can_edit_plan(current_user, plan):
        abort(403, message=_("Only the plan's owner and HR change it."))
    return plan


@blp.route("")
@blp.response(200, PlanPage)
@requires(can_use_appraisals)
@blp.arguments(PlanArgs, location="query")
def list_plans(args):
    """List the improvement plans you may see, running first"""
    return page_of(improvement.list_plans(plan_scope(current_user), args["status"]), args)


@blp.route(f"/<{ID}:improvement_plan_id>")
@blp.response(200, PlanOut, headers=ETAG)
@requires(can_use_appraisals)
def get_plan(improvement_plan_id: int):
    """Read an improvement plan with its check-ins"""
    plan = visible_plan(improvement_plan_id)
    return plan, 200, etag(plan)


@blp.route(f"/<{ID}:improvement_plan_id>", methods=["PATCH"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, PlanOut, headers=ETAG)
@requires(can_use_appraisals)
@check_first(editable_plan)
@blp.arguments(patch(PlanUpdate))
def update_plan(body, improvement_plan_id: int):
    """Change a running plan (its owner or HR)

    Objectives are required; the end date is not before the start, and every check-in date falls
    within them. A closed plan answers 422.
    """
    plan = editable_plan(improvement_plan_id)
    version = seen_version(body.pop("version", None))
    current = {
        "objectives": plan.objectives,
        "support": plan.support,
        "start_date": plan.start_date,
        "end_date": plan.end_date,
        "owner_id": plan.owner_id,
        "checkin_dates": [date.fromisoformat(d) for d in plan.checkin_dates or []],
    }
    merged = {**current, **body}
    improvement.update_plan(plan, improvement.PlanData(**merged), version)
    return plan, 200, etag(plan)


@blp.route(f"/<{ID}:improvement_plan_id>/check-ins", methods=["POST"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(201, PlanOut, headers=ETAG)
@requires(can_use_appraisals)
@check_first(editable_plan)
@blp.arguments(CheckInIn)
def add_checkin(body, improvement_plan_id: int):
    """Record a check-in of a running plan (its owner or HR)"""
    plan = editable_plan(improvement_plan_id)
    improvement.add_checkin(plan, body["on"], body["comment"], seen_version(body.get("version")))
    return plan, 201, etag(plan)


@blp.route(f"/<{ID}:improvement_plan_id>/close", methods=["POST"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, PlanOut, headers=ETAG)
@requires(can_use_appraisals)
@check_first(editable_plan)
@blp.arguments(CloseIn)
def close_plan(body, improvement_plan_id: int):
    """Close a running plan as successful or unsuccessful (locked), or extend it (`new_end`)"""
    plan = editable_plan(improvement_plan_id)
    improvement.close_plan(
        plan, body["result"], body["comment"], seen_version(body.get("version")), body.get("new_end")
    )
    return plan, 200, etag(plan)
