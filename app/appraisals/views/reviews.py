"""Reviews: my appraisals, overdue reviews, a review's page with the form of its current step,
and the step actions (self-review, manager review, calibration, finalise, reopen, acknowledge,
reviewer)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.appraisals import services
from app.appraisals.access import (
    can_calibrate,
    can_do_manager_reviews,
    can_enter_manager_review_for,
    can_enter_self_review_for,
    can_manage_appraisals,
    can_manager_review,
    can_self_review,
    can_skip_self_review_for,
    can_use_appraisals,
    is_own_review,
    review_scope,
)
from app.appraisals.forms import (
    CalibrationForm,
    ExclusionForm,
    NominationForm,
    ReopenForm,
    ReviewerForm,
    StepForm,
    VersionForm,
)
from app.appraisals.models import Review, Step
from app.appraisals.services import exclusions, flow, improvement, scoring
from app.appraisals.services.results import employee_history
from app.appraisals.services.templates import outcome_label
from app.appraisals.views import bp
from app.appraisals.views import feedback as feedback_views
from app.appraisals.views import goals as goal_views
from app.appraisals.views._helpers import seen_version, visible_review
from app.appraisals.views.bulk import OVERDUE
from app.auth.permissions import requires
from app.auth.services import person_names
from app.core import bulk, clock
from app.core.errors import Conflict, ServiceError
from app.core.forms import attempt
from app.core.listing import page_of
from app.documents import services as documents
from app.documents.responses import pdf_response, requested_language
from app.extensions import db
from app.org.models import Employee

RULES = {
    scoring.AT_TARGET: lambda: _("at or better than the target: 100"),
    scoring.TO_STRETCH: lambda: _("between target and stretch: 100 + 20 × (A − T) / (S − T)"),
    scoring.BEYOND_STRETCH: lambda: _("at or beyond the stretch: 120"),
    scoring.TO_THRESHOLD: lambda: _("between threshold and target: 100 × (A − T0) / (T − T0)"),
    scoring.BEYOND_THRESHOLD: lambda: _("at or beyond the threshold: 0"),
    scoring.RATIO: lambda: _(
        "worse than the target, no threshold: 100 × A / T (higher is better) or 100 × T / A (lower is better)"
    ),
    scoring.NO_ACTUAL: lambda: _("no actual yet"),
}


@bp.route("/")
@requires(can_use_appraisals)
def index():
    """My appraisals: my own reviews, the reviews I do as a reviewer, and HR's shortcuts."""
    employee = getattr(current_user, "employee", None)
    mine, to_review = [], []
    if employee is not None:
        mine = list(reversed(employee_history(employee.id)))
    if employee is not None and can_do_manager_reviews(current_user):
        to_review = db.session.scalars(
            services.list_reviews()
            .where(Review.reviewer_id == employee.id, Review.status == Step.MANAGER_REVIEW.value)
            .order_by(Review.id)
        ).all()
    running = (
        db.session.scalars(services.list_cycles("running").limit(10)).all()
        if can_manage_appraisals(current_user)
        else []
    )
    return render_template(
        "appraisals/index.html", mine=mine, to_review=to_review, running=running, is_overdue=services.is_overdue
    )


@bp.route("/overdue")
@requires(can_use_appraisals)
def overdue():
    query = services.list_reviews(scope=review_scope(current_user), overdue_on=clock.today()).order_by(
        Review.cycle_id, Review.id
    )
    page = page_of(query)
    selection = bulk.for_page(current_user, OVERDUE) if can_manage_appraisals(current_user) else None
    return render_template("appraisals/overdue.html", page=page, selection=selection)


def _forms(review, given: dict):
    """The forms of the review page: those of the request (kept with the user's input), the
    others fresh; the select fields get their choices either way."""
    settings = services.cycle_settings(review.cycle)
    forms = {
        "step_form": StepForm,
        "calibration_form": CalibrationForm,
        "reopen_form": ReopenForm,
        "reviewer_form": ReviewerForm,
        "version_form": VersionForm,
        "exclusion_form": lambda: ExclusionForm(prefix="exclusion"),
        "feedback_form": NominationForm,
    }
    context = {name: given.get(name) or form_class() for name, form_class in forms.items()}
    context["step_form"].outcome.choices = [("", "—")] + [
        (o["code"], outcome_label(settings["outcomes"], o["code"])) for o in settings["outcomes"]
    ]
    context["calibration_form"].calibrated_band.choices = [("", _("Keep the computed band"))] + [
        (b["band"], b["band"]) for b in settings["bands"]
    ]
    context["settings"] = settings
    return context


