"""The queue under the background tasks: huey, on a SQLite file in the instance folder by
default (no server to run), on Redis when ``TASK_QUEUE_URL`` (``ROLEBOOK_QUEUE_URL``) is a
``redis://`` URL. Only task ids travel through it; the state lives in the ``tasks`` table.

The consumer either runs as threads inside the web process (``TASK_CONSUMER = "thread"``, the
default, started by the first request or the first task), or as a process of its own
(``flask tasks worker``; set ``TASK_CONSUMER`` to ``none`` for the web processes then).
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from flask import Flask, current_app
from huey import RedisHuey, SqliteHuey
from huey.consumer import Consumer

log = logging.getLogger(__name__)

QUEUE_NAME = "rolebook"
RUN_TASK = "rolebook.run_task"


class InProcessConsumer(Consumer):
    """huey's consumer as threads of a process that someone else runs (gunicorn, tests): the
    signals stay the server's."""

    def _set_signal_handlers(self):
        pass


class TaskQueue:
    def __init__(self, app: Flask):
        self.app = app
        self._huey = None
        self._run_task = None
        self._consumer: Consumer | None = None
        self._lock = threading.RLock()

    @property
    def url(self) -> str:
        url = self.app.config.get("TASK_QUEUE_URL") or ""
        return url or f"sqlite:///{Path(self.app.instance_path) / 'task-queue.sqlite3'}"

    @property
    def huey(self):
        with self._lock:
            if self._huey is None:
                self._huey = make_huey(self.url)
                self._run_task = self._huey.task(name=RUN_TASK)(self._run)
            return self._huey

    def _run(self, task_id: int) -> None:
        from app.tasks.services import run

        with self.app.app_context():
            run(task_id)

    def send(self, task_id: int) -> None:
        """Put the task on the queue (and start the in-process consumer if it is the way here)."""
        self.huey
        self._run_task(task_id)
        if self.app.config.get("TASK_CONSUMER") == "thread":
            self.start_consumer()

    def pending(self) -> int:
        """Tasks waiting in the queue itself (not yet taken by a worker)."""
        return self.huey.pending_count()

    def start_consumer(self, workers: int | None = None) -> Consumer:
        with self._lock:
            if self._consumer is None:
                consumer = InProcessConsumer(self.huey, workers=workers or self.app.config.get("TASK_WORKERS", 2),
                                             worker_type="thread", periodic=False, check_worker_health=False,
                                             max_delay=1.0)
                consumer.start()
                self._consumer = consumer
                log.info("Background task consumer started (%s)", self.url.split("://")[0])
            return self._consumer

    def stop_consumer(self) -> None:
        with self._lock:
            if self._consumer is not None:
                self._consumer.stop(graceful=True)
                self._consumer = None

    @property
    def consumer_running(self) -> bool:
        return self._consumer is not None


def make_huey(url: str):
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey(QUEUE_NAME, url=url, results=False)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(QUEUE_NAME, filename=str(path), results=False)
    raise ValueError(f"ROLEBOOK_QUEUE_URL must be redis://… or sqlite:///…, not {url!r}")


def task_queue() -> TaskQueue:
    return current_app.extensions["rolebook_tasks"]


def init_app(app: Flask) -> TaskQueue:
    from app.tasks.services import install_session_hooks

    queue = TaskQueue(app)
    app.extensions["rolebook_tasks"] = queue
    install_session_hooks()

    @app.before_request
    def _start_consumer():
        # Tasks queued before a restart run as soon as the server answers its first request.
        if not queue.consumer_running and app.config.get("TASK_CONSUMER") == "thread":
            queue.start_consumer()

    return queue
