"""The owner's view of their background tasks: a list, one task with its progress bar (a small
script polls the JSON status; without it, a refresh link), and the download of its result."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_file
from flask_login import current_user

from app.auth.permissions import expose_to_templates, requires
from app.core.listing import page_of
from app.tasks import access, services
from app.tasks.access import can_run_tasks

bp = Blueprint("tasks", __name__, url_prefix="/tasks")
expose_to_templates(bp, access.TEMPLATE_GLOBALS)


@bp.route("/")
@requires(can_run_tasks)
def index():
    page = page_of(services.list_tasks(current_user))
    return render_template("tasks/index.html", page=page, kind_label=services.kind_label)


@bp.route("/<int:task_id>")
@requires(can_run_tasks)
def detail(task_id: int):
    task = services.get_task(task_id, current_user)
    return render_template("tasks/task.html", task=task, kind_label=services.kind_label, link=services.task_link(task))


@bp.route("/<int:task_id>/download")
@requires(can_run_tasks)
def download(task_id: int):
    return send_result(services.get_task(task_id, current_user))


def send_result(task):
    """The task's result file as a download (404 while there is none)."""
    path = services.result_path(task)
    if path is None:
        abort(404)
    return send_file(
        path,
        mimetype=task.result_mimetype or "application/octet-stream",
        as_attachment=True,
        download_name=task.result_name or path.name,
        max_age=0,
    )
