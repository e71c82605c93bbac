"""Target plans on a generated company: one root department over 199 sub-departments (tree depth
≤ 5) and 2,000 positions, bulk-inserted into a temporary SQLite database. A plan of the root for
销售额, 流量 and 转化率 is handed down evenly through the whole tree to every position.

Times (median of 5 runs) and counts the queries of: the plan's tree (the service and the page,
for the whole company and for a company half its size: the same number of queries), and handing
a target down evenly to 500 positions of one department. Targets: the tree page under 300 ms
with a fixed number of queries; handing down to 500 positions under 1 s. Then a year of monthly
actuals of 2,000 positions for the three KPIs (72,000 figures) is recorded through the import's
service (checked, written, audited), and the department's scorecard rolls them up (no target set
by the issue: figures only).

    .venv/bin/python bench/bench_targets.py
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.auth import services as auth_services  # noqa: E402
from app.extensions import db  # noqa: E402
from app.jobs import library  # noqa: E402
from app.org.models import Department, Position  # noqa: E402
from app.org.services.levels import refresh_reporting_levels  # noqa: E402
from app.targets import services  # noqa: E402
from bench.measure import count_queries, result, scaled  # noqa: E402

RUNS = scaled(5, 1)
PASSWORD = "Bench-Password-42"
SEASON = ["6", "6", "7", "7", "8", "8", "7", "7", "8", "9", "17", "10"]


def generate(departments: int, positions: int, first_id: int, big: int, seed: int = 17) -> int:
    """A tree of ``departments`` under one root (ids from ``first_id``), ``positions`` spread over
    them, plus one extra department of ``big`` positions directly under the root. Returns the
    root's id."""
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    info, rows = {}, []
    for n in range(departments + 1):
        i = first_id + n
        if n == 0:
            parent, path = None, f"/{i}/"
        else:
            candidates = [d for d in range(max(first_id, i - 30), i) if info[d][1] < 4]
            parent = rng.choice(candidates) if candidates else first_id
            path = f"{info[parent][0]}{i}/"
        info[i] = (path, path.count("/") - 2)
        rows.append(
            {
                "id": i,
                "code": f"D{i:05d}",
                "name": f"部门{i}",
                "parent_id": parent,
                "path": path,
                "depth": info[i][1],
                "created_at": now,
                "version": 1,
            }
        )
    big_id = first_id + departments + 1
    rows.append(
        {
            "id": big_id,
            "code": f"D{big_id:05d}",
            "name": "大部门",
            "parent_id": first_id,
            "path": f"/{first_id}/{big_id}/",
            "depth": 1,
            "created_at": now,
            "version": 1,
        }
    )
    db.session.execute(insert(Department.__table__), rows)
    ids = [r["id"] for r in rows[:-1]]
    pos = [
        {
            "code": f"P{first_id}-{n:05d}",
            "title": f"岗位{n}",
            "department_id": ids[n % len(ids)],
            "headcount": 1,
            "created_at": now,
            "version": 1,
        }
        for n in range(positions)
    ]
    pos += [
        {
            "code": f"B{first_id}-{n:05d}",
            "title": f"大部门岗位{n}",
            "department_id": big_id,
            "headcount": 1,
            "created_at": now,
            "version": 1,
        }
        for n in range(big)
    ]
    db.session.execute(insert(Position.__table__), pos)
    refresh_reporting_levels()  # a bulk insert bypasses the flush that keeps them
    db.session.commit()
    return first_id


