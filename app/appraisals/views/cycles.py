"""Cycles: the list, create and edit, launch, close, delete, recompute. A cycle's own page is its
results page (app/appraisals/views/results.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.appraisals import services, tasks
from app.appraisals.access import can_manage_appraisals, can_view_cycles, review_scope
from app.appraisals.fields import CYCLE
from app.appraisals.forms import CycleForm, ExclusionForm, LaunchForm, VersionForm
from app.appraisals.models import CycleStatus
from app.appraisals.services import exclusions, launch
from app.appraisals.services.recompute import recompute_cycle
from app.appraisals.views import bp
from app.appraisals.views._helpers import flash_errors, seen_version
from app.auth.permissions import requires
from app.core.declared_forms import form_values
from app.core.errors import ServiceError
from app.core.forms import attempt, save
from app.core.listing import page_of
from app.extensions import db
from app.org import services as org_services
from app.org.models import Employee
from app.tasks.models import Task


@bp.route("/cycles")
@requires(can_view_cycles)
def cycles():
    status = request.args.get("status", "")
    status = status if status in CycleStatus.values() else ""
    cycles = services.list_cycles(status, review_scope(current_user))
    page = page_of(cycles)
    return render_template("appraisals/cycles.html", page=page, status=status)


def _cycle_form(cycle=None) -> CycleForm:
    form = CycleForm(obj=cycle)
    form.template_id.choices = [(str(t.id), t.name) for t in db.session.scalars(services.list_templates())] or [
        ("", _("Standard (created with the first cycle)"))
    ]
    form.department_ids.choices = [(str(i), label) for i, label in org_services.department_choices()]
    if cycle is not None and request.method == "GET":
        form.department_ids.data = [d.id for d in cycle.departments]
        form.version.data = cycle.version
    return form


def _data(form: CycleForm) -> services.CycleData:
    return services.CycleData(**form_values(form, CYCLE))


@bp.route("/cycles/new", methods=["GET", "POST"])
@bp.route("/cycles/<int:cycle_id>/edit", methods=["GET", "POST"])
@requires(can_manage_appraisals)
def cycle_form(cycle_id: int | None = None):
    cycle = services.get_cycle(cycle_id) if cycle_id else None
    form = _cycle_form(cycle)
    conflict, status = None, 200
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            if cycle is None:
                saved = save(form, lambda: services.create_cycle(_data(form)))
            else:
                saved = save(form, lambda: services.update_cycle(cycle, _data(form), seen_version(form)), cycle)
            if saved.ok:
                cycle = saved.value or cycle
                flash(_("Cycle “%(name)s” saved.", name=cycle.name), "success")
                return redirect(url_for("appraisals.cycle", cycle_id=cycle.id))
            conflict, status = saved.conflict, saved.status
    return render_template("appraisals/cycle_form.html", form=form, cycle=cycle, conflict=conflict), status


def _action(cycle_id: int, action, message):
    cycle = services.get_cycle(cycle_id)
    form = VersionForm()
    if form.validate_on_submit():
        done = attempt(lambda: action(cycle, form), flash_errors)
        if done.ok:
            result = done.value
            flash(message(result) if callable(message) else message, "success")
            if result == "deleted":
                return redirect(url_for("appraisals.cycles"))
    return redirect(url_for("appraisals.cycle", cycle_id=cycle_id))


@bp.route("/cycles/<int:cycle_id>/launch", methods=["POST"])
@requires(can_manage_appraisals)
def cycle_launch(cycle_id: int):
    """Launch now, or (more than launch.BACKGROUND_ABOVE reviews) as a background task whose
    page shows the progress."""
    cycle = services.get_cycle(cycle_id)
    form = LaunchForm()
    if not form.validate_on_submit():
        return redirect(url_for("appraisals.cycle", cycle_id=cycle_id))
    done = attempt(
        lambda: tasks.launch_or_enqueue(
            cycle, current_user, seen_version(form), confirm_overlap=bool(form.confirm_overlap.data)
        ),
        show=None,
    )
    if isinstance(done.error, launch.Overlap):
        flash(done.error.message, "danger")
        return redirect(url_for("appraisals.cycle", cycle_id=cycle_id, overlap=1))
    if done.error is not None:
        flash_errors(done.error)
        return redirect(url_for("appraisals.cycle", cycle_id=cycle_id))
    result = done.value
    if isinstance(result, Task):
        flash(_("The cycle is being launched in the background: follow the progress here."), "info")
        return redirect(url_for("tasks.detail", task_id=result.id))
    flash(
        _(
            "Launched: %(created)d review(s) created (%(existing)d already there), %(no_jd)d without a published "
            "job description, %(no_reviewer)d without a reviewer.",
            created=result.created,
            existing=result.existing,
            no_jd=result.without_jd,
            no_reviewer=result.without_reviewer,
        ),
        "success",
    )
    if result.excluded:
        flash(
            _(
                "%(num)d of them excluded, as decided before the launch: counted nowhere, listed at the bottom of "
                "this page.",
                num=result.excluded,
            ),
            "info",
        )
    if result.stalled:
        flash(
            _(
                "%(num)d review(s) of this cycle cannot move as things stand: they are listed on this page, each "
                "with the reason and what fixes it.",
                num=result.stalled,
            ),
            "warning",
        )
    return redirect(url_for("appraisals.cycle", cycle_id=cycle_id))


@bp.route("/cycles/<int:cycle_id>/close", methods=["POST"])
@requires(can_manage_appraisals)
def cycle_close(cycle_id: int):
    return _action(cycle_id, lambda c, f: services.close_cycle(c, seen_version(f)), _("Cycle closed."))


@bp.route("/cycles/<int:cycle_id>/delete", methods=["POST"])
@requires(can_manage_appraisals)
def cycle_delete(cycle_id: int):
    def run(cycle, form):
        services.delete_cycle(cycle)
        return "deleted"

    return _action(cycle_id, run, _("Cycle deleted."))


@bp.route("/cycles/<int:cycle_id>/recompute", methods=["POST"])
@requires(can_manage_appraisals)
def cycle_recompute(cycle_id: int):
    return _action(
        cycle_id,
        lambda c, f: recompute_cycle(c),
        lambda r: _(
            "Scores recomputed: %(num)d of the %(checked)d review(s) in progress changed; "
            "%(final)d finalised review(s) are locked and were left as they are.",
            num=r.changed,
            checked=r.checked,
            final=r.skipped_finalised,
        ),
    )


@bp.route("/cycles/<int:cycle_id>/exclusions", methods=["POST"])
@requires(can_manage_appraisals)
def cycle_exclude(cycle_id: int):
    """Before the launch: leave an employee (by number) out of the cycle, with a reason."""
    from app.appraisals.views.results import render_cycle

    cycle = services.get_cycle(cycle_id)
    form = ExclusionForm()
    if form.validate_on_submit():
        number = (form.employee_no.data or "").strip()
        employee = db.session.scalar(select(Employee).where(Employee.employee_no == number)) if number else None

        def exclude():
            if employee is None:
                raise ServiceError.field(
                    "employee_no",
                    _("No employee has the number “%(no)s”.", no=number) if number else _("Enter an employee number."),
                )
            exclusions.exclude_employee(cycle, employee.id, form.reason.data, form.comment.data, seen_version(form))

        error = attempt(exclude).error
        if error is not None:
            errors = {("employee_no" if k == "employee_id" else k): v for k, v in error.errors.items()}
            return render_cycle(cycle_id, exclusion_form=form, exclusion_errors=errors), error.status
        flash(_("%(name)s is excluded from the cycle.", name=employee.name), "success")
    return redirect(url_for("appraisals.cycle", cycle_id=cycle_id))


@bp.route("/cycles/<int:cycle_id>/exclusions/<int:exclusion_id>/delete", methods=["POST"])
@requires(can_manage_appraisals)
def cycle_exclusion_cancel(cycle_id: int, exclusion_id: int):
    def run(cycle, form):
        exclusions.cancel_exclusion(exclusions.get_exclusion(cycle, exclusion_id))

    return _action(cycle_id, run, _("The employee is in the cycle again."))