def render_review(review, errors=None, submitted=None, conflict=None, status=200, message=None, **forms):
    context = _forms(review, forms)
    scores = services.compute(review, context["settings"])
    if request.method == "GET" or not forms:
        context["step_form"].comment.data = (
            review.manager_comment if review.status == Step.MANAGER_REVIEW.value else review.self_comment
        )
        context["step_form"].outcome.data = review.outcome or ""
        context["calibration_form"].calibrated_band.data = review.calibrated_band or ""
        context["calibration_form"].reason.data = review.calibration_reason
    included = review.excluded_at is None
    own_self = can_self_review(current_user, review) and review.status == Step.SELF_REVIEW.value and included
    own_manager = can_manager_review(current_user, review) and review.status == Step.MANAGER_REVIEW.value and included
    manager_for = can_enter_manager_review_for(current_user, review)
    self_for = can_enter_self_review_for(current_user, review) and not own_self
    # HR may have both paper forms to enter during the manager review: one at a time, the
    # manager's first, the employee's on asking (?paper=self).
    paper_self = self_for and (
        not (own_manager or manager_for)
        or request.values.get("paper") == "self"
        or (submitted is not None and submitted.get("paper") == "self")
    )
    can_self = own_self or paper_self
    can_manager = (own_manager or manager_for) and not paper_self
    return render_template(
        "appraisals/review.html",
        review=review,
        scores=scores,
        rules=RULES,
        errors=errors or {},
        message=message,
        submitted=submitted,
        conflict=conflict,
        notes=services.note_texts(review),
        overdue=services.is_overdue(review),
        event_label=flow.event_label,
        people=person_names(e.actor_id for e in review.events),
        targets_period=services.targets_period_label(review.cycle),
        can_self=can_self,
        can_manager=can_manager,
        on_behalf=(paper_self and not own_self) or (can_manager and not own_manager),
        other_paper_form=self_for and not paper_self,
        can_skip=can_skip_self_review_for(current_user, review),
        can_hr=can_calibrate(current_user, review),
        own=is_own_review(current_user, review),
        plan_id=improvement.plan_id_of(review) if review.is_finalised else None,
        **feedback_views.review_context(review),
        **goal_views.review_context(review, forms.get("goal_input")),
        **context,
    ), status


@bp.route("/reviews/<int:review_id>")
@requires(can_use_appraisals)
def review(review_id: int):
    return render_review(visible_review(review_id))


def _rows(review, prefix: str, value: str) -> list[dict]:
    """The submitted rows of a step form, in the order of the review's rows."""
    rows = []
    for i, row in enumerate(review.kpi_results if prefix == "kpis" else review.ratings):
        item = {"id": row.id}
        if f"{prefix}-{i}-{value}" in request.form:
            item[value] = request.form.get(f"{prefix}-{i}-{value}")
        if f"{prefix}-{i}-comment" in request.form:
            item["comment"] = request.form.get(f"{prefix}-{i}-comment")
        rows.append(item)
    return rows


def _not_yours(review):
    """A visible review whose action belongs to someone else: said on the review's page."""
    flash(_("This is not yours to do on this review."), "warning")
    return redirect(url_for("appraisals.review", review_id=review.id))


def _step(review_id: int, allowed, save):
    review = visible_review(review_id)
    if not allowed(current_user, review):
        return _not_yours(review)
    form = StepForm()
    if not form.validate_on_submit():
        abort(400)
    submit = request.form.get("action") == "submit"
    data = flow.StepData(
        kpis=_rows(review, "kpis", "actual"),
        ratings=_rows(review, "ratings", "rating"),
        comment=form.comment.data,
        outcome=request.form.get("outcome"),
    )
    done = attempt(lambda: save(review, data, seen_version(form), submit), show=None)
    if done.conflict is not None:
        review = visible_review(review_id)
        return render_review(review, submitted=request.form, conflict=done.conflict, status=409, step_form=form)
    if done.error is not None:
        review = visible_review(review_id)
        return render_review(
            review,
            errors=done.error.errors,
            submitted=request.form,
            status=422,
            step_form=form,
            message=done.error.message,
        )
    flash(_("Submitted. Thank you.") if submit else _("Saved. You can come back and finish later."), "success")
    return redirect(url_for("appraisals.review", review_id=review.id))


def _own_or_for(own, for_someone):
    return lambda user, review: own(user, review) or for_someone(user, review)


@bp.route("/reviews/<int:review_id>/self-review", methods=["POST"])
@requires(can_use_appraisals)
def self_review(review_id: int):
    """The employee's self-review, or the paper one entered on their behalf (HR, or the reviewer
    where the template allows)."""

    def save(review, data, version, submit):
        flow.save_self_review(review, data, version, submit, on_behalf=not is_own_review(current_user, review))

    return _step(review_id, _own_or_for(can_self_review, can_enter_self_review_for), save)


@bp.route("/reviews/<int:review_id>/manager-review", methods=["POST"])
@requires(can_use_appraisals)
def manager_review(review_id: int):
    """The reviewer's manager review, or the paper one HR enters on behalf of a reviewer who has
    no account able to do it."""

    def save(review, data, version, submit):
        flow.save_manager_review(review, data, version, submit, on_behalf=not can_manager_review(current_user, review))

    return _step(review_id, _own_or_for(can_manager_review, can_enter_manager_review_for), save)


