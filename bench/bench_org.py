"""Organisation pages: server time and query count on the demo data and on the generated
company (200 departments, 2,000 positions, 10,000 employees). The issue's target: a fixed
number of queries, and server time at most 1.5× the demo's.

    .venv/bin/python bench/bench_org.py
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, func, select  # noqa: E402

from app import create_app  # noqa: E402
from app.audit.services import acting_as  # noqa: E402
from app.extensions import db  # noqa: E402
from app.org.models import Department, Employee, Position  # noqa: E402
from bench.generate import generate  # noqa: E402

RUNS = 15


def build(path: Path, kind: str):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "bench",
                              "RATELIMIT_ENABLED": False})
    with app.app_context():
        upgrade()
        from app.demo.services import load_demo

        with acting_as("bench"):
            load_demo()
            db.session.commit()
            if kind == "generated":
                # the generated company replaces the demo organisation (keeps the demo users)
                for table in ("assignments", "employees", "position_dotted_lines", "department_collaborations",
                              "department_functions"):
                    db.session.execute(db.metadata.tables[table].delete())
                db.session.execute(db.update(Department).values(head_position_id=None))
                db.session.execute(db.update(Position).values(reports_to_id=None, acting_position_id=None))
                db.session.execute(db.metadata.tables["positions"].delete())
                db.session.execute(db.update(Department).values(parent_id=None))
                db.session.execute(db.metadata.tables["departments"].delete())
                db.session.commit()
                generate()
    return app


def pages(app) -> dict[str, str]:
    with app.app_context():
        first = lambda model: db.session.scalar(select(func.min(model.id)))  # noqa: E731
        busiest = db.session.scalar(select(Position.reports_to_id).where(Position.reports_to_id.is_not(None))
                                    .group_by(Position.reports_to_id).order_by(func.count().desc()).limit(1))
        root = db.session.scalar(select(Department.id).where(Department.parent_id.is_(None)).limit(1))
        return {
            "departments list": "/org/departments",
            "positions list": "/org/positions",
            "positions, vacant, subtree": f"/org/positions?vacancy=vacant&department={root}",
            "employees list": "/org/employees",
            "employees search": "/org/employees?q=王",
            "department detail (root)": f"/org/departments/{root}",
            "position detail (most reports)": f"/org/positions/{busiest}",
            "employee detail": f"/org/employees/{first(Employee)}",
        }


def measure(app, url: str) -> tuple[float, int, int]:
    client = app.test_client()
    client.post("/login", data={"email": "hr@rolebook.demo", "password": "RoleBook-2026"})
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(1)  # noqa: E731
    client.get(url)  # warm up
    event.listen(engine, "before_cursor_execute", listener)
    client.get(url)
    event.remove(engine, "before_cursor_execute", listener)
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    rows = response.get_data(as_text=True).count("<tr")
    return statistics.median(timings) * 1000, len(statements), rows


def main():
    with tempfile.TemporaryDirectory() as tmp:
        demo = build(Path(tmp) / "demo.sqlite3", "demo")
        t0 = time.perf_counter()
        generated = build(Path(tmp) / "generated.sqlite3", "generated")
        print(f"generated company built in {time.perf_counter() - t0:.1f} s")
        with generated.app_context():
            counts = {m.__tablename__: db.session.scalar(select(func.count()).select_from(m))
                      for m in (Department, Position, Employee)}
        print(f"generated: {counts}")
        print(f"{'page':34} {'demo ms':>9} {'gen ms':>9} {'ratio':>6} {'queries demo/gen':>17} {'table rows demo/gen':>20}")
        demo_pages, gen_pages = pages(demo), pages(generated)
        for name in demo_pages:
            d_ms, d_q, d_rows = measure(demo, demo_pages[name])
            g_ms, g_q, g_rows = measure(generated, gen_pages[name])
            print(f"{name:34} {d_ms:9.1f} {g_ms:9.1f} {g_ms / d_ms:6.2f} {d_q:>8} / {g_q:<7} {d_rows:>11} / {g_rows:<7}")


if __name__ == "__main__":
    main()
