"""Background tasks with a real consumer: queued only once committed, run by huey's workers, their
progress visible to their owner (and nobody else) while they run, their errors reported, their
result downloadable; on the embedded SQLite queue and on a real Redis server."""

from __future__ import annotations

import io
import shutil
import socket
import subprocess
import threading
import time
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from app.core.errors import ServiceError
from app.extensions import db
from app.tasks import services as tasks
from app.tasks.models import Task
from tests import factories
from tests.documents.conftest import _empty_cache, pages_text, shop, squeeze  # noqa: F401 (fixtures)


@pytest.fixture
def probe():
    """A kind of task for tests: reports half its progress, waits to be released, then makes a
    small file (or fails, as its params say)."""
    state = SimpleNamespace(reported=threading.Event(), release=threading.Event())

    def run(params: dict, owner):
        tasks.report_progress(1, 2, "half way")
        state.reported.set()
        assert state.release.wait(20)
        if params.get("fail") == "service":
            raise ServiceError("The input was wrong.")
        if params.get("fail") == "crash":
            raise RuntimeError("boom")
        tasks.report_progress(2, 2)
        return tasks.Result(f"made for {owner.email}".encode(), "probe.txt", "text/plain")

    tasks.HANDLERS["probe"] = tasks.Handler("probe", run, "Probe")
    yield state
    state.release.set()
    tasks.HANDLERS.pop("probe", None)


def _queue(app):
    return app.extensions["rolebook_tasks"]


@pytest.fixture
def consumer(app):
    """huey's consumer (one worker thread) on the test app's embedded queue."""
    queue = _queue(app)
    queue.huey.flush()  # nothing left over from other tests
    queue.start_consumer(workers=1)
    yield queue
    queue.stop_consumer()


def _wait(client, task_id: int, until, timeout: float = 60) -> dict:
    """Poll the task's JSON status (as the page's script does) until ``until(status)``."""
    deadline = time.monotonic() + timeout
    while True:
        status = client.get(f"/api/v1/tasks/{task_id}").json
        if until(status) or time.monotonic() > deadline:
            return status
        time.sleep(0.1)


def _enqueue(owner, params=None, kind="probe") -> Task:
    task = tasks.enqueue(kind, params or {}, owner, "Probe")
    db.session.commit()
    return task


def test_a_task_is_queued_only_when_its_transaction_commits(app, ctx):
    queue = _queue(app)
    queue.huey.flush()
    owner = factories.create_user("hr")
    tasks.HANDLERS.setdefault("noop", tasks.Handler("noop", lambda params, owner: None, "Nothing"))
    tasks.enqueue("noop", {"n": 1}, owner)
    db.session.rollback()
    assert queue.pending() == 0 and db.session.query(Task).count() == 0
    first = tasks.enqueue("noop", {"n": 1}, owner)
    db.session.commit()
    assert queue.pending() == 1 and first.status == "queued"
    # the same work asked again while it waits is the same task; other params, another one
    assert tasks.enqueue("noop", {"n": 1}, owner).id == first.id
    assert tasks.enqueue("noop", {"n": 2}, owner).id != first.id
    db.session.commit()
    assert queue.pending() == 2
    queue.huey.flush()
    tasks.HANDLERS.pop("noop")


def test_progress_is_visible_to_the_owner_while_the_task_runs(app, login, ctx, consumer, probe):
    owner = login("hr")
    task = _enqueue(owner.user)
    assert probe.reported.wait(20)
    running = _wait(owner, task.id, lambda s: s["status"] == "running" and s["done"] == 1)
    assert (running["status"], running["done"], running["total"], running["percent"], running["step"]) == (
        "running",
        1,
        2,
        50,
        "half way",
    )
    assert running["result_url"] is None
    page = owner.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert 'aria-valuenow="50"' in page and "half way" in page
    # nobody else sees it, whatever their role
    assert login("admin").get(f"/api/v1/tasks/{task.id}").status_code == 404
    assert login("hr").get(f"/tasks/{task.id}").status_code == 404
    probe.release.set()
    done = _wait(owner, task.id, lambda s: s["status"] == "done")
    assert (done["status"], done["percent"], done["step"], done["error"]) == ("done", 100, "", "")
    result = owner.get(done["result_url"])
    assert result.status_code == 200 and result.data == f"made for {owner.user.email}".encode()
    assert "probe.txt" in result.headers["Content-Disposition"]
    assert owner.get(f"/tasks/{task.id}/download").data == result.data
    assert login("hr").get(f"/tasks/{task.id}/download").status_code == 404
    listing = owner.get("/tasks/").get_data(as_text=True)
    assert f"/tasks/{task.id}/download" in listing and "Probe" in listing


