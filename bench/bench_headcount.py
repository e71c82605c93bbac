"""The headcount report (编制表) on a generated company: 200 departments (tree depth ≤ 5), 2,000
positions, 10,000 employees with assignments, bulk-inserted into a temporary SQLite database.
Times the whole-company report, one department's subtree and the XLSX export (median of 5 runs)
and counts the queries. Target: the whole company under 1 s, a fixed number of queries.

    .venv/bin/python bench/bench_headcount.py
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.auth import services as auth_services  # noqa: E402
from app.core.spreadsheets import xlsx_bytes  # noqa: E402
from app.extensions import db  # noqa: E402
from app.org.headcount import headcount_report, headcount_sheets  # noqa: E402
from app.org.models import Assignment, Department, Employee, Position  # noqa: E402
from app.org.services.levels import refresh_reporting_levels  # noqa: E402
from bench.database import upgrade  # noqa: E402
from bench.measure import count_queries, result, scaled  # noqa: E402

RUNS = scaled(5, 1)
UNITS = ["电商", "市场", "财务", "制作", "客服", "运营", "采购", "仓储", "物流", "人力", "行政", "技术", "品牌", "渠道"]
TITLES = [
    "经理",
    "主管",
    "专员",
    "运营专员",
    "推广专员",
    "客服专员",
    "美工",
    "编辑",
    "会计",
    "出纳",
    "采购专员",
    "仓储专员",
]
PASSWORD = "Bench-Password-42"


def generate(departments: int = 200, positions: int = 2000, employees: int = 10000, seed: int = 11) -> dict:
    """Bulk-insert a company (Core inserts, a handful of statements): a department tree of depth
    ≤ 5, positions with authorised headcounts of 1-12, employees with current primary assignments
    (some posts vacant, some over-staffed) plus ended ones as history."""
    rng = random.Random(seed)
    now, today = datetime.now(timezone.utc), date.today()
    deps, info = [], {}
    for i in range(1, departments + 1):
        candidates = [d for d in range(max(1, i - 30), i) if info[d][1] < 4]
        parent = rng.choice(candidates) if i > 5 and candidates else None  # five top-level departments
        path = f"{info[parent][0] if parent else '/'}{i}/"
        info[i] = (path, path.count("/") - 2)
        deps.append(
            {
                "id": i,
                "code": f"D{i:03d}",
                "name": f"{rng.choice(UNITS)}{'部' if info[i][1] < 2 else '组'}{i}",
                "parent_id": parent,
                "path": path,
                "depth": info[i][1],
                "created_at": now,
                "version": 1,
            }
        )
    db.session.execute(insert(Department.__table__), deps)
    pos = [
        {
            "id": i,
            "code": f"P{i:05d}",
            "title": f"{rng.choice(TITLES)}{i}",
            "grade": f"P{rng.randint(1, 8)}",
            "department_id": (i - 1) % departments + 1,
            "headcount": rng.choice((1, 2, 3, 5, 6, 8, 12)),
            "created_at": now,
            "version": 1,
        }
        for i in range(1, positions + 1)
    ]
    db.session.execute(insert(Position.__table__), pos)
    refresh_reporting_levels()  # a bulk insert bypasses the flush that keeps them
    seats = [p["id"] for p in pos for _ in range(p["headcount"])]
    rng.shuffle(seats)
    emps, asgs = [], []
    for i in range(1, employees + 1):
        emps.append(
            {
                "id": i,
                "employee_no": f"E{i:06d}",
                "name": f"员工{i}",
                "email": "",
                "status": "regular",
                "created_at": now,
                "version": 1,
            }
        )
        position = seats[i - 1] if i <= len(seats) * 0.9 else rng.choice(pos)["id"]
        start = today - timedelta(days=rng.randint(0, 3000))
        asgs.append(
            {"employee_id": i, "position_id": position, "start_date": start, "end_date": None, "is_primary": True}
        )
        if i % 5 == 0:  # a previous post, ended
            asgs.append(
                {
                    "employee_id": i,
                    "position_id": rng.choice(pos)["id"],
                    "start_date": start - timedelta(days=800),
                    "end_date": start - timedelta(days=1),
                    "is_primary": True,
                }
            )
    db.session.execute(insert(Employee.__table__), emps)
    db.session.execute(insert(Assignment.__table__), asgs)
    db.session.commit()
    return {"departments": len(deps), "positions": len(pos), "employees": len(emps), "assignments": len(asgs)}


def timed(fn, runs: int = RUNS) -> tuple[float, object]:
    """Median wall time in milliseconds of ``fn()`` over ``runs`` runs, and its last result."""
    times, result = [], None
    for _ in range(runs):
        db.session.expunge_all()
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def timed_request(fn, runs: int = RUNS) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            "test",
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
                "SECRET_KEY": "bench",
                "RATELIMIT_ENABLED": False,
            },
        )
        with app.app_context():
            upgrade()
            start = time.perf_counter()
            counts = generate(departments=scaled(200, 6), positions=scaled(2000, 60), employees=scaled(10000, 300))
            print(
                f"generated {counts} in {time.perf_counter() - start:.1f} s "
                f"(max depth {db.session.scalar(select(func.max(Department.depth)))})"
            )

            # "One department": the largest subtree just below the root.
            sizes = {
                dep_id: db.session.scalar(select(func.count()).where(Department.path.startswith(path)))
                for dep_id, path in db.session.execute(
                    select(Department.id, Department.path).where(Department.depth == 1)
                )
            }
            big_id = max(sizes, key=sizes.get)

            with app.test_request_context():
                whole_ms, whole = timed(lambda: headcount_report(None))
                whole_queries = count_queries(lambda: headcount_report(None))
                sub_ms, sub = timed(lambda: headcount_report(db.session.get(Department, big_id)))
                dep = db.session.get(Department, big_id)
                sub_queries = count_queries(lambda: headcount_report(dep))
                sheets_ms, data = timed(lambda: xlsx_bytes(headcount_sheets(whole)))
                export_ms, _ = timed(lambda: xlsx_bytes(headcount_sheets(headcount_report(None))))

            t = whole.total
            print(
                f"whole company: {len(whole.departments)} departments, {t.positions} positions, authorised "
                f"{t.authorised}, filled {t.filled}, vacant {t.vacant}, over-staffed {t.over}"
            )
            print(f"  headcount_report(None)            {whole_ms:7.1f} ms  ({whole_queries} queries)")
            print(
                f"  one subtree ({len(sub.departments):3d} departments, "
                f"{sub.total.positions:4d} positions) {sub_ms:7.1f} ms  ({sub_queries} queries)"
            )
            print(f"  XLSX of the whole company         {sheets_ms:7.1f} ms  ({len(data) / 1024:.0f} KiB)")
            print(f"  report + XLSX (the download)      {export_ms:7.1f} ms")
            print(f"median of {RUNS} runs")
            result(
                f"headcount report, whole company ({t.positions} positions)",
                f"{whole_ms:.1f} ms, {whole_queries} queries",
                "< 1000 ms",
                whole_ms < 1000,
            )
            result("headcount report, one subtree", f"{sub_ms:.1f} ms, {sub_queries} queries")
            result("headcount report + XLSX (the download)", f"{export_ms:.1f} ms")

            auth_services.create_user("bench-hr@example.test", "hr", PASSWORD, "Bench")
            db.session.commit()

        # The pages themselves, through the test client (each request gets its own app context).
        client = app.test_client()
        client.post("/login", data={"email": "bench-hr@example.test", "password": PASSWORD})
        page_ms, response = timed_request(lambda: client.get("/org/headcount"))
        xlsx_ms, download = timed_request(lambda: client.get("/org/headcount.xlsx"))
        print(
            f"  GET /org/headcount                {page_ms:7.1f} ms  (HTTP {response.status_code}, "
            f"{len(response.data) / 1024:.0f} KiB of HTML)"
        )
        print(f"  GET /org/headcount.xlsx           {xlsx_ms:7.1f} ms  (HTTP {download.status_code})")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
