"""Background tasks: the generic API that any domain uses for long work.

    from app.tasks import services as tasks

    @tasks.handler("manual", _l("Position manual"))
    def make_manual(params: dict, owner) -> tasks.Result | None:
        ...
        tasks.report_progress(done, total)       # as often as convenient; written twice a second at most
        return tasks.Result(path_or_bytes, "manual.pdf", "application/pdf")

    task = tasks.enqueue("manual", {"department_id": 3, "lang": "zh_CN"}, current_user)
    db.session.commit()                          # the task reaches the queue once this commit succeeds

``enqueue`` flushes like any service; the caller commits once, and only then is the task handed
to the queue (huey: a SQLite file by default, Redis in production; see ``app.tasks.queue``), so
a worker never sees a task whose row is not committed, and a rolled-back request queues nothing.
The same owner asking again for the same work while it is waiting or running gets that task.

A consumer runs ``run(task_id)``: the handler gets the task's params and its owner, runs in the
owner's language, and its database work is committed when it returns (rolled back if it raises);
its result file is kept under the instance folder for ``TASK_RESULT_DAYS``. Progress, status and
errors are written on their own short transactions, so the pages see them at once whatever the
handler's own transaction holds.
"""

from __future__ import annotations

import contextvars
import logging
import os
import secrets
import shutil
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import event, select, update

from app.audit.services import acting_as
from app.core.errors import NotFound, ServiceError
from app.core.unit_of_work import unit_of_work
from app.db import utcnow
from app.extensions import db
from app.tasks import signals
from app.tasks.models import FINISHED, Task, TaskStatus

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.5  # seconds between two progress writes of one task
HEARTBEAT_SECONDS = 10  # a consumer's process writes "still running" on its tasks this often
STALE_AFTER = timedelta(seconds=60)  # a running task without a heartbeat for this long was interrupted
REQUEUE_AFTER = timedelta(seconds=30)  # a task still waiting after this, with the queue empty, is sent again
_PENDING = "rolebook_tasks_to_send"


@dataclass(frozen=True)
class Result:
    """What a handler produced: the bytes, or a file to copy, and how to offer it for download."""

    content: bytes | Path
    filename: str
    mimetype: str = "application/octet-stream"


@dataclass(frozen=True)
class Handler:
    kind: str
    run: Callable[[dict, object], Result | None]
    label: object  # a (lazy) translated name of the kind of work, for lists
    link: Callable[[dict], str] | None = None  # the page the work is about, from the params


HANDLERS: dict[str, Handler] = {}


def handler(kind: str, label, link: Callable[[dict], str] | None = None) -> Callable:
    """Register ``func(params, owner) -> Result | None`` as the handler of ``kind``; ``link(params)``
    gives the page the work is about (shown on the task's page), for work that makes no file."""

    def decorator(func):
        HANDLERS[kind] = Handler(kind, func, label, link)
        return func

    return decorator


def kind_label(kind: str) -> str:
    found = HANDLERS.get(kind)
    return str(found.label) if found else kind


def task_link(task: Task) -> str | None:
    """The page the task's work is about, when its handler names one."""
    found = HANDLERS.get(task.kind)
    return found.link(task.params or {}) if found is not None and found.link is not None else None


# --- queueing ---------------------------------------------------------------------------------


def enqueue(kind: str, params: dict, owner, title: str = "") -> Task:
    """A new task (or the owner's identical one still waiting or running); queued on commit."""
    if kind not in HANDLERS:
        raise ValueError(f"no handler for tasks of kind {kind!r}")
    _mark_stale()
    for task in db.session.scalars(
        select(Task)
        .where(Task.owner_id == owner.id, Task.kind == kind, Task.status.not_in(FINISHED))
        .order_by(Task.id.desc())
    ):
        if task.params == params:
            return task
    now = utcnow()
    task = Task(
        kind=kind,
        params=params,
        owner_id=owner.id,
        title=title[:200],
        status=TaskStatus.QUEUED.value,
        created_at=now,
        updated_at=now,
    )
    db.session.add(task)
    db.session.flush()
    db.session.info.setdefault(_PENDING, []).append(task.id)
    return task