@pytest.mark.parametrize(
    "fail, message", [("service", "The input was wrong."), ("crash", "Something went wrong on our side.")]
)
def test_a_failed_task_says_why(login, ctx, consumer, probe, fail, message):
    owner = login("hr")
    task = _enqueue(owner.user, {"fail": fail})
    probe.release.set()
    status = _wait(owner, task.id, lambda s: s["status"] == "failed")
    assert status["status"] == "failed" and status["error"].startswith(message) and status["result_url"] is None
    assert message in owner.get(f"/tasks/{task.id}").get_data(as_text=True)


def _run_manual(client, department_id: int) -> tuple[dict, bytes]:
    response = client.post("/documents/manual", data={"department": department_id, "lang": "zh_CN"})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    task_id = int(response.headers["Location"].rsplit("/", 1)[1])
    seen = []
    status = _wait(
        client,
        task_id,
        lambda s: seen.append((s["status"], s["done"], s["total"])) or s["status"] in ("done", "failed"),
    )
    assert status["status"] == "done", status
    assert status["done"] == status["total"] > 0
    return status, client.get(status["result_url"]).data


def test_a_big_manual_is_made_in_the_background(app, login, consumer, shop, monkeypatch):
    monkeypatch.setitem(app.config, "PDF_SYNC_MAX_PAGES", 6)  # 1 position
    status, pdf = _run_manual(login("hr"), shop.ec.id)
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 4
    text = squeeze("".join(pages_text(pdf)))
    assert "岗位手册" in text and "EC-LEAD-V1" in text and "电商运营主管" in text


# --- production: Redis ------------------------------------------------------------------------


@pytest.fixture
def redis_url():
    """A real redis-server on a free port of 127.0.0.1, stopped afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (make setup-test installs it)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


def test_the_queue_runs_on_redis(make_app, redis_url, login, shop, monkeypatch):
    redis_app = make_app(TASK_QUEUE_URL=redis_url, PDF_SYNC_MAX_PAGES=6)
    queue = _queue(redis_app)
    assert type(queue.huey.storage).__name__ == "RedisStorage"
    hr = factories.create_user("hr")
    client = redis_app.test_client()
    client.post("/login", data={"email": hr.email, "password": factories.PASSWORD})
    response = client.post("/documents/manual", data={"department": shop.ops.id, "lang": "en"})
    assert response.status_code == 303
    assert queue.pending() == 1  # waiting in Redis
    queue.start_consumer(workers=1)
    try:
        task_id = int(response.headers["Location"].rsplit("/", 1)[1])
        status = _wait(client, task_id, lambda s: s["status"] in ("done", "failed"))
        assert status["status"] == "done", status
        assert queue.pending() == 0
        pdf = client.get(status["result_url"]).data
        assert "EC-LEAD-V1" in squeeze("".join(pages_text(pdf)))
    finally:
        queue.stop_consumer()


def test_interrupted_and_old_tasks_are_cleared_away(app, ctx):
    from datetime import timedelta

    from app.db import utcnow

    owner = factories.create_user("hr")
    stale = factories.create_task(owner, status="running", updated_at=utcnow() - timedelta(hours=2))
    busy = factories.create_task(owner, status="running", updated_at=utcnow() - timedelta(seconds=20))
    factories.create_task(
        owner, kind="old", status="done", finished_at=utcnow() - timedelta(days=30), result_file="old.pdf"
    )
    (tasks.results_folder() / "old.pdf").write_bytes(b"%PDF")
    tasks.HANDLERS.setdefault("noop", tasks.Handler("noop", lambda params, owner: None, "Nothing"))
    tasks.enqueue("noop", {}, owner)
    db.session.commit()
    _queue(app).huey.flush()
    tasks.HANDLERS.pop("noop")
    db.session.expire_all()
    assert db.session.get(Task, stale.id).status == "failed"
    assert "interrupted" in db.session.get(Task, stale.id).error
    assert db.session.get(Task, busy.id).status == "running"
    assert db.session.query(Task).filter_by(kind="old").count() == 0
    assert not (tasks.results_folder() / "old.pdf").exists()
