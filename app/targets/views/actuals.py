"""Monthly actuals of a plan in force: typed for one position at a time, or imported from an
XLSX/CSV file (a dry run listing every problem by row and column, then the same file applied).
The checked file waits in the instance folder under a name only its uploader's next request
knows, as the plan import's does."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import requires
from app.core.errors import Conflict, ServiceError
from app.core.forms import attempt
from app.core.numbers import plain
from app.core.spreadsheets import xlsx_response
from app.core.unit_of_work import rollback
from app.extensions import db
from app.org.models import Position
from app.targets import access, actuals, services
from app.targets.forms import ActualsForm, ActualsImportForm
from app.targets.models import MONTHS
from app.targets.views import bp
from app.targets.views.plans import _plan_or_404
from app.targets.views.transfer import DIGEST, held_upload, hold_upload


def _field(kpi_id: int, month: str) -> str:
    return f"a-{kpi_id}-{month}"


def _page(
    plan,
    position,
    typed=None,
    errors=None,
    status=200,
    conflict=None,
    form=None,
    checked=None,
    digest=None,
    upload=None,
):
    positions = db.session.scalars(actuals.subtree_positions(plan)).all()
    recorded = actuals.actuals_of(plan)
    counts: dict[int, int] = {}
    for position_id, _k, _m in recorded:
        counts[position_id] = counts.get(position_id, 0) + 1
    if typed is None and position is not None:
        typed = {
            _field(line.kpi_id, m): plain(recorded.get((position.id, line.kpi_id, m)))
            for line in plan.lines
            for m in MONTHS
        }
    entry_form = form or ActualsForm(version=plan.version)
    return render_template(
        "targets/actuals.html",
        plan=plan,
        position=position,
        positions=positions,
        counts=counts,
        typed=typed or {},
        errors=errors or {},
        form=entry_form,
        import_form=upload or ActualsImportForm(),
        labels=services.period_labels(plan),
        month_keys=MONTHS,
        conflict=conflict,
        checked=checked,
        digest=digest,
        field=_field,
    ), status


def _position(plan, position_id) -> Position | None:
    if not position_id:
        return None
    position = db.session.scalar(actuals.subtree_positions(plan).where(Position.id == position_id))
    if position is None:
        abort(404)
    return position


@bp.route("/plans/<int:plan_id>/actuals", methods=["GET", "POST"])
@requires(access.can_use_plans)
def plan_actuals(plan_id: int):
    """GET: the positions with what is recorded, one position's months to type. POST: save them."""
    plan = _plan_or_404(plan_id, access.can_record_actuals)
    if request.method == "GET":
        return _page(plan, _position(plan, request.args.get("position", type=int)))
    form = ActualsForm()
    if not form.validate_on_submit():
        abort(400)
    position = _position(plan, request.form.get("position_id", type=int)) or abort(404)
    typed = {
        _field(line.kpi_id, m): request.form.get(_field(line.kpi_id, m), "") for line in plan.lines for m in MONTHS
    }
    entries = [
        actuals.Entry(position.id, line.kpi_id, m, typed[_field(line.kpi_id, m)], _field(line.kpi_id, m))
        for line in plan.lines
        for m in MONTHS
    ]
    try:
        changed = actuals.save(plan, entries, current_user, form.version.data or None)
    except ServiceError as error:
        rollback()
        conflict = error if isinstance(error, Conflict) else None
        if conflict is not None:
            form.version.data = plan.version
        errors = {name.rsplit(".", 1)[0]: messages for name, messages in error.errors.items()}
        if not errors and conflict is None:
            form.form_errors.append(error.message)
        return _page(plan, position, typed, errors, 409 if conflict else 422, conflict, form)
    flash(_("%(num)d actual(s) saved.", num=changed) if changed else _("Nothing changed."), "success")
    return redirect(url_for("targets.plan_actuals", plan_id=plan.id, position=position.id))


@bp.route("/plans/<int:plan_id>/actuals.xlsx")
@requires(access.can_use_plans)
def plan_actuals_xlsx(plan_id: int):
    plan = _plan_or_404(plan_id, access.can_record_actuals)
    return xlsx_response(f"{plan.department.name}-{plan.fiscal_year}-{_('Actuals')}.xlsx", [actuals.sheet(plan)])


@bp.route("/plans/<int:plan_id>/actuals/import", methods=["POST"])
@requires(access.can_use_plans)
def plan_actuals_import(plan_id: int):
    """A dry run of an uploaded file (every problem by row and column), or the checked file applied."""
    from app.targets import spreadsheet

    plan = _plan_or_404(plan_id, access.can_record_actuals)
    form = ActualsImportForm()
    if not form.validate_on_submit():
        abort(400)
    if form.digest.data:
        if not DIGEST.fullmatch(form.digest.data) or not held_upload("actuals", plan.id, form.digest.data).exists():
            abort(404)
        path = held_upload("actuals", plan.id, form.digest.data)
        data = path.read_bytes()
        result = attempt(
            lambda: actuals.apply_file(plan, actuals.check_file(plan, *spreadsheet.read_table(data)), current_user)
        )
        if result.ok:
            path.unlink(missing_ok=True)
            flash(_("Imported %(num)d actual(s).", num=result.value), "success")
        return redirect(url_for("targets.plan_actuals", plan_id=plan.id))
    upload = form.file.data
    data = upload.read() if upload else b""
    checked, digest, status = None, None, 200
    try:
        checked = actuals.check_file(plan, *spreadsheet.read_table(data))
    except ServiceError as error:
        rollback()
        form.file.errors = list(form.file.errors) + error.errors.get("file", [error.message])
        status = 422
    if checked is not None and checked.clean:
        digest = hold_upload("actuals", plan.id, data)
    elif checked is not None:
        status = 422
    return _page(plan, None, status=status, checked=checked, digest=digest, upload=form)
