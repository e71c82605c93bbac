"""Duty coverage pages: confirming a version's links from duties to its department's functions
(one screen, with suggestions), and the department's coverage matrix as a spreadsheet. The
matrix itself shows on the department page (``coverage_of``, a template global)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import requires
from app.core import clock
from app.core.forms import attempt
from app.core.spreadsheets import xlsx_response
from app.jobs import coverage
from app.jobs.access import can_link_duties, can_use_coverage, can_use_job_descriptions, can_view_coverage
from app.jobs.forms import WorkflowForm
from app.jobs.services.drafting import department_functions
from app.jobs.views import bp
from app.jobs.views._helpers import seen_version, visible_version
from app.org import services as org_services


def coverage_of(department):
    """The coverage matrix of ``department`` for its page, or None when the user may not see it."""
    if not can_view_coverage(current_user, department):
        return None
    return coverage.department_matrix(department)


bp.record_once(lambda state: state.app.jinja_env.globals.update(coverage_of=coverage_of))


def _posted_links(version) -> list[tuple[int, list[int]]]:
    """[(duty id, [function ids])] of the form: every duty of the version, ticked boxes or none."""
    links = []
    for duty in version.duties:
        ids = []
        for raw in request.form.getlist(f"links-{duty.id}"):
            try:
                ids.append(int(raw))
            except ValueError:
                ids.append(-1)  # refused by the service, named at the duty
        links.append((duty.id, ids))
    return links


@bp.route("/versions/<int:version_id>/links", methods=["GET", "POST"])
@requires(can_use_job_descriptions)
def links(version_id: int):
    version = visible_version(version_id)
    editable = can_link_duties(current_user, version)
    if request.method == "POST" and not editable:
        abort(403)
    functions = list(department_functions(version.position).values())
    functions.sort(key=lambda f: f.position)
    form = WorkflowForm()
    suggestions = coverage.version_suggestions(version) if editable else {}
    errors: dict[str, list[str]] = {}
    status = 200
    chosen = {duty.id: [link.function_id for link in duty.function_links] for duty in version.duties}
    if request.method == "GET":
        form.version.data = version.version
        if editable and request.args.get("suggest") == "1":  # tick the suggestions of unlinked duties
            for duty_id, found in suggestions.items():
                if not chosen.get(duty_id) and found:
                    chosen[duty_id] = [found[0][0]]
    elif form.validate_on_submit():
        posted = _posted_links(version)
        done = attempt(lambda: coverage.save_links(version, posted, current_user, seen_version(form)), show=None)
        if done.ok:
            flash(_("Links saved."), "success")
            return redirect(url_for("jobs.links", version_id=version.id))
        chosen = dict(posted)
        if done.conflict:
            form.version.data = version.version
        for i, (duty_id, _ids) in enumerate(posted):
            if f"duties.{i}.functions" in done.error.errors:
                errors[f"duty-{duty_id}"] = done.error.errors[f"duties.{i}.functions"]
        flash(done.error.message, "danger")
        status = done.status
    else:
        flash(_("The form has expired: reload the page and try again."), "danger")
        status = 400
    return render_template(
        "jobs/links.html",
        version=version,
        position=version.position,
        functions=functions,
        chosen=chosen,
        suggestions=suggestions,
        editable=editable,
        form=form,
        errors=errors,
        function_labels={f.id: f.label for f in functions},
    ), status


@bp.route("/departments/<int:department_id>/coverage.xlsx")
@requires(can_use_coverage)
def coverage_xlsx(department_id: int):
    department = org_services.get_department(department_id)
    if not can_view_coverage(current_user, department):
        abort(404)
    matrix = coverage.department_matrix(department)
    return xlsx_response(
        f"{department.name}-{_('Coverage')}-{clock.today().isoformat()}.xlsx", coverage.matrix_sheets(matrix)
    )