def build_plan(root_id: int, kpis) -> tuple[object, int, int]:
    """The root's plan, handed down evenly from every department to its sub-departments and
    positions (except the big department's positions, left for the timed hand-down)."""
    root = db.session.get(Department, root_id)
    plan = services.create_plan(root, 2026)
    sales, traffic, conversion = kpis
    services.set_line(plan, services.LineData(kpi_id=sales, annual="120000000", split="percent", percents=SEASON))
    services.set_line(plan, services.LineData(kpi_id=traffic, annual="48000000", split="percent", percents=SEASON))
    services.set_line(plan, services.LineData(kpi_id=conversion, annual="3", rule="mean", base_kpi_id=traffic))
    departments = db.session.execute(
        select(Department.id, Department.parent_id, Department.name)
        .where(Department.path.startswith(root.path))
        .order_by(Department.depth)
    ).all()
    children: dict[int, list[tuple[str, int]]] = {}
    for dep_id, parent_id, _name in departments:
        if parent_id is not None:
            children.setdefault(parent_id, []).append(("department", dep_id))
    big_id = max(d[0] for d in departments if d[2] == "大部门")
    for pos_id, dep_id in db.session.execute(
        select(Position.id, Position.department_id).where(Position.department_id.in_([d[0] for d in departments]))
    ):
        if dep_id != big_id:
            children.setdefault(dep_id, []).append(("position", pos_id))
    shares = 0
    for dep_id, _parent, _name in departments:  # parents before children
        if dep_id in children:
            for kpi in kpis:
                shares += services.hand_down(
                    plan, services.HandDown(kpi_id=kpi, parent_department_id=dep_id, nodes=children[dep_id])
                )
    db.session.commit()
    return plan, shares, big_id


