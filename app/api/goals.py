"""Individual goals of a review (issue 18): read, add, change and remove them before they are
agreed, agree them (the reviewer or HR), and check in on their progress. Goals are versioned:
their ETag goes back in If-Match (409 when someone changed the goal since)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields, validate

from app.api.appraisals import visible_review
from app.api.common import ETAG, ID, IF_MATCH, LOCATION, Blueprint, check_first, etag, seen_version
from app.api.schemas import Exact, Output, Text, version_field
from app.appraisals.access import can_agree_goals, can_edit_goals, can_use_appraisals
from app.appraisals.services import goals
from app.auth.permissions import requires

blp = Blueprint(
    "review_goals",
    __name__,
    url_prefix="/api/v1/reviews",
    description="Individual goals of reviews: the employee and the reviewer (and HR) set them, the "
    "reviewer or HR agrees them (weights adding up to 100), then check-ins follow. The "
    "employee sees their own, managers those of their reporting subtree, HR all.",
)


class KeyResultIn(Schema):
    name = Text(required=True, validate=validate.Length(max=200))
    start = Exact(allow_none=True, load_default=None)
    target = Exact(
        allow_none=True,
        load_default=None,
        metadata={"description": "Null with a null start: a done / not done key result."},
    )
    due_date = fields.Date(allow_none=True, load_default=None)


class GoalIn(Schema):
    title = Text(required=True, validate=validate.Length(max=200))
    weight = Exact(
        required=True,
        decimals=2,
        integer_digits=3,
        low=0,
        high=100,
        metadata={"description": "In %; the goals' weights add up to 100 to agree."},
    )
    due_date = fields.Date(allow_none=True, load_default=None)
    kpi_code = fields.String(
        allow_none=True,
        load_default=None,
        validate=validate.Length(max=40),
        metadata={"description": "A KPI of the review's job description the goal is aligned to."},
    )
    key_results = fields.List(fields.Nested(KeyResultIn), required=True, validate=validate.Length(min=1, max=5))


class GoalUpdate(GoalIn):
    version = version_field()


class CheckInValueIn(Schema):
    id = fields.Integer(required=True, strict=True)
    current = Exact(allow_none=True, load_default=None)
    done = fields.Boolean(load_default=False)


class CheckInIn(Schema):
    comment = Text(required=True, validate=validate.Length(max=2000))
    key_results = fields.List(fields.Nested(CheckInValueIn), load_default=list, validate=validate.Length(max=5))
    version = version_field()


class VersionOnly(Schema):
    version = version_field()


class KeyResultOut(Output):
    id = fields.Integer()
    name = fields.String()
    start = Exact(allow_none=True)
    target = Exact(allow_none=True)
    current = Exact(allow_none=True)
    done = fields.Boolean()
    due_date = fields.Date(allow_none=True)
    progress = fields.Function(lambda r: goals.key_result_progress(r))


class CheckInOut(Output):
    at = fields.DateTime()
    comment = fields.String()
    snapshot = fields.List(fields.Dict(), metadata={"description": "The key results' values at the check-in."})


class GoalOut(Output):
    id = fields.Integer()
    title = fields.String()
    weight = Exact()
    due_date = fields.Date(allow_none=True)
    kpi_code = fields.String(allow_none=True)
    key_results = fields.List(fields.Nested(KeyResultOut))
    check_ins = fields.List(fields.Nested(CheckInOut))
    progress = fields.Function(lambda g: goals.goal_progress(g), allow_none=True)
    version = fields.Integer()


class GoalsOut(Output):
    agreed_at = fields.DateTime(allow_none=True)
    score = fields.Float(allow_none=True, metadata={"description": "The goals section's score once agreed."})
    goals = fields.List(fields.Nested(GoalOut))


def _reader(review_id: int):
    review = visible_review(review_id)
    if not goals.enabled(review):
        from flask_smorest import abort

        abort(404, message=_("This review's template has no individual goals."))
    return review


def _editor(review_id: int, **_ignored):
    review = _reader(review_id)
    if not can_edit_goals(current_user, review):
        _forbidden()
    return review


def _agreer(review_id: int):
    review = _reader(review_id)
    if not can_agree_goals(current_user, review):
        _forbidden()
    return review


def _forbidden():
    from flask_smorest import abort

    abort(403, message=_("You may not do this on this review."))


def _data(body: dict) -> goals.GoalData:
    return goals.GoalData(
        title=body["title"],
        weight=body["weight"],
        due_date=body["due_date"],
        kpi_code=body["kpi_code"],
        key_results=body["key_results"],
    )


def _all(review) -> dict:
    from app.appraisals.services import cycle_settings

    return {
        "agreed_at": review.goals_agreed_at,
        "goals": goals.list_goals(review),
        "score": goals.section_score(review, cycle_settings(review.cycle)),
    }


@blp.route(f"/<{ID}:review_id>/goals")
@blp.response(200, GoalsOut, headers=ETAG)
@requires(can_use_appraisals)
def list_goals(review_id: int):
    """A review's goals, their key results and check-ins (the ETag is the review's, for agreeing)"""
    review = _reader(review_id)
    return _all(review), 200, etag(review)


@blp.route(f"/<{ID}:review_id>/goals", methods=["POST"])
@blp.response(201, GoalOut, headers={**ETAG, **LOCATION})
@requires(can_use_appraisals)
@check_first(_editor)
@blp.arguments(GoalIn)
def create_goal(body, review_id: int):
    """Add a goal (the employee, the reviewer or HR), before the goals are agreed

    A key result has a start value and a target that differ, or neither (done / not done).
    """
    review = _editor(review_id)
    goal = goals.create_goal(review, _data(body))
    return goal, 201, {**etag(goal), "Location": url_for(".get_goal", review_id=review_id, goal_id=goal.id)}


@blp.route(f"/<{ID}:review_id>/goals/<{ID}:goal_id>")
@blp.response(200, GoalOut, headers=ETAG)
@requires(can_use_appraisals)
def get_goal(review_id: int, goal_id: int):
    """Read a goal"""
    goal = goals.get_goal(_reader(review_id), goal_id)
    return goal, 200, etag(goal)


@blp.route(f"/<{ID}:review_id>/goals/<{ID}:goal_id>", methods=["PUT"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, GoalOut, headers=ETAG)
@requires(can_use_appraisals)
@check_first(_editor)
@blp.arguments(GoalUpdate)
def update_goal(body, review_id: int, goal_id: int):
    """Replace a goal and its key results, before the goals are agreed"""
    version = seen_version(body.pop("version", None))
    goal = goals.get_goal(_editor(review_id), goal_id)
    goals.update_goal(goal, _data(body), version)
    return goal, 200, etag(goal)


@blp.route(f"/<{ID}:review_id>/goals/<{ID}:goal_id>", methods=["DELETE"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(204)
@requires(can_use_appraisals)
def delete_goal(review_id: int, goal_id: int):
    """Remove a goal, before the goals are agreed (If-Match required)"""
    review = _editor(review_id)
    version = seen_version(None)
    goals.delete_goal(goals.get_goal(review, goal_id), version)
    return None


@blp.route(f"/<{ID}:review_id>/goals/agree", methods=["POST"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, GoalsOut, headers=ETAG)
@requires(can_use_appraisals)
@check_first(_agreer)
@blp.arguments(VersionOnly)
def agree_goals(body, review_id: int):
    """Agree the goals (the reviewer or HR): at least one, weights adding up to 100

    Send the review's version (the ETag of the goals' GET). Afterwards only check-ins follow.
    """
    version = seen_version(body.get("version"))
    review = _agreer(review_id)
    goals.agree(review, version)
    return _all(review), 200, etag(review)


@blp.route(f"/<{ID}:review_id>/goals/<{ID}:goal_id>/check-ins", methods=["POST"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(201, GoalOut, headers=ETAG)
@requires(can_use_appraisals)
@check_first(_editor)
@blp.arguments(CheckInIn)
def check_in(body, review_id: int, goal_id: int):
    """Check in on a goal once agreed: a comment and the key results' current values (or done)"""
    version = seen_version(body.get("version"))
    goal = goals.get_goal(_editor(review_id), goal_id)
    goals.check_in(goal, body["key_results"], body["comment"], current_user.id, version)
    return goal, 201, etag(goal)
