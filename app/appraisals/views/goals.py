"""Individual goals on the review page (issue 18): add and remove goals before they are agreed,
agree them (the reviewer or HR), and check in on their progress. Errors come back on the review
page next to the fields (``goal.<field>``), with the input kept."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.appraisals.access import can_agree_goals, can_edit_goals, can_use_appraisals
from app.appraisals.forms import VersionForm
from app.appraisals.services import goals
from app.appraisals.views import bp
from app.appraisals.views._helpers import seen_version, visible_review
from app.auth.permissions import requires
from app.core.forms import attempt

KEY_RESULT_ROWS = 3


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _refused(review_id: int, error, given: dict):
    from app.appraisals.views.reviews import render_review

    errors = {f"goal.{key}": messages for key, messages in error.errors.items()}
    return render_review(
        visible_review(review_id),
        errors=errors,
        status=409 if error.status == 409 else 422,
        message=error.message,
        goal_input=given,
    )


def _back(review_id: int):
    return redirect(url_for("appraisals.review", review_id=review_id) + "#goals")


def _editor(review_id: int):
    review = visible_review(review_id)
    if not can_edit_goals(current_user, review):
        abort(403)
    if not VersionForm().validate_on_submit():
        abort(400)
    return review


@bp.route("/reviews/<int:review_id>/goals", methods=["POST"])
@requires(can_use_appraisals)
def goal_create(review_id: int):
    review = _editor(review_id)
    form = request.form
    given = {
        "title": form.get("title", ""),
        "weight": form.get("weight", ""),
        "due_date": form.get("due_date", ""),
        "kpi_code": form.get("kpi_code", ""),
        "key_results": [
            {
                "name": form.get(f"kr-{i}-name", ""),
                "start": form.get(f"kr-{i}-start", ""),
                "target": form.get(f"kr-{i}-target", ""),
            }
            for i in range(KEY_RESULT_ROWS)
        ],
    }
    data = goals.GoalData(
        title=given["title"],
        weight=given["weight"],
        due_date=_date(given["due_date"]),
        kpi_code=given["kpi_code"],
        key_results=given["key_results"],
    )
    done = attempt(lambda: goals.create_goal(review, data), show=None)
    if done.error is not None:
        return _refused(review_id, done.error, given)
    flash(_("The goal is added."), "success")
    return _back(review_id)


@bp.route("/reviews/<int:review_id>/goals/<int:goal_id>/delete", methods=["POST"])
@requires(can_use_appraisals)
def goal_delete(review_id: int, goal_id: int):
    review = _editor(review_id)
    goal = goals.get_goal(review, goal_id)
    done = attempt(lambda: goals.delete_goal(goal, seen_version(VersionForm())), show=None)
    if done.error is not None:
        return _refused(review_id, done.error, {})
    flash(_("The goal is removed."), "success")
    return _back(review_id)


@bp.route("/reviews/<int:review_id>/goals/agree", methods=["POST"])
@requires(can_use_appraisals)
def goals_agree(review_id: int):
    review = visible_review(review_id)
    if not can_agree_goals(current_user, review):
        abort(403)
    form = VersionForm()
    if not form.validate_on_submit():
        abort(400)
    done = attempt(lambda: goals.agree(review, seen_version(form)), show=None)
    if done.error is not None:
        return _refused(review_id, done.error, {})
    flash(_("The goals are agreed."), "success")
    return _back(review_id)


@bp.route("/reviews/<int:review_id>/goals/<int:goal_id>/check-in", methods=["POST"])
@requires(can_use_appraisals)
def goal_check_in(review_id: int, goal_id: int):
    review = _editor(review_id)
    goal = goals.get_goal(review, goal_id)
    form = request.form
    values = [
        {"id": r.id, "current": form.get(f"kr-{r.id}-current", ""), "done": bool(form.get(f"kr-{r.id}-done"))}
        for r in goal.key_results
    ]
    given = {"check_in": goal.id, "comment": form.get("comment", ""), "values": {v["id"]: v for v in values}}
    done = attempt(
        lambda: goals.check_in(goal, values, form.get("comment", ""), current_user.id, seen_version(VersionForm())),
        show=None,
    )
    if done.error is not None:
        return _refused(review_id, done.error, given)
    flash(_("The check-in is recorded."), "success")
    return _back(review_id)


def review_context(review, given: dict | None) -> dict:
    """What the review page shows of the goals (templates/appraisals/_goals.html)."""
    if not goals.enabled(review):
        return {"goals_on": False}
    items = goals.list_goals(review)
    agreed = review.goals_agreed_at is not None
    return {
        "goals_on": True,
        "goals": items,
        "goal_progress": goals.goal_progress,
        "kr_progress": goals.key_result_progress,
        "goals_agreed": agreed,
        "goal_input": given or {},
        "goals_editable": can_edit_goals(current_user, review)
        and not agreed
        and not review.is_finalised
        and review.excluded_at is None,
        "goals_check_in": can_edit_goals(current_user, review)
        and agreed
        and not review.is_finalised
        and review.excluded_at is None,
        "goals_can_agree": can_agree_goals(current_user, review) and not agreed and not review.is_finalised,
        "goal_rows": KEY_RESULT_ROWS,
    }
