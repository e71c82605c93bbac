"""Load: the app under gunicorn (several workers) on PostgreSQL, then on SQLite, driven on
127.0.0.1 by a bounded number of concurrent clients for a bounded time, with mixed reads and
appraisal self-review saves through the JSON API. Prints, per engine: requests, errors, p50 /
p95 / p99 latency per kind, and the check that every accepted write is in the database (count
of audited saves and a checksum of the last comment of each review).

    .venv/bin/python bench/bench_load.py [--clients 50] [--seconds 60] [--engines postgresql,sqlite]

Data: the generated company (200 departments, 2,000 positions, 10,000 employees) with
published job descriptions and a launched monthly appraisal cycle; one account per client,
linked to an employee whose review waits for the self-review.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.measure import LimiterStore, result, scaled  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(url: str, instance: Path, clients: int) -> dict:
    """Schema, data, accounts and tokens; returns what the clients need."""
    os.environ["ROLEBOOK_INSTANCE_PATH"] = str(instance)
    from sqlalchemy import select

    from app import create_app
    from app.appraisals import services as appraisals
    from app.appraisals.models import Review, Step
    from app.appraisals.services import launch
    from app.audit.services import acting_as
    from app.auth import services as auth
    from app.extensions import db
    from app.org.models import Assignment, Employee
    from bench.database import upgrade
    from bench.generate import generate, generate_job_descriptions

    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context(), acting_as("bench"):
        upgrade()
        generate()
        generate_job_descriptions()
        # Accounts first: a launch skips the self-review of an employee who cannot log in.
        staff = db.session.scalars(
            select(Employee.id)
            .join(Assignment, Assignment.employee_id == Employee.id)
            .where(Employee.status != "left", Assignment.is_primary.is_(True), Assignment.end_date.is_(None))
            .order_by(Employee.id)
            .limit(clients)
        ).all()
        users = {}
        for n, employee_id in enumerate(staff):
            user = auth.create_user(f"load{n}@example.test", "employee", "Load-Test-Password-1")
            db.session.get(Employee, employee_id).user_id = user.id
            users[employee_id] = user
        cycle = appraisals.create_cycle(
            appraisals.CycleData(name="Load test", period_type="monthly", start_date=date(2026, 10, 1))
        )
        launch.launch_cycle(cycle)
        db.session.commit()
        reviews = db.session.execute(
            select(Review.id, Review.employee_id)
            .where(
                Review.cycle_id == cycle.id,
                Review.status == Step.SELF_REVIEW.value,
                Review.employee_id.in_(list(users)),
            )
            .order_by(Review.id)
        ).all()
        people = []
        for review_id, employee_id in reviews:
            _token, clear = auth.issue_token(users[employee_id], "load")
            people.append({"user_id": users[employee_id].id, "review_id": review_id, "token": clear})
        db.session.commit()
    if len(people) < clients:
        raise SystemExit(f"only {len(people)} of the {clients} clients have a self-review to write")
    return {"people": people}


class Client(threading.Thread):
    """One simulated user: reads, and now and then saves their self-review (a draft)."""

    READS = (
        "/api/v1/positions?page={page}",
        "/api/v1/departments?page={page}",
        "/api/v1/reviews/{review}",
        "/api/v1/positions/{position}",
        "/api/v1/kpis",
    )

    def __init__(self, port: int, person: dict, until: float, seed: int):
        super().__init__(daemon=True)
        self.port, self.person, self.until = port, person, until
        self.rng = random.Random(seed)
        self.latencies: dict[str, list[float]] = {"read": [], "write": []}
        self.errors: list[str] = []
        self.accepted: list[str] = []  # comments the server accepted, in order

    def request(self, conn, method: str, path: str, body: dict | None = None):
        headers = {"Authorization": f"Bearer {self.person['token']}", "Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        review = self.person["review_id"]
        n = 0
        while time.monotonic() < self.until:
            n += 1
            write = self.rng.random() < 0.2
            started = time.perf_counter()
            try:
                if write:
                    status, raw = self.request(conn, "GET", f"/api/v1/reviews/{review}")
                    current = json.loads(raw)
                    comment = f"load {self.person['user_id']} #{n} {self.rng.random():.6f}"
                    status, raw = self.request(
                        conn,
                        "POST",
                        f"/api/v1/reviews/{review}/submit",
                        {
                            "version": current["version"],
                            "comment": comment,
                            "submit": False,
                            "kpis": [
                                {"id": k["id"], "actual": round(self.rng.uniform(50, 150), 1)}
                                for k in current.get("kpis", [])
                            ],
                        },
                    )
                    if status == 200:
                        self.accepted.append(comment)
                else:
                    path = self.rng.choice(self.READS).format(
                        page=self.rng.randint(1, 40), review=review, position=self.rng.randint(1, 2000)
                    )
                    status, raw = self.request(conn, "GET", path)
            except (OSError, http.client.HTTPException) as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                continue
            self.latencies["write" if write else "read"].append(time.perf_counter() - started)
            if status >= 500 or (write and status != 200):
                self.errors.append(f"{status} {raw[:200]!r}")
        conn.close()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def verify(url: str, clients: list[Client]) -> tuple[bool, str]:
    """Every accepted write is there: one audited change of the review's comment per accepted
    save, and each review's comment is the last one its client saved (checksum over all)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    expected_count = sum(len(c.accepted) for c in clients)
    expected = hashlib.sha256()
    found = hashlib.sha256()
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT entity_id, changes FROM audit_events WHERE entity = 'appraisal_reviews' "
                "AND action = 'update' AND actor_label LIKE 'load%'"
            )
        ).all()
        audited = sum(
            1
            for _id, changes in rows
            if "self_comment" in (changes if isinstance(changes, dict) else json.loads(changes))
        )
        for client in sorted(clients, key=lambda c: c.person["review_id"]):
            comment = conn.execute(
                text("SELECT self_comment FROM appraisal_reviews WHERE id = :id"), {"id": client.person["review_id"]}
            ).scalar_one()
            expected.update((client.accepted[-1] if client.accepted else "").encode())
            found.update(comment.encode())
    engine.dispose()
    ok = audited == expected_count and expected.hexdigest() == found.hexdigest()
    return ok, (
        f"accepted writes {expected_count}, audited {audited}; last comments checksum "
        f"{'equal' if expected.hexdigest() == found.hexdigest() else 'DIFFERENT'}"
    )