@bp.route("/reviews/<int:review_id>/skip-self-review", methods=["POST"])
@requires(can_use_appraisals)
def skip_self_review(review_id: int):
    review = visible_review(review_id)
    if not can_skip_self_review_for(current_user, review):
        return _not_yours(review)
    form = VersionForm()
    if form.validate_on_submit():
        if attempt(
            lambda: flow.skip_self_review(review, seen_version(form), by_hr=can_calibrate(current_user, review))
        ).ok:
            flash(_("The self-review is skipped: the review is with the reviewer."), "success")
    return redirect(url_for("appraisals.review", review_id=review_id))


@bp.route("/reviews/<int:review_id>/exclude", methods=["POST"])
@requires(can_manage_appraisals)
def exclude(review_id: int):
    def run(review, form):
        try:
            exclusions.exclude_review(review, form.reason.data, form.comment.data, seen_version(form))
        except Conflict:
            raise
        except ServiceError as error:  # the fields of this form carry its prefix
            raise ServiceError(error.message, {f"exclusion-{k}": v for k, v in error.errors.items()}) from None

    return _hr_action(
        review_id,
        lambda: ExclusionForm(prefix="exclusion"),
        run,
        _("Removed from the cycle: the review is counted nowhere until it is restored."),
        "exclusion_form",
    )


@bp.route("/reviews/<int:review_id>/restore", methods=["POST"])
@requires(can_manage_appraisals)
def restore(review_id: int):
    return _hr_action(
        review_id,
        VersionForm,
        lambda r, f: exclusions.restore_review(r, seen_version(f)),
        _("Restored to the cycle, at the step where it was."),
        "version_form",
    )


def _hr_action(review_id: int, form_class, action, message: str, form_name: str):
    review = visible_review(review_id)
    if not can_calibrate(current_user, review):
        return _not_yours(review)  # HR never acts on their own review
    form = form_class()
    if not form.validate_on_submit():
        abort(400)
    done = attempt(lambda: action(review, form), show=None)
    if done.conflict is not None:
        return render_review(visible_review(review_id), conflict=done.conflict, status=409, **{form_name: form})
    if done.error is not None:
        return render_review(
            visible_review(review_id),
            errors=done.error.errors,
            status=422,
            message=done.error.message,
            **{form_name: form},
        )
    flash(message, "success")
    return redirect(url_for("appraisals.review", review_id=review_id))


@bp.route("/reviews/<int:review_id>/calibrate", methods=["POST"])
@requires(can_manage_appraisals)
def calibrate(review_id: int):
    finalise = request.form.get("action") == "finalise"
    return _hr_action(
        review_id,
        CalibrationForm,
        lambda r, f: flow.calibrate(r, f.calibrated_band.data, f.reason.data, seen_version(f), finalise=finalise),
        _("Finalised: the review is locked and the employee can acknowledge it.")
        if finalise
        else _("Calibration saved."),
        "calibration_form",
    )


@bp.route("/reviews/<int:review_id>/reopen", methods=["POST"])
@requires(can_manage_appraisals)
def reopen(review_id: int):
    return _hr_action(
        review_id,
        ReopenForm,
        lambda r, f: flow.reopen(r, f.step.data, f.reason.data, seen_version(f)),
        _("Reopened. The reason is kept in the review's history."),
        "reopen_form",
    )


@bp.route("/reviews/<int:review_id>/reviewer", methods=["POST"])
@requires(can_manage_appraisals)
def reviewer(review_id: int):
    def run(review, form):
        number = (form.reviewer_no.data or "").strip()
        reviewer_id = db.session.scalar(select(Employee.id).where(Employee.employee_no == number)) if number else None
        if number and reviewer_id is None:
            raise ServiceError.field("reviewer_no", _("No employee has the number “%(no)s”.", no=number))
        try:
            flow.reassign_reviewer(review, reviewer_id, seen_version(form))
        except ServiceError as error:
            if "reviewer_id" in error.errors:
                raise ServiceError(error.message, {"reviewer_no": error.errors["reviewer_id"]}) from None
            raise

    return _hr_action(review_id, ReviewerForm, run, _("Reviewer changed."), "reviewer_form")


@bp.route("/reviews/<int:review_id>/acknowledge", methods=["POST"])
@requires(can_use_appraisals)
def acknowledge(review_id: int):
    review = visible_review(review_id)
    if not is_own_review(current_user, review):
        return _not_yours(review)
    form = VersionForm()
    if form.validate_on_submit():
        if attempt(lambda: flow.acknowledge(review, seen_version(form))).ok:
            flash(_("Thank you: your acknowledgement is recorded."), "success")
    return redirect(url_for("appraisals.review", review_id=review_id))


@bp.route("/reviews/<int:review_id>/form.pdf")
@requires(can_use_appraisals)
def review_pdf(review_id: int):
    """The filled-in appraisal form as a PDF, for whoever may see the review."""
    review = visible_review(review_id)
    return pdf_response(documents.review_pdf(review, requested_language(request.args.get("lang"))))
