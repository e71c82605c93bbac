"""Org chart timings on a generated company: 200 departments (a tree 5–6 levels deep), 2,000
positions (about 10 a department; heads report to the head of the parent department, the rest
inside their department), some vacant or over-staffed, ~100 dotted lines, ~2,900 holders.

Prints, for the whole company at the default depth, the whole company fully expanded and one
department: seconds (queries + DOT, dot itself, the HTTP page), SVG size and nodes drawn.

    .venv/bin/python bench/bench_chart.py
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from app import create_app  # noqa: E402
from app.db import utcnow  # noqa: E402
from app.extensions import db  # noqa: E402
from app.org import chart as charts  # noqa: E402
from app.org.models import Assignment, Department, Employee, Position, dotted_lines  # noqa: E402
from app.org.services.levels import refresh_reporting_levels  # noqa: E402
from bench.measure import result, scaled  # noqa: E402

SEED = 11
DEPARTMENTS = scaled(200, 12)
PER_DEPARTMENT = 10
RUNS = scaled(3, 1)
TARGET = 3.0  # seconds, whole company

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉红建文斌宁欣怡浩然子轩雨涵晨阳"
UNITS = [
    "销售",
    "市场",
    "财务",
    "生产",
    "客服",
    "运营",
    "采购",
    "仓储",
    "物流",
    "人力资源",
    "行政",
    "技术",
    "品牌",
    "质量",
]
STAFF = ["主管", "专员", "高级专员", "分析师", "工程师", "助理", "文员", "会计", "培训师", "督导"]


def generate(rng: random.Random) -> dict[str, int]:
    now = utcnow()
    base = {
        "nature": "",
        "service_object": "",
        "authority": "",
        "management_functions": "",
        "evaluation_criteria": "",
        "created_at": now,
        "version": 1,
    }
    # Departments: a root, 7 divisions, then departments under random parents of depth ≤ 4.
    departments = [{"id": 1, "code": "D001", "name": "总公司", "parent_id": None, "path": "/1/", "depth": 0, **base}]
    for i in range(2, DEPARTMENTS + 1):
        if i <= 8:
            parent = departments[0]
        else:
            candidates = [d for d in departments[1:] if d["depth"] < 4]
            parent = rng.choice(candidates[-60:])  # recent ones: the tree grows deep, not just wide
        departments.append(
            {
                "id": i,
                "code": f"D{i:03d}",
                "name": f"{rng.choice(UNITS)}{'部' if parent['depth'] < 1 else '科'}{i}",
                "parent_id": parent["id"],
                "path": f"{parent['path']}{i}/",
                "depth": parent["depth"] + 1,
                **base,
            }
        )
    db.session.execute(insert(Department), departments)

    # Positions: head → parent department's head; two managers → head; staff → a manager or the head.
    positions, heads, pid = [], {}, 0
    text = {
        "grade": "",
        "purpose": "",
        "authority": "",
        "management_responsibility": "",
        "working_conditions": "",
        "acting_note": "",
        "created_at": now,
        "version": 1,
    }
    for dep in departments:
        members = []
        for k in range(PER_DEPARTMENT):
            pid += 1
            if k == 0:
                reports_to, title, headcount = heads.get(dep["parent_id"]), ("总经理" if dep["id"] == 1 else "经理"), 1
                heads[dep["id"]] = pid
            elif k < 3:
                reports_to, title, headcount = members[0], ("副经理" if k == 1 else "主任"), 1
            else:
                reports_to = rng.choice(members[:3])
                title, headcount = rng.choice(STAFF), rng.choice((1, 1, 1, 2, 3, 5))
            members.append(pid)
            positions.append(
                {
                    "id": pid,
                    "code": f"P{pid:05d}",
                    "title": f"{dep['name']}{title}",
                    "department_id": dep["id"],
                    "headcount": headcount,
                    "reports_to_id": reports_to,
                    **text,
                }
            )
    db.session.execute(insert(Position), positions)
    refresh_reporting_levels()  # a bulk insert bypasses the flush that keeps them

    # Dotted lines: 5 % of positions also report to the head of another department.
    head_ids = list(heads.values())
    dotted = set()
    for row in rng.sample(positions, len(positions) // 20):
        superior = rng.choice(head_ids)
        if superior not in (row["id"], row["reports_to_id"]):
            dotted.add((row["id"], superior))
    db.session.execute(insert(dotted_lines), [{"position_id": a, "superior_id": b} for a, b in sorted(dotted)])

    # Holders: most posts full, 12 % vacant, 10 % short of one, 3 % one over.
    employees, assignments, eid = [], [], 0
    for row in positions:
        roll = rng.random()
        filled = 0 if roll < 0.12 else row["headcount"] - 1 if roll < 0.22 else row["headcount"] + (roll > 0.97)
        for _ in range(filled):
            eid += 1
            employees.append(
                {
                    "id": eid,
                    "employee_no": f"E{eid:06d}",
                    "email": "",
                    "status": "regular",
                    "name": rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                    "created_at": now,
                    "version": 1,
                }
            )
            assignments.append(
                {
                    "employee_id": eid,
                    "position_id": row["id"],
                    "start_date": date(2020, 1, 1),
                    "end_date": None,
                    "is_primary": True,
                }
            )
    db.session.execute(insert(Employee), employees)
    db.session.execute(insert(Assignment), assignments)
    db.session.commit()
    return {
        "departments": len(departments),
        "positions": len(positions),
        "dotted lines": len(dotted),
        "holders": len(assignments),
        "department depth": max(d["depth"] for d in departments) + 1,
    }


def position_levels() -> int:
    return max(node.level for node in charts.build_chart(None, None).nodes)


def timed(label: str, department_id: int | None, depth: int | None, client=None, url: str | None = None) -> float:
    build, render, sizes = [], [], []
    for _ in range(RUNS):
        charts.clear_cache()
        start = time.perf_counter()
        chart = charts.build_chart(department_id, depth)
        source = charts.chart_to_dot(
            chart, link=lambda i: f"/org/positions/{i}", department_link=lambda i: f"/org/chart?department={i}"
        )
        middle = time.perf_counter()
        svg = charts.render_svg(source)
        end = time.perf_counter()
        build.append(middle - start)
        render.append(end - middle)
        sizes.append(len(svg.encode("utf-8")))
    total = statistics.median(b + r for b, r in zip(build, render))
    page = ""
    if client is not None and url:
        charts.clear_cache()
        start = time.perf_counter()
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        page = f"  page {time.perf_counter() - start:5.2f} s"
    print(
        f"{label:<40} {chart.shown:>5} of {chart.total:<5} nodes  queries+DOT {statistics.median(build):5.2f} s"
        f"  dot {statistics.median(render):5.2f} s  total {total:5.2f} s{page}  SVG {sizes[0] / 1024:7.0f} KiB"
    )
    result(
        f"org chart, {label}",
        f"{total:.2f} s ({chart.shown} nodes; dot {statistics.median(render):.2f} s)"
        + (f"; {' '.join(page.split())}" if page else ""),
        f"< {TARGET:.0f} s" if department_id is None else "",
        total < TARGET if department_id is None else None,
    )
    return total


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            "test",
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
                "SECRET_KEY": "bench",
                "RATELIMIT_ENABLED": False,
            },
        )
        with app.app_context():
            db.create_all()
            start = time.perf_counter()
            counts = generate(random.Random(SEED))
            print(
                f"generated in {time.perf_counter() - start:.1f} s: "
                + ", ".join(f"{value} {key}" for key, value in counts.items())
                + f", {position_levels()} reporting levels"
            )
            from app.auth.services import create_user

            user = create_user("bench@example.test", "employee", "Correct-Horse-42", "Bench")
            db.session.commit()
            # a department near the middle: a division's child with sub-departments
            department = db.session.execute(
                select(Department.id, Department.name, func.count(Position.id).label("n"))
                .join(Position, Position.department_id == Department.id)
                .where(Department.depth == 2)
                .group_by(Department.id, Department.name)
                .order_by(Department.path.like("/1/2/%").desc(), Department.id)
            ).first()
            subtree = db.session.scalar(
                select(func.count(Position.id))
                .join(Department, Department.id == Position.department_id)
                .where(Department.path.like(f"%/{department.id}/%"))
            )
        client = app.test_client()
        client.post("/login", data={"email": "bench@example.test", "password": "Correct-Horse-42"})
        print(f"dot: {shutil.which('dot')}, {RUNS} runs each, median; 'page' is one GET of the HTML page")
        with app.app_context():
            timed("whole company, default depth (3)", None, 3, client, "/org/chart")
            timed("whole company, depth 4", None, 4, client, "/org/chart?depth=4")
            timed("whole company, all levels", None, None, client, "/org/chart?depth=all")
            timed(
                f"one department ({subtree} positions in subtree)",
                department.id,
                None,
                client,
                f"/org/chart?department={department.id}",
            )
        del user


if __name__ == "__main__":
    main()
