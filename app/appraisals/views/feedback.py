"""360° feedback pages (issue 18): nominating and approving respondents on a review, the
respondent's own requests and form, and HR's page of a cycle's feedback (bulk approval, the
respondents without an account). What each person sees of the answers: ``services.feedback``."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.appraisals.access import (
    can_answer_feedback,
    can_approve_feedback,
    can_calibrate,
    can_manage_appraisals,
    can_use_appraisals,
    feedback_role,
)
from app.appraisals.forms import NominationForm, VersionForm
from app.appraisals.services import feedback
from app.appraisals.services.templates import cycle_settings, level_label
from app.appraisals.views import bp
from app.appraisals.views._helpers import flash_errors, visible_cycle, visible_review
from app.auth.permissions import requires
from app.core.forms import attempt
from app.extensions import db
from app.org.models import Employee


def _back(review_id: int):
    return redirect(url_for("appraisals.review", review_id=review_id) + "#feedback")


@bp.route("/reviews/<int:review_id>/feedback/nominate", methods=["POST"])
@requires(can_use_appraisals)
def feedback_nominate(review_id: int):
    review = visible_review(review_id)
    role = feedback_role(current_user, review)
    if role is None:
        abort(403)
    form = NominationForm()
    if not form.validate_on_submit():
        abort(400)
    number = (form.employee_no.data or "").strip()
    respondent = db.session.scalar(select(Employee).where(Employee.employee_no == number)) if number else None
    done = attempt(lambda: feedback.nominate(review, respondent, form.relation.data, role), show=None)
    if done.error is not None:
        from app.appraisals.views.reviews import render_review

        errors = dict(done.error.errors)
        if not number:
            errors = {"respondent_id": [_("Enter the employee number of the person to ask.")]}
        return render_review(
            visible_review(review_id), errors=errors, status=422, message=done.error.message, feedback_form=form
        )
    flash(_("%(name)s is nominated.", name=respondent.name), "success")
    return _back(review_id)


@bp.route("/reviews/<int:review_id>/feedback/approve", methods=["POST"])
@requires(can_use_appraisals)
def feedback_approve(review_id: int):
    review = visible_review(review_id)
    if not can_approve_feedback(current_user, review):
        abort(403)
    if not VersionForm().validate_on_submit():
        abort(400)
    ids = [int(v) for v in request.form.getlist("nomination_ids") if v.isdigit() and len(v) < 10]
    done = attempt(lambda: feedback.approve(review, ids), show=flash_errors)
    if done.ok:
        flash(_("The list of respondents is approved."), "success")
    return _back(review_id)


@bp.route("/reviews/<int:review_id>/feedback/<int:nomination_id>/decline", methods=["POST"])
@requires(can_use_appraisals)
def feedback_decline(review_id: int, nomination_id: int):
    review = visible_review(review_id)
    if not can_approve_feedback(current_user, review):
        abort(403)
    nomination = feedback.get_nomination(nomination_id)
    if nomination.review_id != review.id:
        abort(404)
    if not VersionForm().validate_on_submit():
        abort(400)
    done = attempt(lambda: feedback.decline(nomination), show=flash_errors)
    if done.ok:
        flash(_("The nomination is declined."), "success")
    return _back(review_id)


@bp.route("/feedback")
@requires(can_use_appraisals)
def feedback_requests():
    """The feedback the user is asked to give."""
    employee = getattr(current_user, "employee", None)
    requests = feedback.requests_for(employee.id if employee else None)
    return render_template("appraisals/feedback_requests.html", requests=requests, feedback=feedback)


def _own_request(nomination_id: int):
    nomination = feedback.get_nomination(nomination_id)
    if not can_answer_feedback(current_user, nomination) or nomination.status != "approved":
        abort(404)  # only the respondent knows the form exists
    return nomination


@bp.route("/feedback/<int:nomination_id>", methods=["GET", "POST"])
@requires(can_use_appraisals)
def feedback_form(nomination_id: int):
    nomination = _own_request(nomination_id)
    review = nomination.review
    settings = cycle_settings(review.cycle)
    form = VersionForm()
    errors, message, status = {}, None, 200
    given = {"ratings": {}, "answers": []}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        given = {
            "ratings": {r.code: request.form.get(f"rating-{r.code}", "") for r in review.ratings},
            "answers": [
                request.form.get(f"answer-{i}", "")
                for i in range(len(feedback.feedback_settings(review.cycle)["questions"]))
            ],
        }
        done = attempt(lambda: feedback.answer(nomination, given["ratings"], given["answers"]), show=None)
        if done.ok:
            flash(_("Thank you: your feedback is recorded."), "success")
            return redirect(url_for("appraisals.feedback_requests"))
        errors, message, status = done.error.errors, done.error.message, 422
        nomination = _own_request(nomination_id)
        review = nomination.review
    return render_template(
        "appraisals/feedback_form.html",
        nomination=nomination,
        review=review,
        form=form,
        settings=settings,
        questions=feedback.feedback_settings(review.cycle)["questions"],
        due=feedback.due_date(review.cycle),
        is_open=feedback.is_open(review),
        levels=[(level["level"], level_label(level)) for level in settings["scale"]],
        errors=errors,
        message=message,
        given=given,
    ), status


@bp.route("/cycles/<int:cycle_id>/feedback")
@requires(can_manage_appraisals)
def cycle_feedback(cycle_id: int):
    cycle = visible_cycle(cycle_id)
    return render_template(
        "appraisals/cycle_feedback.html",
        cycle=cycle,
        form=VersionForm(),
        settings=feedback.feedback_settings(cycle),
        due=feedback.due_date(cycle),
        missing=feedback.without_account(cycle),
    )


@bp.route("/cycles/<int:cycle_id>/feedback/approve", methods=["POST"])
@requires(can_manage_appraisals)
def cycle_feedback_approve(cycle_id: int):
    cycle = visible_cycle(cycle_id)
    if not VersionForm().validate_on_submit():
        abort(400)
    done = attempt(lambda: feedback.approve_cycle(cycle), show=flash_errors)
    if done.ok:
        result = done.value
        flash(
            _(
                "%(num)d nominations approved on %(reviews)d reviews; %(left)d lists left (too short or too long).",
                num=result.nominations,
                reviews=result.reviews,
                left=len(result.skipped),
            ),
            "success",
        )
    return redirect(url_for("appraisals.cycle_feedback", cycle_id=cycle_id))


def review_context(review) -> dict:
    """What the review page shows of the feedback (see templates/appraisals/_feedback.html)."""
    if not feedback.enabled(review):
        return {"feedback_view": feedback.view(review)}
    role = feedback_role(current_user, review)
    return {
        "feedback_view": feedback.view(review),
        "nominations": feedback.list_nominations(review),
        "feedback_open": feedback.is_open(review),
        "feedback_role": role,
        "can_approve": can_approve_feedback(current_user, review),
        "sees_respondents": can_calibrate(current_user, review),
    }
