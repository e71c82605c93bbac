"""The queue under the background tasks: huey, on a SQLite file in the instance folder by
default (no server to run), on Redis when ``TASK_QUEUE_URL`` (``ROLEBOOK_QUEUE_URL``) is a
``redis://`` URL. Only task ids travel through it; the state lives in the ``tasks`` table.

The consumer either runs as threads inside the web process (``TASK_CONSUMER = "thread"``, the
default, started by the first request or the first task), or as a process of its own
(``flask tasks worker``; set ``TASK_CONSUMER`` to ``none`` for the web processes then).

On the embedded queue exactly one consumer runs per instance folder, however many web processes
share it: the one whose process holds the lock file ``task-consumer.lock`` (an advisory lock
that the system releases when the process ends, however it ends). The other processes try
again now and then, so when that process stops, another one takes over. ``flask tasks worker``
waits for the lock. On Redis any number of consumers may share the queue.

Every process that runs a consumer also runs its housekeeping (``services.sweep``) every few
seconds: heartbeats of its running tasks, tasks of processes that died marked failed with the
reason, tasks the queue lost sent again.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
import time
from pathlib import Path

from flask import Flask, current_app
from huey import RedisHuey, SqliteHuey
from huey.consumer import Consumer

log = logging.getLogger(__name__)

QUEUE_NAME = "rolebook"
RUN_TASK = "rolebook.run_task"
LOCK_RETRY_SECONDS = 5  # how often a web process asks again for the embedded queue's consumer lock


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
        self._lock_file = None  # the consumer lock's open file, while this process holds it
        self._next_try = 0.0  # when to try the lock again
        self._housekeeping: threading.Event | None = None
        self._extensions: list = []  # register(huey, queue) of the domains' own queue tasks

    def extend(self, register) -> None:
        """``register(huey, queue)`` adds a domain's own huey tasks (and periodic tasks) to the
        queue when it is built (at once if it is built already). Used by the domains above this
        layer, e.g. the notifications' mail sender and its daily reminders."""
        with self._lock:
            self._extensions.append(register)
            if self._huey is not None:
                register(self._huey, self)

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
                for register in self._extensions:
                    register(self._huey, self)
            return self._huey

    def _run(self, task_id: int) -> None:
        from app.tasks.services import run

        with self.app.app_context():
            run(task_id)

    @property
    def embedded(self) -> bool:
        return self.url.startswith("sqlite:///")

    def send(self, task_id: int, start: bool = True) -> None:
        """Put the task on the queue (and start the in-process consumer if it is the way here)."""
        self.huey  # noqa: B018 (the property builds the queue and its task on first use)
        self._run_task(task_id)
        if start and self.app.config.get("TASK_CONSUMER") == "thread":
            self.start_consumer()

    def pending(self) -> int:
        """Tasks waiting in the queue itself (not yet taken by a worker)."""
        return self.huey.pending_count()

    def consumer_lock(self, wait: bool) -> bool:
        """Hold the instance folder's consumer lock (embedded queue only; always True on Redis)."""
        if not self.embedded:
            return True
        if self._lock_file is None:
            path = Path(self.app.instance_path) / "task-consumer.lock"
            handle = open(path, "a+")  # noqa: SIM115 - kept open as long as the lock is held
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                handle.close()
                return False
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            self._lock_file = handle
        return True

    def start_consumer(self, workers: int | None = None) -> Consumer | None:
        """Start the consumer threads in this process, unless another process of the instance
        folder runs the embedded queue's consumer (then None; asked again later)."""
        with self._lock:
            if self._consumer is None:
                now = time.monotonic()
                if now < self._next_try:
                    return None
                if not self.consumer_lock(wait=False):
                    self._next_try = now + LOCK_RETRY_SECONDS
                    return None
                consumer = InProcessConsumer(
                    self.huey,
                    workers=workers or self.app.config.get("TASK_WORKERS", 2),
                    worker_type="thread",
                    periodic=True,
                    check_worker_health=False,
                    max_delay=1.0,
                )
                consumer.start()
                self._consumer = consumer
                self.start_housekeeping()
                log.info("Background task consumer started (%s)", self.url.split("://")[0])
            return self._consumer

    def start_housekeeping(self) -> None:
        """The consumer's housekeeping (``services.sweep``) every HEARTBEAT_SECONDS, on a thread."""
        from app.tasks import services

        if self._housekeeping is not None:
            return
        stop = threading.Event()

        def loop():
            while not stop.wait(services.HEARTBEAT_SECONDS):
                try:
                    with self.app.app_context():
                        services.sweep(self)
                except Exception:  # the database or the queue is down for a moment: next time
                    log.warning("Task housekeeping failed", exc_info=True)

        with self.app.app_context():
            try:
                services.sweep(self)  # at once: tasks of a worker that was killed before this one started
            except Exception:
                log.warning("Task housekeeping failed", exc_info=True)
        thread = threading.Thread(target=loop, name="rolebook-task-housekeeping", daemon=True)
        thread.start()
        self._housekeeping = stop

    def stop_consumer(self) -> None:
        with self._lock:
            if self._consumer is not None:
                self._consumer.stop(graceful=True)
                self._consumer = None
            if self._housekeeping is not None:
                self._housekeeping.set()
                self._housekeeping = None
            if self._lock_file is not None:
                self._lock_file.close()  # the lock goes with the file
                self._lock_file = None

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
