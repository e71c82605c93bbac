"""Background tasks: the status of a task the user started, and its result file. Nobody but
the task's owner sees it (404 for everyone else)."""

from __future__ import annotations

from flask import jsonify, url_for
from flask_login import current_user

from app.api.common import ID, Blueprint, Row
from app.api.document_schemas import PDF, TaskOut
from app.auth.permissions import requires
from app.tasks import services
from app.tasks.access import can_run_tasks
from app.tasks.models import Task
from app.tasks.views import send_result

blp = Blueprint(
    "background_tasks",
    __name__,
    url_prefix="/api/v1/tasks",
    description="Background tasks: long work (e.g. a big position manual) and its progress.",
)

TASK_LOCATION = {"Location": {"description": "The background task doing the work.", "schema": {"type": "string"}}}


def task_accepted(task: Task):
    """202 with the task (committed by the caller) to follow at ``Location``."""
    response = jsonify(TaskOut().dump(task_row(task)))
    response.status_code = 202
    response.headers["Location"] = url_for("background_tasks.get_task", task_id=task.id)
    return response


def task_row(task: Task) -> Row:
    return Row(
        task,
        status_label=task.status_enum.label,
        percent=task.percent,
        result_url=url_for("background_tasks.get_result", task_id=task.id) if task.has_result else None,
    )


@blp.route(f"/<{ID}:task_id>")
@blp.response(200, TaskOut)
@requires(can_run_tasks)
def get_task(task_id: int):
    """Follow a task

    Its status (queued, running, done, failed), progress (`done` of `total` steps) and, once
    done, `result_url`.
    """
    return task_row(services.get_task(task_id, current_user))


@blp.route(f"/<{ID}:task_id>/result")
@blp.response(200, PDF, content_type="application/pdf", description="The file the task made.")
@blp.alt_response(
    200,
    schema=PDF,
    content_type="application/octet-stream",
    success=True,
    description="The file the task made, for tasks that make other kinds of files.",
)
@requires(can_run_tasks)
def get_result(task_id: int):
    """Download what a task made

    404 until the task is done.
    """
    return send_result(services.get_task(task_id, current_user))