def _send_pending(session) -> None:
    """After a commit: hand the tasks it created to the queue."""
    task_ids = session.info.pop(_PENDING, None)
    if not task_ids:
        return
    from app.tasks.queue import task_queue

    for task_id in task_ids:
        try:
            task_queue().send(task_id)
        except Exception:  # the queue is down: say so on the task rather than leave it waiting forever
            log.exception("Could not queue task %s", task_id)
            _write(
                task_id,
                status=TaskStatus.FAILED.value,
                finished_at=utcnow(),
                error=_("The task queue is not available. Try again later."),
            )


def _drop_pending(session, *args) -> None:
    session.info.pop(_PENDING, None)


_hooked = False


def install_session_hooks() -> None:
    """Once per process: send tasks after their commit, forget them after a rollback."""
    global _hooked
    if _hooked:
        return
    from flask_sqlalchemy.session import Session

    event.listen(Session, "after_commit", _send_pending)
    event.listen(Session, "after_rollback", _drop_pending)
    _hooked = True


# --- running ----------------------------------------------------------------------------------


@dataclass
class _Running:
    task_id: int
    last_write: float = 0.0


_current: contextvars.ContextVar[_Running | None] = contextvars.ContextVar("rolebook_task", default=None)


def _write(task_id: int, **values) -> None:
    """Update the task's row on a connection of its own, committed at once."""
    values.setdefault("updated_at", utcnow())
    with db.engine.begin() as connection:
        connection.execute(update(Task.__table__).where(Task.__table__.c.id == task_id).values(**values))


def report_progress(done: int, total: int, step: str | None = None) -> None:
    """From inside a handler: ``done`` of ``total`` steps are finished (``step``: what it is doing
    now, shown under the bar). Does nothing outside a task, so the same code can run inline."""
    running = _current.get()
    if running is None:
        return
    now = time.monotonic()
    if 0 < done < total and now - running.last_write < PROGRESS_INTERVAL and step is None:
        return
    running.last_write = now
    values = {"done": max(0, min(done, total)), "total": max(0, total)}
    if step is not None:
        values["step"] = step[:200]
    try:
        _write(running.task_id, **values)
    except Exception:  # progress is a courtesy: never fail the work for it
        log.warning("Could not record the progress of task %s", running.task_id, exc_info=True)


def worker_name() -> str:
    """This process, as written on the tasks it runs: host and process id."""
    return f"{socket.gethostname()[:100]}:{os.getpid()}"


def _claim(task_id: int) -> bool:
    """Take a waiting task for this process, atomically: a task delivered twice (sent again after
    the queue lost it, see ``sweep``) runs once."""
    now = utcnow()
    table = Task.__table__
    with db.engine.begin() as connection:
        taken = connection.execute(
            update(table)
            .where(table.c.id == task_id, table.c.status == TaskStatus.QUEUED.value)
            .values(status=TaskStatus.RUNNING.value, started_at=now, updated_at=now, error="", worker=worker_name())
        )
    return taken.rowcount == 1


