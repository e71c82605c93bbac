"""Documents under load, on the app as deployed (gunicorn, production configuration, SQLite):

1. No request is held long: while reading clients keep the server busy (the JSON API), one
   client asks for documents of every length, none printed before: job descriptions, position
   manuals of departments from one position to the whole company, a cycle's results for one
   department and for the whole company. Each is made in the request (200) or handed to a
   background task (202 from the API, 303 to the task's page from the pages) by its expected
   length (``PDF_SYNC_MAX_PAGES``). Target: every request answered within 5 s.
2. A cached PDF (a published job description printed before) served to 8 concurrent clients
   that ask for it again and again, no other load, from its page and from the API, downloaded
   and revalidated (If-None-Match → 304). Target: median ≤ 20 ms, p95 ≤ 50 ms. On a shared
   machine every figure grows with the others' load, so the same clients also ask, just before,
   for the least an authenticated API request does (a task that does not exist: the token, one
   lookup, a JSON 404): the floor of this machine at that moment, to read the PDF's figures by.
   Each client is a process of its own, so that the clients do not wait for each other's turn
   at one interpreter lock (that wait would be counted as the server's).

The server is started as the README's production section says (``--workers 4``, the threads
of gunicorn.conf.py). On this shared 2-core machine, at a load average of 7-11, the floor's own
p95 ranged from 20 to 100 ms from one minute to the next: read the PDF's figures against it.

The background tasks are queued but not run here (``ROLEBOOK_QUEUE_CONSUMER=none``: a separate
worker would run them), so what is measured is what a request holds.

    .venv/bin/python bench/bench_documents.py [--clients 20] [--seconds 40] [--workers 4]
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_load import free_port, percentile  # noqa: E402
from bench.measure import LimiterStore, result, scaled  # noqa: E402

HELD_TARGET = 5.0  # seconds a request may be held
CACHED_MEDIAN, CACHED_P95 = 20.0, 50.0  # ms
CACHED_CLIENTS = scaled(8, 2)  # the target's 8; 2 prove the path in a smoke run
WORKERS = 4  # gunicorn processes, as the README's production section starts them (threads: gunicorn.conf.py)
PASSWORD = "Bench-Documents-2026"


def prepare(url: str, instance: Path, readers: int) -> dict:
    """The generated company with published job descriptions and a launched cycle; an HR account
    (password and API token) and a token per reading client; the documents to ask for."""
    os.environ["ROLEBOOK_INSTANCE_PATH"] = str(instance)
    from sqlalchemy import func, select

    from app import create_app
    from app.appraisals import services as appraisals
    from app.appraisals.models import Review
    from app.appraisals.services import launch
    from app.audit.services import acting_as
    from app.auth import services as auth
    from app.documents import services as documents
    from app.extensions import db
    from app.org.models import Department, Position
    from bench.database import upgrade
    from bench.generate import generate, generate_job_descriptions

    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context(), acting_as("bench"):
        upgrade()
        generate()
        generate_job_descriptions()
        cycle = appraisals.create_cycle(
            appraisals.CycleData(name="Bench", period_type="monthly", start_date=date(2026, 10, 1))
        )
        launch.launch_cycle(cycle)
        hr = auth.create_user("hr@bench.test", "hr", PASSWORD, "HR")
        _token, hr_token = auth.issue_token(hr, "bench")
        tokens = []
        for n in range(readers):
            reader = auth.create_user(f"reader{n}@bench.test", "hr", PASSWORD)
            tokens.append(auth.issue_token(reader, "bench")[1])
        db.session.commit()
        # Manuals: departments whose subtrees hold from one position to hundreds, and the company.
        sizes = {}
        for department in db.session.scalars(select(Department).order_by(Department.id)):
            sizes.setdefault(documents.manual_size(department), department.id)
        wanted = sorted(sizes)
        picks = sorted(
            {wanted[0], *[w for w in wanted if w <= 5][:1], *wanted[len(wanted) // 3 :: len(wanted) // 3 or 1]}
        )
        documents_to_ask = [
            ("job description", f"/api/v1/positions/{pid}/job-description.pdf", 2)
            for pid in db.session.scalars(select(Position.id).order_by(Position.id).limit(scaled(3, 1)))
        ]
        documents_to_ask += [
            (
                f"manual of {size} positions",
                f"/api/v1/departments/{sizes[size]}/manual.pdf",
                documents.manual_pages(size),
            )
            for size in picks
        ]
        total = documents.manual_size(None)
        documents_to_ask.append(
            (f"company manual ({total} positions)", "/api/v1/manual.pdf", documents.manual_pages(total))
        )
        by_department = db.session.execute(
            select(Review.department_id, func.count())
            .where(Review.cycle_id == cycle.id)
            .group_by(Review.department_id)
            .order_by(func.count())
        ).all()
        small_department, small_reviews = by_department[0]
        reviews = db.session.scalar(select(func.count()).select_from(Review).where(Review.cycle_id == cycle.id))
        documents_to_ask += [
            (
                f"cycle results, one department ({small_reviews} reviews)",
                f"/appraisals/cycles/{cycle.id}/results.pdf?department={small_department}",
                None,
            ),
            (f"cycle results, whole company ({reviews} reviews)", f"/appraisals/cycles/{cycle.id}/results.pdf", None),
        ]
        cached = db.session.scalar(select(Position.id).order_by(Position.id.desc()).limit(1))
        from app.jobs.models import JobDescriptionVersion

        version = db.session.scalar(select(JobDescriptionVersion.id).where(JobDescriptionVersion.position_id == cached))
        # Printed once here, into the server's cache (the same instance folder): on a busy machine
        # the server would hand its first printing to a background task, which no worker runs here.
        with app.test_request_context():
            documents.job_description_pdf(documents.printable_version(version), "en")
    return {
        "hr_token": hr_token,
        "tokens": tokens,
        "documents": documents_to_ask,
        "cached_page": f"/documents/versions/{version}/job-description.pdf?lang=en",
        "cached_api": f"/api/v1/positions/{cached}/job-description.pdf?lang=en",
    }


class Reader(threading.Thread):
    """A client of the JSON API that reads, back to back, until told to stop."""

    PATHS = (
        "/api/v1/positions?page={page}",
        "/api/v1/departments?page={page}",
        "/api/v1/positions/{position}",
        "/api/v1/kpis",
        "/api/v1/employees?page={page}",
    )

    def __init__(self, port: int, token: str, seed: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.token, self.stop, self.rng = port, token, stop, random.Random(seed)
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        while not self.stop.is_set():
            path = self.rng.choice(self.PATHS).format(page=self.rng.randint(1, 20), position=self.rng.randint(1, 40))
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Authorization": f"Bearer {self.token}"})
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                self.errors.append(repr(error))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                continue
            self.latencies.append(time.perf_counter() - started)
            if response.status >= 500:
                self.errors.append(str(response.status))
        conn.close()


def login(port: int) -> str:
    """A session cookie of the HR account (through the login form, CSRF token and all)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/login")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', page
    )
    body = urlencode({"csrf_token": token.group(1), "email": "hr@bench.test", "password": PASSWORD})
    conn.request(
        "POST", "/login", body=body, headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    assert response.status == 302, response.status
    return response.getheader("Set-Cookie", cookie).split(";")[0]


def ask(port: int, path: str, headers: dict) -> tuple[int, float, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    seconds = time.perf_counter() - started
    conn.close()
    return response.status, seconds, len(body)


def start_server(port: int, url: str, instance: Path, workers: int, limiter: dict) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=url,
        ROLEBOOK_CONFIG="production",
        SECRET_KEY="bench-documents",
        ROLEBOOK_INSTANCE_PATH=str(instance),
        ROLEBOOK_SECURE_COOKIES="0",
        ROLEBOOK_QUEUE_CONSUMER="none",
        **limiter,
    )
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "600",
            "--graceful-timeout",
            "3",
            "wsgi:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )  # its workers and their render children: one group, stopped together
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login")
            conn.getresponse().read()
            conn.close()
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def documents_under_load(port: int, data: dict, readers_n: int) -> None:
    cookie = login(port)
    stop = threading.Event()
    readers = [Reader(port, token, seed, stop) for seed, token in enumerate(data["tokens"][:readers_n])]
    for reader in readers:
        reader.start()
    time.sleep(2)  # the readers get going
    held = []
    for label, path, _pages in data["documents"]:
        headers = (
            {"Cookie": cookie} if path.startswith("/appraisals") else {"Authorization": f"Bearer {data['hr_token']}"}
        )
        status, seconds, size = ask(port, path, headers)
        made = {200: "made in the request", 202: "background task", 303: "background task"}.get(
            status, f"HTTP {status}"
        )
        print(f"  {label:48} {status}  {seconds:6.2f} s  {made}{f', {size / 1024:.0f} KiB' if status == 200 else ''}")
        held.append((seconds, label, status))
    stop.set()
    for reader in readers:
        reader.join(60)
    reads = [v for r in readers for v in r.latencies]
    errors = [e for r in readers for e in r.errors]
    worst, worst_label, _status = max(held)
    bad = [label for _seconds, label, status in held if status not in (200, 202, 303)]
    print(
        f"  meanwhile {len(readers)} reading clients: {len(reads)} requests, p50 {percentile(reads, 50):.0f} ms, "
        f"p95 {percentile(reads, 95):.0f} ms, {len(errors)} errors"
    )
    result(
        f"documents under load ({len(readers)} reading clients): the longest request",
        f"{worst:.2f} s ({worst_label}); {sum(1 for h in held if h[2] == 200)} made in the request, "
        f"{sum(1 for h in held if h[2] in (202, 303))} by a task" + (f"; failed: {', '.join(bad)}" if bad else ""),
        f"≤ {HELD_TARGET:.0f} s",
        worst <= HELD_TARGET and not bad and not errors,
    )


def _client(tasks, answers) -> None:
    """One client, a process of its own, for every measurement of part 2: for each task (the
    address, headers, the ``time.time()`` to start and to stop at, the status expected) asks
    again and again on a kept-alive connection, then puts (the seconds of every answer, the
    wrong answers) in ``answers``; stops at None."""
    while (task := tasks.get()) is not None:
        port, url, headers, start, until, expected = task
        latencies, errors = [], []
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        time.sleep(max(0.0, start - time.time()))
        while time.time() < until:
            started = time.perf_counter()
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            response.read()
            latencies.append(time.perf_counter() - started)
            if response.status != expected or response.getheader("X-Cache") not in (None, "hit"):
                errors.append(f"{response.status} {response.getheader('X-Cache')}")
        conn.close()
        answers.put((latencies, errors))


class Clients:
    """CACHED_CLIENTS client processes (threads of one process would wait for each other's turn
    at the interpreter lock, and that wait would be counted as the server's), started once."""

    def __enter__(self):
        context = multiprocessing.get_context("spawn")
        self.answers = context.Queue()
        self.tasks = [context.Queue() for _ in range(CACHED_CLIENTS)]
        self.processes = [
            context.Process(target=_client, args=(tasks, self.answers), daemon=True) for tasks in self.tasks
        ]
        for process in self.processes:
            process.start()
        return self

    def hammer(self, port: int, url: str, headers: dict, seconds: float, expected: int):
        """Every client asks for ``url`` back to back for ``seconds``, starting together: the
        seconds of every answer, and the answers that were not ``expected`` (or not from the cache)."""
        start = time.time() + 0.5  # every client has its task by then
        for tasks in self.tasks:
            tasks.put((port, url, headers, start, start + seconds, expected))
        gathered = [self.answers.get(timeout=seconds + 120) for _ in self.tasks]
        return [v for values, _errors in gathered for v in values], [e for _values, errors in gathered for e in errors]

    def __exit__(self, *exc):
        for tasks in self.tasks:
            tasks.put(None)
        for process in self.processes:
            process.join(30)


def floor(clients: Clients, port: int, token: str, seconds: float) -> None:
    values, errors = clients.hammer(
        port,
        "/api/v1/tasks/999999999",
        {"Authorization": f"Bearer {token}"},
        seconds,
        404,
    )
    result(
        f"the floor: the least authenticated API request (a JSON 404), {CACHED_CLIENTS} concurrent clients",
        f"median {statistics.median(values) * 1000:.1f} ms, p95 {percentile(values, 95):.1f} ms over "
        f"{len(values)} requests ({len(values) / seconds:.0f}/s)"
        + (f"; {len(errors)} wrong answers" if errors else ""),
    )


def cached_pdf(
    clients: Clients, port: int, url: str, headers: dict, seconds: float, label: str, judged: bool = True
) -> None:
    status, _seconds, size = ask(port, url, headers)  # made, and cached
    assert status == 200, status
    figures = {}
    for kind in ("download", "conditional"):
        etag = None
        if kind == "conditional":
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", url, headers=headers)
            response = conn.getresponse()
            response.read()
            etag = response.getheader("ETag")
            conn.close()
        asked = dict(headers, **({"If-None-Match": etag} if etag else {}))
        values, errors = clients.hammer(port, url, asked, seconds, 304 if etag else 200)
        figures[kind] = (statistics.median(values) * 1000, percentile(values, 95), len(values), errors)
    median, p95, count, errors = figures["download"]
    c_median, c_p95, c_count, c_errors = figures["conditional"]
    result(
        f"cached job-description PDF ({size / 1024:.0f} KiB), {label}, {CACHED_CLIENTS} concurrent clients",
        f"median {median:.1f} ms, p95 {p95:.1f} ms over {count} downloads ({count / seconds:.0f}/s); "
        f"revalidated (304): median {c_median:.1f} ms, p95 {c_p95:.1f} ms"
        + (f"; {len(errors) + len(c_errors)} wrong answers" if errors or c_errors else ""),
        f"median ≤ {CACHED_MEDIAN:.0f} ms, p95 ≤ {CACHED_P95:.0f} ms" if judged else "",
        (median <= CACHED_MEDIAN and p95 <= CACHED_P95 and not errors and not c_errors) if judged else None,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=scaled(20, 2), help="reading clients during part 1")
    parser.add_argument("--seconds", type=float, default=scaled(10, 0.5), help="duration of part 2, each kind")
    parser.add_argument(
        "--workers",
        type=int,
        default=scaled(WORKERS, 1),
        help=f"gunicorn workers ({WORKERS}, as the README's production section starts it; threads from gunicorn.conf.py)",
    )
    args = parser.parse_args()
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the start")
    with tempfile.TemporaryDirectory(prefix="rolebook-bench-documents-") as tmp:
        tmp = Path(tmp)
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        started = time.perf_counter()
        data = prepare(url, tmp / "instance", args.clients)
        print(f"data ready in {time.perf_counter() - started:.1f} s")
        port = free_port()
        with LimiterStore(tmp / "redis", args.workers) as limiter:
            run(port, url, tmp, data, args, limiter)


def run(port: int, url: str, tmp: Path, data: dict, args, limiter: dict) -> None:
    server = start_server(port, url, tmp / "instance", args.workers, limiter)
    try:
        print(f"1. documents asked for while {args.clients} clients read (gunicorn {args.workers} workers)")
        documents_under_load(port, data, args.clients)
        print(f"2. a cached PDF, {CACHED_CLIENTS} concurrent clients for {args.seconds:g} s")
        cookie = login(port)
        token = {"Authorization": f"Bearer {data['hr_token']}"}
        with Clients() as clients:
            clients.hammer(port, "/api/v1/tasks/999999999", token, 0.5, 404)  # every client up, every thread used
            floor(clients, port, data["hr_token"], args.seconds / 2)
            cached_pdf(clients, port, data["cached_page"], {"Cookie": cookie}, args.seconds, "from its page")
            cached_pdf(clients, port, data["cached_api"], token, args.seconds, "from the API")
    finally:
        # The whole group: a worker or a render child left behind would keep the log pipe open.
        os.killpg(server.pid, signal.SIGTERM)
        try:
            _out, err = server.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            _out, err = server.communicate(timeout=30)
        problems = [
            line for line in err.decode(errors="replace").splitlines() if "Traceback" in line or "ERROR" in line
        ]
        print(f"server log: {len(problems)} error line(s)" + "".join(f"\n    {p}" for p in problems[:5]))


if __name__ == "__main__":
    main()
