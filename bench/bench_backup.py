"""Backup and restore of the generated company (bench/generate.py: 200 departments, 2,000
positions with a published job description each, 10,000 employees and their assignments) plus
100,000 audit events, on SQLite files in a temporary folder, and a restore into a throwaway
PostgreSQL server when its binaries are there.

Prints the wall time of each step, the archive's size, the peak of Python allocations
(tracemalloc, in a second, untimed run of the same step) and the process's peak resident size.

    .venv/bin/python bench/bench_backup.py
"""

from __future__ import annotations

import random
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from app import create_app  # noqa: E402
from app.audit.models import AuditEvent  # noqa: E402
from app.backup.archive import table_counts  # noqa: E402
from app.backup.create import create_backup  # noqa: E402
from app.backup.restore import restore_backup  # noqa: E402
from app.db import utcnow  # noqa: E402
from app.extensions import db  # noqa: E402
from bench.database import upgrade  # noqa: E402
from bench.generate import generate, generate_job_descriptions  # noqa: E402
from bench.measure import measure, note, peak_resident, scaled  # noqa: E402

AUDIT_EVENTS = scaled(100_000, 500)


def make_app(url: str):
    return create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})


def audit_trail(count: int) -> None:
    rng, now = random.Random(3), utcnow()
    rows = [
        {
            "at": now - timedelta(minutes=i),
            "actor_id": 1,
            "actor_label": "hr@example.com",
            "entity": "positions",
            "entity_id": str(rng.randint(1, 2000)),
            "label": f"P{i % 2000:05d}",
            "action": "update",
            "changes": {"title": ["运营专员", "高级运营专员"], "headcount": [rng.randint(1, 5), rng.randint(1, 9)]},
            "ip": "127.0.0.1",
        }
        for i in range(count)
    ]
    for start in range(0, count, 10_000):
        db.session.execute(insert(AuditEvent), rows[start : start + 10_000])
    db.session.commit()


def restore_into(app, archive: Path) -> dict:
    with app.app_context():

        def work():
            summary = restore_backup(archive, force=True)
            db.session.commit()
            return summary

        engine = db.engine.dialect.name
        return measure(f"restore into empty {engine}", work, traced=engine == "sqlite")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = make_app(f"sqlite:///{tmp}/source.sqlite3")
        archive = Path(tmp) / "backup.zip"
        with source.app_context():
            upgrade()
            counts = generate()
            counts.update(generate_job_descriptions())
            audit_trail(AUDIT_EVENTS)
            rows = sum(table_counts().values())
            print(f"generated company: {counts}, {AUDIT_EVENTS:,} audit events; {rows:,} rows in all")

            def create():
                with open(archive, "wb") as fh:
                    return create_backup(fh)

            measure("backup (every table, streamed to a zip)", create)
            note("archive size", f"{archive.stat().st_size / 1e6:7.2f} MB")

        restore_into(make_app(f"sqlite:///{tmp}/target.sqlite3"), archive)
        try:
            from tests.pg_server import PostgresServer

            server = PostgresServer()
            url = server.start()
        except Exception as error:  # noqa: BLE001 (no server binaries: skip that engine)
            print(f"  PostgreSQL skipped: {error}")
        else:
            try:
                target = make_app(url)
                restore_into(target, archive)
                with target.app_context():
                    db.engine.dispose()
            finally:
                server.stop()
    peak_resident()


if __name__ == "__main__":
    main()