def run_engine(engine: str, clients_n: int, seconds: int, workers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        server = None
        if engine == "postgresql":
            from tests.pg_server import PostgresServer

            server = PostgresServer()
            url = server.start()
        else:
            url = f"sqlite:///{tmp / 'load.sqlite3'}"
        limits = ExitStack()
        try:
            limiter = limits.enter_context(LimiterStore(tmp / "redis", workers))
            started = time.perf_counter()
            data = prepare(url, tmp / "instance", clients_n)
            print(f"[{engine}] data ready in {time.perf_counter() - started:.1f} s ({len(data['people'])} clients)")
            port = free_port()
            env = dict(
                os.environ,
                DATABASE_URL=url,
                ROLEBOOK_CONFIG="production",
                SECRET_KEY="bench-load",
                ROLEBOOK_INSTANCE_PATH=str(tmp / "instance"),
                ROLEBOOK_SECURE_COOKIES="0",
                **limiter,
            )
            gunicorn = subprocess.Popen(
                [
                    str(ROOT / ".venv/bin/gunicorn"),
                    "--workers",
                    str(workers),
                    "--threads",
                    "4",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--log-level",
                    "warning",
                    "--timeout",
                    "60",
                    "wsgi:app",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )  # workers and render children: one group, stopped together
            # Up when the app answers (gunicorn listens before its workers have loaded the app: the
            # clients' first requests then waited for that, up to 10 s on a busy machine).
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    conn.request("GET", "/login")
                    conn.getresponse().read()
                    conn.close()
                    break
                except OSError:
                    time.sleep(0.2)
            until = time.monotonic() + seconds
            clients = [Client(port, person, until, seed) for seed, person in enumerate(data["people"])]
            for client in clients:
                client.start()
            for client in clients:
                client.join(seconds + 60)
            os.killpg(gunicorn.pid, signal.SIGTERM)
            try:
                _out, err = gunicorn.communicate(timeout=30)
            except subprocess.TimeoutExpired:  # a process of the group held on: the log pipe stays open
                os.killpg(gunicorn.pid, signal.SIGKILL)
                _out, err = gunicorn.communicate(timeout=30)
            reads = [v for c in clients for v in c.latencies["read"]]
            writes = [v for c in clients for v in c.latencies["write"]]
            errors = [e for c in clients for e in c.errors]
            total = len(reads) + len(writes)
            print(
                f"[{engine}] gunicorn {workers} workers × 4 threads, {len(clients)} clients for {seconds} s: "
                f"{total} requests ({total / seconds:.0f}/s), errors {len(errors)}"
            )
            for label, values in (("reads", reads), ("writes (GET + save)", writes)):
                print(
                    f"[{engine}]   {label:20} n={len(values):6}  p50 {percentile(values, 50):7.1f} ms  "
                    f"p95 {percentile(values, 95):7.1f} ms  p99 {percentile(values, 99):7.1f} ms"
                )
            for error in errors[:5]:
                print(f"[{engine}]   error: {error}")
            ok, detail = verify(url, clients)
            print(f"[{engine}]   {'OK' if ok else 'MISMATCH'}: {detail}")
            result(
                f"load, {engine}: {len(clients)} clients for {seconds} s ({workers} workers × 4 threads)",
                f"{total} requests, {len(errors)} errors; p95 reads {percentile(reads, 95):.0f} ms, writes "
                f"{percentile(writes, 95):.0f} ms; {detail}",
                "no errors, no lost write",
                not errors and ok,
            )
            problems = [
                line
                for line in err.decode(errors="replace").splitlines()
                if "Traceback" in line or "ERROR" in line or "Exception" in line
            ]
            print(
                f"[{engine}]   server log: {len(problems)} error line(s)" + "".join(f"\n    {p}" for p in problems[:5])
            )
        finally:
            limits.close()
            if server is not None:
                server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=scaled(50, 4))
    parser.add_argument("--seconds", type=int, default=scaled(60, 1))
    parser.add_argument("--workers", type=int, default=scaled(4, 1))
    parser.add_argument("--engines", default=scaled("postgresql,sqlite", "sqlite"))
    args = parser.parse_args()
    for engine in args.engines.split(","):
        run_engine(engine.strip(), args.clients, args.seconds, args.workers)


if __name__ == "__main__":
    main()