def run(task_id: int) -> None:
    """Run a queued task (called by the consumer, inside an application context)."""
    task = db.session.get(Task, task_id)
    if task is None or task.is_finished or not _claim(task_id):
        return  # deleted meanwhile, or delivered twice
    found = HANDLERS.get(task.kind)
    owner = task.owner
    token = _current.set(_Running(task_id))
    try:
        if found is None:
            raise ServiceError(_("This kind of task is no longer available."))
        with (
            force_locale(owner.locale or current_app.config["BABEL_DEFAULT_LOCALE"]),
            acting_as(f"{owner.email} (task {task_id})", owner.id),
        ):
            with unit_of_work():
                result = found.run(dict(task.params or {}), owner)
                signals.finished.send(task)
            stored = store_result(task_id, result) if result is not None else {}
    except ServiceError as error:
        _write(task_id, status=TaskStatus.FAILED.value, finished_at=utcnow(), error=error.message)
    except Exception:
        log.exception("Task %s (%s) failed", task_id, task.kind)
        with force_locale(owner.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
            message = _("Something went wrong on our side. The error was logged; please try again.")
        _write(task_id, status=TaskStatus.FAILED.value, finished_at=utcnow(), error=message)
    else:
        _write(
            task_id, status=TaskStatus.DONE.value, finished_at=utcnow(), step="", done=Task.__table__.c.total, **stored
        )
    finally:
        _current.reset(token)
        db.session.remove()


def results_folder() -> Path:
    folder = Path(current_app.instance_path) / "task-results"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_result(task_id: int, result: Result) -> dict:
    """Keep a result file for the task; returns the columns that name it."""
    suffix = Path(result.filename).suffix[:10]
    name = f"{task_id}-{secrets.token_hex(8)}{suffix}"
    target = results_folder() / name
    if isinstance(result.content, Path):
        shutil.copyfile(result.content, target)
    else:
        target.write_bytes(result.content)
    return {"result_file": name, "result_name": result.filename[:255], "result_mimetype": result.mimetype[:100]}


def result_path(task: Task) -> Path | None:
    if not task.has_result:
        return None
    path = results_folder() / task.result_file
    return path if path.is_file() else None


# --- reading and housekeeping -----------------------------------------------------------------


def get_task(task_id: int, user) -> Task:
    """The task if ``user`` owns it: nobody else, whatever their role, sees it."""
    task = db.session.get(Task, task_id)
    if task is None or user is None or task.owner_id != getattr(user, "id", None):
        raise NotFound(_("No such task."))
    return task


def list_tasks(user):
    """Named query: the user's tasks, newest first."""
    return select(Task).where(Task.owner_id == user.id).order_by(Task.created_at.desc(), Task.id.desc())


def _interrupted():
    return _("The task was interrupted (the process running it stopped). Start it again.")


def _mark_stale() -> None:
    """Running tasks without a heartbeat for STALE_AFTER were interrupted (their process was
    killed or the machine restarted): say so. Finished tasks older than TASK_RESULT_DAYS go,
    with their files."""
    now = utcnow()
    db.session.execute(
        update(Task)
        .where(Task.status == TaskStatus.RUNNING.value, Task.updated_at < now - STALE_AFTER)
        .values(status=TaskStatus.FAILED.value, finished_at=now, updated_at=now, error=_interrupted())
        .execution_options(synchronize_session=False)
    )
    cutoff = now - timedelta(days=current_app.config.get("TASK_RESULT_DAYS", 7))
    old = db.session.scalars(select(Task).where(Task.status.in_(FINISHED), Task.finished_at < cutoff)).all()
    for task in old:
        if task.result_file:
            (results_folder() / task.result_file).unlink(missing_ok=True)
        db.session.delete(task)


# --- the consumer's housekeeping ------------------------------------------------------------------


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(queue) -> None:
    """What a process running a consumer does every HEARTBEAT_SECONDS (``queue``: its TaskQueue):

    - writes the heartbeat (``updated_at``) of the tasks it runs;
    - marks failed, with the reason, the running tasks of processes of this machine that are gone
      (a worker killed in the middle of a task) and those without a heartbeat for STALE_AFTER
      (a process on another machine);
    - sends again the tasks still waiting after REQUEUE_AFTER while the queue holds nothing (the
      queue lost them: Redis restarted without its data); ``run`` claims a task once only."""
    table = Task.__table__
    now = utcnow()
    me = worker_name()
    host = me.rpartition(":")[0]
    with db.engine.begin() as connection:
        connection.execute(
            update(table).where(table.c.status == TaskStatus.RUNNING.value, table.c.worker == me).values(updated_at=now)
        )
        running = connection.execute(
            select(table.c.id, table.c.worker, table.c.updated_at).where(table.c.status == TaskStatus.RUNNING.value)
        ).all()
        gone = []
        for task_id, worker, updated_at in running:
            name, _sep, pid = (worker or "").rpartition(":")
            dead_here = name == host and pid.isdecimal() and not _process_alive(int(pid))
            if dead_here or updated_at < now - STALE_AFTER:
                gone.append(task_id)
        if gone:
            log.warning("Tasks %s were interrupted: their process stopped", gone)
            connection.execute(
                update(table)
                .where(table.c.id.in_(gone), table.c.status == TaskStatus.RUNNING.value)
                .values(status=TaskStatus.FAILED.value, finished_at=now, updated_at=now, error=_interrupted())
            )
        waiting = (
            connection.execute(
                select(table.c.id)
                .where(table.c.status == TaskStatus.QUEUED.value, table.c.created_at < now - REQUEUE_AFTER)
                .order_by(table.c.id)
            )
            .scalars()
            .all()
        )
    if waiting and queue.pending() == 0:
        log.warning("Tasks %s were waiting but not in the queue: sent again", waiting)
        for task_id in waiting:
            queue.send(task_id, start=False)
