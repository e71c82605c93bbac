"""A cycle's page: completion, band distribution and score histogram, the departments, and the
sortable, filterable table of its reviews; exports; an employee's history across cycles."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func

from app.appraisals import charts, services
from app.appraisals.access import (
    can_manage_appraisals,
    can_use_appraisals,
    can_view_appraisal_history,
    can_view_cycles,
    review_scope,
)
from app.appraisals.forms import ExclusionForm, LaunchForm, VersionForm
from app.appraisals.models import Review, Step
from app.appraisals.services import exclusions, results, reviewers
from app.appraisals.views import bp
from app.appraisals.views._helpers import visible_cycle
from app.auth.permissions import requires
from app.core import clock
from app.core.listing import page_of, sort_query
from app.core.spreadsheets import csv_response, xlsx_response
from app.documents.responses import pdf_response, requested_language, results_or_task
from app.extensions import db
from app.org import services as org_services
from app.org.models import Employee
from app.org.services import views_cache
from app.org.views._helpers import department_arg

SORTS = {
    "employee_no": Employee.employee_no,
    "name": Employee.name,
    "status": Review.status,
    "final_score": Review.final_score,
    "kpi_score": Review.kpi_score,
    "competency_score": Review.competency_score,
    "band": func.coalesce(Review.calibrated_band, Review.band),
}  # the band shown: calibrated, else computed


def _filters() -> dict:
    status = request.args.get("status", "")
    return {
        "status": status if status in Step.values() else "",
        "band": request.args.get("band", "")[:10],
        "search": request.args.get("q", "").strip()[:100],
        "department": department_arg(),
    }


@bp.route("/cycles/<int:cycle_id>")
@requires(can_view_cycles)
def cycle(cycle_id: int):
    return render_cycle(cycle_id)


def render_cycle(cycle_id: int, exclusion_form=None, exclusion_errors=None):
    """The cycle's page; with the exclusion form the user sent (kept, with its errors)."""
    cycle = visible_cycle(cycle_id)
    scope = review_scope(current_user)
    filters = _filters()
    overdue_only = request.args.get("overdue") == "1"
    hr = can_manage_appraisals(current_user)
    stalled_only = hr and request.args.get("stalled") == "1"
    # The cycle's counts (over all its reviews) until the data changes: the page then costs what it shows.
    department_id = filters["department"].id if filters["department"] is not None else None

    def whole_cycle():
        counts = results.review_counts(cycle, scope, filters["department"])
        return (
            results.summary(cycle, scope, filters["department"], counts=counts),
            results.by_department(cycle, scope, filters["department"], counts=counts),
            reviewers.stalled_reviews(cycle.id) if hr and not cycle.is_draft else None,
        )

    summary, departments, stalled = views_cache.cached(
        "cycle page", (cycle.id, current_user.id, department_id, hr), whole_cycle
    )
    unscored_only = request.args.get("unscored") == "1"
    query = services.list_reviews(
        cycle.id,
        scope,
        filters["status"],
        filters["band"],
        filters["search"],
        filters["department"],
        overdue_on=clock.today() if overdue_only else None,
        stalled=stalled_only,
        unscored=unscored_only,
    )
    query, sort = sort_query(query, request.args.get("sort"), SORTS, "employee_no")
    page = page_of(query)
    settings = services.cycle_settings(cycle)
    steps = [(step.label, summary.by_step[step.value], charts.STEP_COLOURS[step.value]) for step in Step]
    return render_template(
        "appraisals/cycle.html",
        cycle=cycle,
        page=page,
        sort=sort,
        summary=summary,
        settings=settings,
        filters=filters,
        overdue_only=overdue_only,
        stalled_only=stalled_only,
        stalled=stalled,
        departments=departments,
        progress_chart=charts.stacked_bar(steps, _("Reviews by step")),
        band_chart=charts.bar_chart(summary.bands, _("Band distribution"), charts.BAND_COLOURS, label="bands"),
        histogram_chart=charts.bar_chart(summary.histogram, _("Final scores"), label="histogram", width=560),
        department_choices=org_services.department_choices(),
        version_form=VersionForm(),
        unscored_only=unscored_only,
        launch_form=LaunchForm(),
        exclusion_form=exclusion_form or ExclusionForm(),
        exclusion_errors=exclusion_errors or {},
        overlap=hr and request.args.get("overlap") == "1",
        exclusions=exclusions.list_exclusions(cycle) if hr and cycle.is_draft else [],
        excluded=db.session.scalars(exclusions.excluded_reviews(cycle, scope)).all() if not cycle.is_draft else [],
        is_overdue=services.is_overdue,
        targets_period=services.targets_period_label(cycle),
    )


@bp.route("/cycles/<int:cycle_id>/export.<any(xlsx, csv):fmt>")
@requires(can_view_cycles)
def cycle_export(cycle_id: int, fmt: str):
    cycle = visible_cycle(cycle_id)
    department = department_arg()
    sheet = results.export_sheet(cycle, review_scope(current_user), department)
    name = f"{cycle.name}{'-' + department.name if department else ''}-{clock.today().isoformat()}.{fmt}"
    return xlsx_response(name, [sheet]) if fmt == "xlsx" else csv_response(name, sheet)


@bp.route("/employees/<int:employee_id>/history")
@requires(can_use_appraisals)  # and the object check: their own history, their team's, everyone's for HR
def history(employee_id: int):
    employee = org_services.get_employee(employee_id)
    if not can_view_appraisal_history(current_user, employee):
        abort(404)
    reviews = results.employee_history(employee.id, review_scope(current_user))
    guides = []
    if reviews:
        bands = services.cycle_settings(reviews[-1].cycle)["bands"]
        guides = [(b["band"], float(b["min"])) for b in bands if b["min"]]
    # The trend of results: a review in progress has only a provisional score (a gap here).
    chart = charts.line_chart(
        [(r.cycle.name, r.final_score if r.is_finalised else None) for r in reviews],
        _("Final score by cycle (finalised reviews)"),
        guides=guides,
    )
    return render_template("appraisals/history.html", employee=employee, reviews=reviews, chart=chart)


@bp.route("/cycles/<int:cycle_id>/results.pdf")
@requires(can_view_cycles)
def cycle_results_pdf(cycle_id: int):
    """The results as a printable PDF: the department chosen (with its sub-departments) or every
    review the user may see; a long one (not cached) is made by a background task, whose page
    this redirects to."""
    cycle = visible_cycle(cycle_id)
    pdf, task = results_or_task(cycle, department_arg(), requested_language(request.args.get("lang")))
    if task is None:
        return pdf_response(pdf)
    flash(
        _(
            "This PDF is long: it is being prepared in the background. You can leave this page and come back "
            "from “My tasks”."
        ),
        "info",
    )
    return redirect(url_for("tasks.detail", task_id=task.id), code=303)
