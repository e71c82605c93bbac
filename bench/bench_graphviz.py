"""Graphviz on generated organisations of 1, 20, 200 and 2,000 departments, each in three shapes:
deep (a chain of departments, each under the last, a few branches), wide (every department
under the root) and mixed (random parents, as bench/generate.py). For each: the charts the app
draws (the org chart page of the whole company at depths 2, 3 and every level (4 instead for
2,000 departments: 6,000 boxes at every level take dot longer than the page waits, 30 s), the
chart of a sample of departments, and up to 40 of the manual's chart pages of the company), through
``app.org.chart_svg.render_chart_svg`` as the pages and the manual call it.

Prints, per organisation, the charts drawn, the ``dot`` runs that failed (an abort, e.g.
``maze.c: chkSgraph: Assertion … failed`` with right-angled edges; a chart that needs a second
run counts its first as failed), and the charts not drawn within the time limit
(ORG_CHART_TIMEOUT, 30 s: the page says so and suggests fewer levels; on a busy machine the
whole company of 2,000 departments at every level can take that long).
Target: no dot run fails.

    .venv/bin/python bench/bench_graphviz.py
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.db import utcnow  # noqa: E402
from app.extensions import db  # noqa: E402
from app.org import chart as charts  # noqa: E402
from app.org import chart_svg  # noqa: E402
from app.org.headcount import headcount_report  # noqa: E402
from app.org.models import Assignment, Department, Employee, Position  # noqa: E402
from app.org.services.levels import refresh_reporting_levels  # noqa: E402
from bench.measure import result, scaled  # noqa: E402

SIZES = scaled((1, 20, 200, 2000), (1, 20))
SHAPES = ("deep", "wide", "mixed")
DEPARTMENT_CHARTS = scaled(8, 3)  # departments whose own chart is drawn, per organisation
MANUAL_PAGES = scaled(24, 8)  # chart pages of the manual drawn, at most (evenly spread)
ALL_LEVELS_MAX = 200  # departments: above, the company at every level is left out
UNITS = ["电商", "市场", "财务", "制作", "客服", "运营", "采购", "仓储", "物流", "人力", "行政", "技术"]
TITLES = ["主管", "专员", "运营专员", "推广专员", "客服专员", "数据分析专员", "美工", "会计", "采购专员"]


def parent_of(shape: str, i: int, rng: random.Random, depth: dict[int, int]) -> int | None:
    if i == 1:
        return None
    if shape == "wide":
        return 1
    if shape == "deep":  # a long chain, a branch now and then
        return i - 1 if rng.random() < 0.8 else rng.randint(max(1, i - 5), i - 1)
    return rng.choice([d for d in range(max(1, i - 40), i) if depth[d] < 5] or [1])


def organisation(shape: str, departments: int, seed: int = 3) -> None:
    """Departments in ``shape``; ~10 positions each for small organisations, fewer for big ones
    (heads report to the parent department's head, the rest inside the department, some posts
    vacant, some leaves stacked); holders for most posts."""
    rng, now = random.Random(seed), utcnow()
    per_department = 10 if departments <= 200 else 3
    depth, path, rows = {}, {}, []
    for i in range(1, departments + 1):
        parent = parent_of(shape, i, rng, depth)
        depth[i] = 0 if parent is None else depth[parent] + 1
        path[i] = f"/{i}/" if parent is None else f"{path[parent]}{i}/"
        rows.append(
            {
                "id": i,
                "code": f"D{i:04d}",
                "name": f"{rng.choice(UNITS)}{'部' if depth[i] < 2 else '组'}{i}",
                "parent_id": parent,
                "path": path[i],
                "depth": depth[i],
                "created_at": now,
                "version": 1,
            }
        )
    db.session.execute(insert(Department.__table__), rows)
    positions, heads, employees, assignments, pid, eid = [], {}, [], [], 0, 0
    for row in rows:
        members = []
        for k in range(per_department):
            pid += 1
            reports_to = heads.get(row["parent_id"]) if k == 0 else rng.choice(members[:3])
            if k == 0:
                heads[row["id"]] = pid
            members.append(pid)
            headcount = 1 if k == 0 else rng.choice((1, 1, 2, 3, 5))
            positions.append(
                {
                    "id": pid,
                    "code": f"P{pid:05d}",
                    "title": f"{row['name']}{'经理' if k == 0 else rng.choice(TITLES)}",
                    "department_id": row["id"],
                    "headcount": headcount,
                    "reports_to_id": reports_to,
                    "created_at": now,
                    "version": 1,
                }
            )
            for _ in range(0 if rng.random() < 0.1 else headcount):
                eid += 1
                employees.append(
                    {
                        "id": eid,
                        "employee_no": f"E{eid:06d}",
                        "name": f"员工{eid}",
                        "email": "",
                        "status": "regular",
                        "created_at": now,
                        "version": 1,
                    }
                )
                assignments.append(
                    {
                        "employee_id": eid,
                        "position_id": pid,
                        "start_date": now.date(),
                        "end_date": None,
                        "is_primary": True,
                    }
                )
    db.session.execute(insert(Position.__table__), positions)
    refresh_reporting_levels()  # a bulk insert bypasses the flush that keeps them
    if employees:
        db.session.execute(insert(Employee.__table__), employees)
        db.session.execute(insert(Assignment.__table__), assignments)
    db.session.commit()


def sources(rng: random.Random) -> list[tuple[str, str]]:
    """(what, DOT source) of the charts the pages and the manual draw for this organisation."""
    from app.documents import manual

    link = lambda i: f"/org/positions/{i}"  # noqa: E731
    department_link = lambda i: f"/org/chart?department={i}"  # noqa: E731
    out = []
    total = db.session.scalar(select(func.count(Department.id)))
    for depth in (2, 3, None) if total <= ALL_LEVELS_MAX else (2, 3, 4):
        chart = charts.build_chart(None, depth)
        out.append(
            (f"company, depth {depth or 'all'}", charts.chart_to_dot(chart, link=link, department_link=department_link))
        )
    ids = list(db.session.scalars(select(Department.id).order_by(Department.id)))
    for department_id in sorted(rng.sample(ids, min(DEPARTMENT_CHARTS, len(ids)))):
        chart = charts.build_chart(department_id, None)
        out.append(
            (f"department {department_id}", charts.chart_to_dot(chart, link=link, department_link=department_link))
        )
    pages = manual._chart_pages(None, headcount_report(None).departments)
    step = max(1, -(-len(pages) // MANUAL_PAGES))
    out += [(f"manual page {n}", page["dot"]) for n, page in enumerate(pages, start=1) if (n - 1) % step == 0]
    return out


def main() -> None:
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "bench"})
    rng = random.Random(7)
    failures_in_all, slow_in_all, charts_in_all = 0, 0, 0
    print(f"{'organisation':24} {'charts':>6} {'dot runs failed':>16} {'too slow':>9} {'seconds':>8}  settings used")
    for size in SIZES:
        for shape in SHAPES if size > 1 else ("single",):
            with app.test_request_context():
                db.drop_all()
                db.create_all()
                organisation(shape, size)
                drawn, slow, settings = 0, 0, Counter()
                failed_before = chart_svg.dot_failures()
                started = time.perf_counter()
                company_too_slow = False
                for what, source in sources(rng):
                    if company_too_slow and what.startswith("company, depth"):
                        # more levels of a company chart that already took too long: it holds that
                        # chart, so it takes longer still (the page says so the same way)
                        print(f"  not tried: {what} (fewer levels already took too long)")
                        continue
                    chart_svg.clear_cache()
                    try:
                        svg = chart_svg.render_chart_svg(source)
                    except chart_svg.ChartTimeout as error:
                        slow += 1
                        company_too_slow = company_too_slow or what.startswith("company, depth")
                        print(f"  not drawn in time: {what}: {error.message}")
                        continue
                    except chart_svg.ChartError as error:  # counted in dot_failures()
                        print(f"  not drawn: {what}: {error.message}")
                        continue
                    drawn += 1
                    settings[chart_svg.last_settings()] += 1
                    assert "<svg" in svg
                failed = chart_svg.dot_failures() - failed_before
                seconds = time.perf_counter() - started
                name = f"{size} departments, {shape}"
                print(
                    f"{name:24} {drawn + slow:6} {failed:16} {slow:9} {seconds:8.1f}  "
                    + ", ".join(f"{key}: {n}" for key, n in sorted(settings.items()))
                )
                failures_in_all += failed
                slow_in_all += slow
                charts_in_all += drawn + slow
    result(
        f"Graphviz on generated organisations of {', '.join(map(str, SIZES))} departments (deep, wide, mixed)",
        f"{charts_in_all} charts, {failures_in_all} dot runs failed; {slow_in_all} not drawn within the time "
        f"limit (the page says so)",
        "no dot run fails",
        failures_in_all == 0,
    )


if __name__ == "__main__":
    main()
