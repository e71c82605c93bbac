"""Printing from the pages: a version's job description (or a position's, the one in force), a
position's blank appraisal form, and position manuals (a page to choose the department and
language; small manuals download at once, big ones become a background task with a progress bar).

Who may print what: a job description, whoever may open that version (holders see the version
in force of their posts, managers their subtree's, HR everything); an appraisal form, whoever
sees the position's job description; a department's manual, HR and admins, and managers whose
reporting subtree holds every position of that department's subtree; the company's manual, HR
and admins."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.forms import ConfirmForm
from app.auth.permissions import expose_to_templates, requires
from app.core.urls import parse_id
from app.documents import access, services
from app.documents.access import can_print_company_manual, can_print_manuals, printable_department_ids
from app.documents.responses import (
    docx_response,
    job_description_or_task,
    manual_department,
    manual_or_task,
    pdf_response,
    requested_language,
)
from app.extensions import db
from app.jobs import services as jobs
from app.jobs.access import can_use_job_descriptions, can_view_version
from app.jobs.lookups import visible_position, visible_version
from app.org import services as org_services
from app.targets.access import can_use_plans

bp = Blueprint("documents", __name__, url_prefix="/documents")
expose_to_templates(bp, access.TEMPLATE_GLOBALS)


@bp.route("/versions/<int:version_id>/job-description.pdf")
@requires(can_use_job_descriptions)
def job_description(version_id: int):
    version = services.printable_version(version_id)  # the content only if it is printed now
    if not can_view_version(current_user, version):
        abort(404)
    return _job_description(version)


def _job_description(version):
    """The PDF, or the page of the task that makes it when it is too long to make now."""
    pdf, task = job_description_or_task(version, requested_language())
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


@bp.route("/versions/<int:version_id>/job-description.docx")
@requires(can_use_job_descriptions)
def job_description_docx(version_id: int):
    """The same version as a Word document, for HR to edit and circulate (same access as the PDF)."""
    version = visible_version(version_id)
    return docx_response(services.job_description_docx(version, requested_language()))


@bp.route("/positions/<int:position_id>/job-description.pdf")
@requires(can_use_job_descriptions)
def position_job_description(position_id: int):
    """The job description in force of a position (the link of the position's page); without
    one, the position's job-description page says so."""
    position = visible_position(position_id)
    current = jobs.current_version(position.id)  # its content only if it is printed now
    if current is None:
        flash(_("This position has no job description in force."), "warning")
        return redirect(url_for("jobs.position", position_id=position.id))
    return _job_description(current)


@bp.route("/positions/<int:position_id>/job-description.docx")
@requires(can_use_job_descriptions)
def position_job_description_docx(position_id: int):
    """The job description in force of a position as a Word document (the organisation's
    position page); without one, the position's job-description page says so."""
    position = visible_position(position_id)
    current = jobs.current_version(position.id, full=True)
    if current is None:
        flash(_("This position has no job description in force."), "warning")
        return redirect(url_for("jobs.position", position_id=position.id))
    return docx_response(services.job_description_docx(current, requested_language()))


@bp.route("/positions/<int:position_id>/appraisal-form.pdf")
@requires(can_use_job_descriptions)
def appraisal_form(position_id: int):
    position = visible_position(position_id)
    return pdf_response(services.appraisal_form_pdf(position, requested_language(), request.args.get("period") or None))


# --- target plans' scorecards (app.documents.scorecard) ----------------------------------------


def _scorecard_plan(plan_id: int):
    from app.targets import access as targets_access
    from app.targets import services as targets

    plan = targets.get_plan(plan_id)
    if not targets_access.can_view_plan(current_user, plan):
        abort(404)
    return plan


@bp.route("/target-plans/<int:plan_id>/scorecard")
@requires(can_use_plans)
def target_scorecard(plan_id: int):
    """A department's scorecard: the plan's targets against the actuals of its reviews."""
    from app.documents.scorecard import scorecard

    plan = _scorecard_plan(plan_id)
    return render_template("documents/scorecard.html", plan=plan, card=scorecard(plan))


@bp.route("/target-plans/<int:plan_id>/scorecard.pdf")
@requires(can_use_plans)
def target_scorecard_pdf(plan_id: int):
    from app.documents.scorecard import scorecard_pdf

    return pdf_response(scorecard_pdf(_scorecard_plan(plan_id), requested_language()))


# --- position manuals ---------------------------------------------------------------------------


@bp.route("/manual", methods=["GET", "POST"])
@requires(can_print_manuals)
def manual():
    """GET: choose what to print. POST: the manual as a download, or a task's progress page."""
    if request.method == "POST":
        if not ConfirmForm().validate_on_submit():
            abort(400)
        chosen = request.form.get("department", "").strip()
        department_id = parse_id(chosen)  # ids come checked: from 1 to MAX_ID, else None
        if chosen and department_id is None:
            abort(404)
        department = manual_department(department_id)
        pdf, task = manual_or_task(department, requested_language(request.form.get("lang", "")))
        if task is None:
            return pdf_response(pdf)
        flash(
            _(
                "The manual is being prepared: it has %(num)d positions. You can leave this page and come back "
                "from “My tasks”.",
                num=services.manual_size(department),
            ),
            "info",
        )
        return redirect(url_for("tasks.detail", task_id=task.id), code=303)
    departments = db.session.scalars(org_services.list_departments()).all()
    printable = printable_department_ids(current_user, departments)
    return render_template(
        "documents/manual.html",
        departments=[d for d in departments if d.id in printable],
        company=can_print_company_manual(current_user),
        form=ConfirmForm(),
        selected=parse_id(request.args.get("department")),
        sync_max=services.manual_sync_max_positions(),
    )
