"""Timing and memory figures for the bench scripts, their size, and their results.

Every script runs at its full size (the issues' organisations) or, with ``BENCH_SMOKE=1`` in the
environment (``make bench-smoke``, part of ``make test``), at a tiny size that only proves the
script still runs to the end: ``scaled(full, smoke)`` picks the figure. Figures of a smoke run
mean nothing.

``result()`` prints one figure with its target and verdict; when ``bench/run.py`` runs the
script it also appends it to the file named by ``BENCH_RESULTS`` (JSON lines), from which
``bench/run.py --table`` writes the README's benchmark table.
"""

from __future__ import annotations

import json
import os
import resource
import time
import tracemalloc

SMOKE = os.environ.get("BENCH_SMOKE", "") not in ("", "0")


def scaled(full, smoke):
    """``smoke`` in a smoke run, else ``full``."""
    return smoke if SMOKE else full


def result(what: str, measured: str, target: str = "", ok: bool | None = None) -> None:
    """Print a figure with its target and verdict (PASS/FAIL; none for a figure without a
    target) and record it for the README's table."""
    verdict = "" if ok is None else ("PASS" if ok else "FAIL")
    print(f"RESULT {what}: {measured}" + (f" (target {target})" if target else "") + (f" {verdict}" if verdict else ""))
    record(what, measured, target, verdict)


def record(what: str, measured: str, target: str = "", verdict: str = "") -> None:
    """Append a figure to the run's results (``BENCH_RESULTS``), without printing it."""
    path = os.environ.get("BENCH_RESULTS")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(
                json.dumps(
                    {"what": what, "measured": measured, "target": target, "verdict": verdict}, ensure_ascii=False
                )
                + "\n"
            )


def measure(label: str, work, traced: bool = True):
    """Run ``work`` timed; then, if ``traced``, once more under tracemalloc (so tracing does not
    slow the timed run) for its peak of Python allocations. Prints both; returns the result."""
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    peak = ""
    if traced:
        tracemalloc.start()
        work()
        peak = f"{tracemalloc.get_traced_memory()[1] / 1e6:8.1f} MB peak"
        tracemalloc.stop()
    print(f"  {label:<44} {seconds:7.2f} s   {peak}")
    record(label, f"{seconds:.2f} s" + (f", {peak.strip()} of Python allocations" if peak else ""))
    return result


def note(label: str, text: str) -> None:
    print(f"  {label:<44} {text}")
    if label:
        record(label, text.strip())


def peak_resident() -> None:
    figure = f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    print(f"process peak resident size: {figure}")
    record("process peak resident size", figure)


def page_queries(app, client, url: str) -> int:
    """The SQL statements one GET of ``url`` runs (after a first GET that warms the caches)."""
    from sqlalchemy import event

    from app.extensions import db

    with app.app_context():
        engine = db.engine
    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    response = client.get(url)  # warm up
    assert response.status_code == 200, (url, response.status_code)
    event.listen(engine, "before_cursor_execute", listener)
    client.get(url)
    event.remove(engine, "before_cursor_execute", listener)
    return len(statements)


class LimiterStore:
    """Where several gunicorn workers count failed logins per address: a production start refuses
    a per-process (memory://) store with more than one worker, so a benchmark that starts several
    runs a Redis server of its own (the one the deploy tests use) and points the limiter at it."""

    def __init__(self, folder, workers: int):
        self.redis = None
        if workers > 1:
            from tests.deploy.stack import Redis

            self.redis = Redis(folder)

    def __enter__(self) -> dict:
        if self.redis is None:
            return {}
        self.redis.start()
        return {"ROLEBOOK_RATELIMIT_STORAGE_URI": self.redis.url}

    def __exit__(self, *exc) -> None:
        if self.redis is not None:
            self.redis.stop()


def page_timings(client, url: str, runs: int) -> list[float]:
    """Seconds of ``runs`` GETs of ``url`` (each must answer 200)."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return timings


def count_queries(fn) -> int:
    """The SQL statements ``fn()`` runs (in the app context the caller is in)."""
    from sqlalchemy import event

    from app.extensions import db

    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def on_engine(run) -> None:
    """``run(url)`` with ``url`` None (the script's own SQLite file) or, given ``--postgresql``,
    a throwaway PostgreSQL server's (as the test suite starts), stopped afterwards."""
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--postgresql",
        action="store_true",
        help="run on a throwaway PostgreSQL server (as the test suite does) instead of SQLite",
    )
    args = parser.parse_args()
    server = None
    if args.postgresql:
        from tests.pg_server import PostgresServer

        server = PostgresServer()
    try:
        run(server.start() if server else None)
    finally:
        if server:
            server.stop()
