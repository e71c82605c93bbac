"""Improvement plans: the list (what the user may see), a plan's page where its owner or HR
fills it in, records check-ins and closes it, and its printable PDF with the signatures."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.appraisals.access import can_edit_plan, can_use_appraisals, can_view_plan, plan_scope
from app.appraisals.forms import CheckInForm, ClosePlanForm, PlanForm
from app.appraisals.models import PlanStatus
from app.appraisals.services import improvement
from app.appraisals.views import bp
from app.appraisals.views._helpers import seen_version
from app.auth.permissions import requires
from app.core import clock
from app.core.errors import ServiceError
from app.core.forms import save
from app.core.listing import page_of
from app.documents import services as documents
from app.documents.responses import pdf_response, requested_language
from app.extensions import db
from app.org.models import Employee


def visible_plan(plan_id: int):
    plan = improvement.get_plan(plan_id)
    if not can_view_plan(current_user, plan):
        abort(404)
    return plan


def _editable(plan_id: int):
    plan = visible_plan(plan_id)
    if not can_edit_plan(current_user, plan):
        abort(403)
    return plan


@bp.route("/plans")
@requires(can_use_appraisals)
def plans():
    status = request.args.get("status", "running")
    page = page_of(improvement.list_plans(plan_scope(current_user), status))
    return render_template(
        "appraisals/plans.html", page=page, status=status, PlanStatus=PlanStatus, today=clock.today()
    )


def _plan_form(plan) -> PlanForm:
    form = PlanForm()
    if request.method == "GET" or not form.is_submitted():
        form.version.data = plan.version
        form.objectives.data, form.support.data = plan.objectives, plan.support
        form.owner_no.data = plan.owner.employee_no if plan.owner else ""
        form.start_date.data, form.end_date.data = plan.start_date, plan.end_date
        form.checkin_dates.data = ", ".join(plan.checkin_dates or [])
    return form


def render_plan(plan_id: int, status: int = 200, conflict=None, **forms):
    plan = visible_plan(plan_id)
    checkin = forms.get("checkin_form") or CheckInForm(formdata=None, on=clock.today())
    if "checkin_form" not in forms:
        checkin.version.data = plan.version
    closing = forms.get("close_form") or ClosePlanForm(formdata=None)
    if "close_form" not in forms:
        closing.version.data = plan.version
    return render_template(
        "appraisals/plan.html",
        plan=plan,
        form=forms.get("plan_form") or _plan_form(plan),
        checkin_form=checkin,
        close_form=closing,
        conflict=conflict,
        editable=can_edit_plan(current_user, plan) and not plan.is_closed,
        today=clock.today(),
    ), status


@bp.route("/plans/<int:plan_id>")
@requires(can_use_appraisals)
def plan(plan_id: int):
    return render_plan(plan_id)


def _owner_id(form: PlanForm) -> int | None:
    number = (form.owner_no.data or "").strip()
    if not number:
        return None
    owner = db.session.scalar(select(Employee.id).where(Employee.employee_no == number))
    if owner is None:
        raise ServiceError(
            _("No employee has the number %(no)s.", no=number),
            {"owner_no": [_("No employee has the number %(no)s.", no=number)]},
        )
    return owner


@bp.route("/plans/<int:plan_id>", methods=["POST"])
@requires(can_use_appraisals)
def plan_save(plan_id: int):
    plan = _editable(plan_id)
    form = PlanForm()
    if not form.validate_on_submit():
        return render_plan(plan_id, 422, plan_form=form)
    dates = form.dates()
    if dates is None:
        return render_plan(plan_id, 422, plan_form=form)
    saved = save(
        form,
        lambda: improvement.update_plan(
            plan,
            improvement.PlanData(
                objectives=form.objectives.data,
                support=form.support.data,
                start_date=form.start_date.data,
                end_date=form.end_date.data,
                checkin_dates=dates,
                owner_id=_owner_id(form),
            ),
            seen_version(form),
        ),
        plan,
    )
    if not saved.ok:
        return render_plan(plan_id, saved.status, saved.conflict, plan_form=form)
    flash(_("Improvement plan saved."), "success")
    return redirect(url_for("appraisals.plan", plan_id=plan_id))


@bp.route("/plans/<int:plan_id>/check-ins", methods=["POST"])
@requires(can_use_appraisals)
def plan_checkin(plan_id: int):
    plan = _editable(plan_id)
    form = CheckInForm()
    if not form.validate_on_submit():
        return render_plan(plan_id, 422, checkin_form=form)
    saved = save(form, lambda: improvement.add_checkin(plan, form.on.data, form.comment.data, seen_version(form)), plan)
    if not saved.ok:
        return render_plan(plan_id, saved.status, saved.conflict, checkin_form=form)
    flash(_("Check-in recorded."), "success")
    return redirect(url_for("appraisals.plan", plan_id=plan_id))


@bp.route("/plans/<int:plan_id>/close", methods=["POST"])
@requires(can_use_appraisals)
def plan_close(plan_id: int):
    plan = _editable(plan_id)
    form = ClosePlanForm()
    if not form.validate_on_submit():
        return render_plan(plan_id, 422, close_form=form)
    saved = save(
        form,
        lambda: improvement.close_plan(
            plan, form.result.data, form.comment.data, seen_version(form), form.new_end.data
        ),
        plan,
    )
    if not saved.ok:
        return render_plan(plan_id, saved.status, saved.conflict, close_form=form)
    flash(
        _("The plan is extended.") if plan.status == PlanStatus.EXTENDED.value else _("The plan is closed."), "success"
    )
    return redirect(url_for("appraisals.plan", plan_id=plan_id))


@bp.route("/plans/<int:plan_id>.pdf")
@requires(can_use_appraisals)
def plan_pdf(plan_id: int):
    plan = visible_plan(plan_id)
    return pdf_response(documents.improvement_plan_pdf(plan, requested_language()))
