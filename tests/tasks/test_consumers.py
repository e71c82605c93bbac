"""One consumer per instance folder on the embedded queue, and the consumer's housekeeping:
heartbeats, tasks of a process that died marked failed, tasks the queue lost sent again."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import timedelta

from app.db import utcnow
from app.extensions import db
from app.tasks import services as tasks
from app.tasks.models import Task
from app.tasks.queue import TaskQueue
from tests import factories


def test_one_consumer_per_instance_folder_on_the_embedded_queue(app, tmp_path):
    """Two processes' queues on one instance folder (two TaskQueue objects: the lock is per open
    file, as between processes): the second starts no consumer until the first stops."""
    first, second = TaskQueue(app), TaskQueue(app)
    try:
        assert first.start_consumer(workers=1) is not None
        assert second.start_consumer(workers=1) is None
        assert not second.consumer_running
        first.stop_consumer()
        second._next_try = 0.0  # (it asks again every few seconds)
        assert second.start_consumer(workers=1) is not None
    finally:
        first.stop_consumer()
        second.stop_consumer()


def test_a_task_of_a_process_that_died_is_marked_failed_with_the_reason(app, ctx):
    owner = factories.create_user("hr")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = factories.create_task(
        owner, status="running", updated_at=utcnow(), worker=f"{socket.gethostname()}:{dead.stdout.strip()}"
    )
    alive = factories.create_task(owner, status="running", updated_at=utcnow(), worker=tasks.worker_name())
    silent = factories.create_task(
        owner, status="running", updated_at=utcnow() - timedelta(minutes=2), worker="another-machine:1234"
    )
    tasks.sweep(app.extensions["rolebook_tasks"])
    db.session.expire_all()
    assert db.session.get(Task, gone.id).status == "failed"
    assert (
        db.session.get(Task, gone.id).error
        == "The task was interrupted (the process running it stopped). Start it again."
    )
    assert db.session.get(Task, silent.id).status == "failed"
    assert db.session.get(Task, alive.id).status == "running"  # its heartbeat was written
    assert db.session.get(Task, alive.id).updated_at > utcnow() - timedelta(seconds=5)


def test_a_task_the_queue_lost_is_sent_again_and_runs_once(app, ctx):
    queue = app.extensions["rolebook_tasks"]
    queue.huey.flush()
    owner = factories.create_user("hr")
    runs = []
    tasks.HANDLERS["count"] = tasks.Handler("count", lambda params, owner: runs.append(1), "Count")
    try:
        lost = factories.create_task(owner, kind="count", created_at=utcnow() - timedelta(minutes=1))
        recent = factories.create_task(owner, kind="count")
        tasks.sweep(queue)
        assert queue.pending() == 1  # the lost one only: the recent one may still be on its way
        queue.send(lost.id, start=False)  # delivered twice
        for _ in range(2):
            task = queue.huey.dequeue()
            queue.huey.execute(task)
        db.session.expire_all()
        assert db.session.get(Task, lost.id).status == "done" and runs == [1]
        assert db.session.get(Task, recent.id).status == "queued"
    finally:
        tasks.HANDLERS.pop("count")
        queue.huey.flush()