def median_ms(fn, runs: int = RUNS, between=None) -> float:
    times = []
    for _ in range(runs):
        if between:
            between()
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    full_departments, full_positions, big = scaled(199, 9), scaled(2000, 60), scaled(500, 20)
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
            kpis = [
                library.create_kpi(library.KpiData(code=c, name=n, unit=u, direction="higher"))
                for c, n, u in (("SALES", "销售额", "元"), ("UV", "流量", "访客"), ("CVR", "转化率", "%"))
            ]
            db.session.commit()
            kpis = [kpi.id for kpi in kpis]
            start = time.perf_counter()
            half_root = generate(full_departments // 2, full_positions // 2, 1, big)
            full_root = generate(full_departments, full_positions, 10000, big)
            with app.test_request_context():
                half_plan, _s, _b = build_plan(half_root, kpis)
                plan, shares, big_id = build_plan(full_root, kpis)
                plan_id, half_id = plan.id, half_plan.id
                print(
                    f"generated two companies and their plans in {time.perf_counter() - start:.1f} s: "
                    f"{shares} shares in the full one"
                )
                tree_ms = median_ms(
                    lambda: services.plan_tree(db.session.get(services.TargetPlan, plan_id)),
                    between=db.session.expunge_all,
                )
                tree_queries = count_queries(lambda: services.plan_tree(db.session.get(services.TargetPlan, plan_id)))
                db.session.expunge_all()
                half_queries = count_queries(lambda: services.plan_tree(db.session.get(services.TargetPlan, half_id)))
                tree = services.plan_tree(db.session.get(services.TargetPlan, plan_id))
                nodes = len(tree.nodes)

                receivers = [
                    ("position", p)
                    for p in db.session.scalars(
                        select(Position.id).where(Position.department_id == big_id).order_by(Position.id)
                    )
                ]

                def hand_down():
                    current = db.session.get(services.TargetPlan, plan_id)
                    services.hand_down(
                        current, services.HandDown(kpi_id=kpis[0], parent_department_id=big_id, nodes=receivers)
                    )
                    db.session.commit()

                # first the big department receives its share from the root, then it hands it down
                services.hand_down(
                    db.session.get(services.TargetPlan, plan_id),
                    services.HandDown(
                        kpi_id=kpis[0],
                        parent_department_id=full_root,
                        nodes=[("department", big_id)],
                        method="amount",
                        values=["1000000"],
                        confirm_over=True,
                    ),
                    may_over_allocate=True,
                )
                db.session.commit()
                hand_ms = median_ms(hand_down)
            auth_services.create_user("bench-hr@example.test", "hr", PASSWORD, "Bench")
            db.session.commit()
            engine = db.engine

        client = app.test_client()
        client.post("/login", data={"email": "bench-hr@example.test", "password": PASSWORD})
        url, half_url = f"/targets/plans/{plan_id}", f"/targets/plans/{half_id}"
        assert client.get(url).status_code == 200
        page_ms = median_ms(lambda: client.get(url))
        statements: list[int] = []
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        client.get(url)
        full_page_queries = len(statements)
        statements.clear()
        client.get(half_url)
        half_page_queries = len(statements)
        event.remove(engine, "before_cursor_execute", listener)
        size = len(client.get(url).data) / 1024

        print(
            f"  plan_tree, whole company ({nodes} nodes)  {tree_ms:7.1f} ms  ({tree_queries} queries; "
            f"half the company: {half_queries})"
        )
        print(
            f"  GET {url:<28} {page_ms:7.1f} ms  ({full_page_queries} queries, half the company: "
            f"{half_page_queries}; {size:.0f} KiB of HTML)"
        )
        print(f"  hand down evenly to {len(receivers)} positions    {hand_ms:7.1f} ms")
        print(f"median of {RUNS} runs")
        result(
            f"plan tree of the whole company ({nodes} nodes, 3 KPIs): service",
            f"{tree_ms:.1f} ms, {tree_queries} queries (half the company: {half_queries})",
        )
        result(
            "plan tree page of the whole company",
            f"{page_ms:.1f} ms, {full_page_queries} queries (half the company: {half_page_queries})",
            "< 300 ms, fixed queries",
            page_ms < 300 and full_page_queries == half_page_queries,
        )
        result(
            f"hand a target down evenly to {len(receivers)} positions", f"{hand_ms:.1f} ms", "< 1000 ms", hand_ms < 1000
        )
        with app.app_context(), app.test_request_context():
            rollup(plan_id, kpis, full_positions)
            db.engine.dispose()


def rollup(plan_id: int, kpis: list[int], count: int) -> None:
    """Record a year of actuals of ``count`` positions (the import's service), then time the
    scorecard's roll-up to the department."""
    from sqlalchemy import update

    from app.documents.scorecard import scorecard
    from app.targets import actuals
    from app.targets.models import MONTHS, TargetPlan

    # the bench's plan hands more than the whole to the big department: approved here directly
    db.session.execute(update(TargetPlan.__table__).where(TargetPlan.id == plan_id).values(status="approved"))
    db.session.commit()
    plan = db.session.get(TargetPlan, plan_id)
    positions = db.session.scalars(actuals.subtree_positions(plan).with_only_columns(Position.id).limit(count)).all()
    entries = [
        actuals.Entry(p, kpi, m, typed)
        for i, p in enumerate(positions)
        for kpi, typed in zip(kpis, (f"{5000 + i % 97}.50", str(2000 + i % 31), "3.1"))
        for m in MONTHS
    ]
    start = time.perf_counter()
    recorded = actuals.save(plan, entries, None, action="import")
    db.session.commit()
    save_ms = (time.perf_counter() - start) * 1000
    scorecard_ms = median_ms(lambda: scorecard(db.session.get(TargetPlan, plan_id)), between=db.session.expunge_all)
    queries = count_queries(lambda: scorecard(db.session.get(TargetPlan, plan_id)))
    print(f"  record {recorded} actuals of {len(positions)} positions  {save_ms:7.1f} ms")
    print(f"  scorecard roll-up of them                {scorecard_ms:7.1f} ms  ({queries} queries)")
    result(f"record a year of actuals of {len(positions)} positions ({recorded} figures, audited)", f"{save_ms:.0f} ms")
    result(
        f"scorecard: roll up {recorded} monthly actuals to the department",
        f"{scorecard_ms:.1f} ms, {queries} queries",
    )


if __name__ == "__main__":
    main()
