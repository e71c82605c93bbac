"""Timing and memory figures for the bench scripts."""
from __future__ import annotations

import resource
import time
import tracemalloc


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
    return result


def note(label: str, text: str) -> None:
    print(f"  {label:<44} {text}")


def peak_resident() -> None:
    print(f"process peak resident size: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


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
