"""HR's follow-through of a cycle: the calibration page (bands against the guideline, the grid of
reviews where a band is changed with a reason), the payroll export of a closed cycle, and the
lists of promotion candidates and probation reviews with each employee's history."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.appraisals import charts, services
from app.appraisals.access import can_calibrate, can_manage_appraisals
from app.appraisals.forms import CalibrationForm
from app.appraisals.models import Step
from app.appraisals.services import calibration as calibrating
from app.appraisals.services import flow, followup, rewards, templates
from app.appraisals.views import bp
from app.appraisals.views._helpers import seen_version, visible_cycle, visible_review
from app.auth.permissions import requires
from app.core import clock
from app.core.errors import ServiceError
from app.core.forms import save
from app.core.listing import page_of
from app.core.spreadsheets import csv_response, xlsx_response
from app.extensions import db
from app.org import services as org_services
from app.org.views._helpers import department_arg


def _filters() -> dict:
    return {
        "department": department_arg(),
        "band": request.args.get("band", "")[:10],
        "search": request.args.get("q", "").strip()[:100],
    }


def _back(cycle_id: int) -> str:
    """The calibration page as the user left it (department, band, search, page)."""
    keep = {k: request.args[k] for k in ("department", "band", "q", "page") if request.args.get(k)}
    return url_for("appraisals.calibration", cycle_id=cycle_id, **keep)


@bp.route("/cycles/<int:cycle_id>/calibration")
@requires(can_manage_appraisals)
def calibration(cycle_id: int):
    return render_calibration(cycle_id)


def render_calibration(
    cycle_id: int, sent: CalibrationForm | None = None, sent_for: int | None = None, conflict=None, status: int = 200
):
    """The page; with the form HR sent for one review (kept, with its errors) when it was refused."""
    cycle = visible_cycle(cycle_id)
    filters = _filters()
    settings = templates.cycle_settings(cycle)
    spread = calibrating.distribution(cycle, None, filters["department"])
    page = page_of(calibrating.grid(cycle, None, filters["department"], filters["band"], filters["search"]))
    rows = list(page.items)
    if sent_for is not None and all(r.id != sent_for for r in rows):
        rows.insert(0, visible_review(sent_for))  # refused: its row is shown, with the input, wherever it is
    chart = charts.bar_chart(
        [(b.band, b.count) for b in spread.bands],
        _("Band distribution"),
        charts.BAND_COLOURS,
        label="calibration-bands",
    )
    return render_template(
        "appraisals/calibration.html",
        cycle=cycle,
        settings=settings,
        spread=spread,
        page=page,
        rows=rows,
        chart=chart,
        filters=filters,
        sent=sent,
        sent_for=sent_for,
        conflict=conflict,
        Step=Step,
        band_choices=[b["band"] for b in settings["bands"]],
        department_choices=org_services.department_choices(),
        form=CalibrationForm(),
    ), status


@bp.route("/cycles/<int:cycle_id>/calibration/<int:review_id>", methods=["POST"])
@requires(can_manage_appraisals)
def calibration_save(cycle_id: int, review_id: int):
    """Change one review's band from the grid (with a reason): the same operation as on the
    review's page, back to the grid as it was."""
    review = visible_review(review_id)
    if review.cycle_id != cycle_id or not can_calibrate(current_user, review):
        flash(_("You cannot calibrate this review (your own, or not in this cycle)."), "danger")
        return redirect(_back(cycle_id))
    form = CalibrationForm()
    if not form.validate_on_submit():
        return render_calibration(cycle_id, form, review_id, status=400)
    saved = save(
        form,
        lambda: flow.calibrate(review, form.calibrated_band.data or None, form.reason.data, seen_version(form)),
        review,
    )
    if not saved.ok:
        return render_calibration(cycle_id, form, review_id, saved.conflict, saved.status)
    flash(_("Calibration of %(name)s saved.", name=review.employee.name), "success")
    return redirect(_back(cycle_id))


@bp.route("/cycles/<int:cycle_id>/rewards.<any(xlsx, csv):fmt>")
@requires(can_manage_appraisals)
def rewards_export(cycle_id: int, fmt: str):
    cycle = visible_cycle(cycle_id)
    department = department_arg()
    try:
        sheet = rewards.reward_sheet(cycle, department)
    except ServiceError as error:
        flash(error.message, "warning")
        return redirect(url_for("appraisals.cycle", cycle_id=cycle_id))
    label = _("rewards")
    name = f"{cycle.name}-{label}{'-' + department.name if department else ''}-{clock.today().isoformat()}.{fmt}"
    return xlsx_response(name, [sheet]) if fmt == "xlsx" else csv_response(name, sheet)


@bp.route("/follow-up")
@requires(can_manage_appraisals)
def follow_up():
    kind = request.args.get("list", "promotion")
    kind = kind if kind in followup.LISTS else "promotion"
    try:
        cycle_id = int(request.args.get("cycle", "")) if request.args.get("cycle") else None
    except ValueError:
        cycle_id = None
    page = page_of(followup.follow_up(kind, None, cycle_id))
    history = followup.histories(sorted({r.employee_id for r in page.items}))
    return render_template(
        "appraisals/follow_up.html",
        kind=kind,
        page=page,
        history=history,
        cycle_id=cycle_id,
        cycles=db.session.scalars(services.list_cycles()).all(),
    )
