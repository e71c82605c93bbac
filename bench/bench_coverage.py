"""Duty coverage (issue 17): a department of 50 positions, each with a published job description
of 10 duties linked to the department's 12 functions, in a temporary SQLite database. Times the
department page with its coverage matrix (as HR, median of 5 GETs), the matrix alone and its
XLSX, counts the matrix's queries, and times the link suggestions for a 60-duty job description
(warm, as in a server worker, which loads scikit-learn when it starts: gunicorn.conf.py; the
load is timed apart). Targets: the page under 500 ms, suggestions under 1 s.

    .venv/bin/python bench/bench_coverage.py
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.auth import services as auth_services  # noqa: E402
from app.core.spreadsheets import xlsx_bytes  # noqa: E402
from app.extensions import db  # noqa: E402
from app.jobs import coverage  # noqa: E402
from app.jobs import services as jobs  # noqa: E402
from app.org import services as org  # noqa: E402
from app.org.models import Department  # noqa: E402
from bench.database import upgrade  # noqa: E402
from bench.measure import count_queries, result, scaled  # noqa: E402

RUNS = scaled(5, 1)
POSITIONS = scaled(50, 4)
DUTIES = 10
PASSWORD = "Bench-Password-42"
FUNCTIONS = [
    ("线上店铺运营", "负责各大电商平台店铺的日常运营管理，包括商品上架、下架、页面更新"),
    ("营销推广", "制定并执行电子商务营销计划，包括搜索引擎优化、搜索引擎营销、社交媒体营销"),
    ("促销活动", "策划并组织各类线上促销活动，提高品牌知名度和产品销量"),
    ("客户服务", "及时处理线上客户咨询、投诉和售后服务，提高客户满意度"),
    ("客户反馈", "收集客户反馈，为产品改进和服务优化提供依据"),
    ("数据分析", "收集、分析电子商务相关数据，如流量、转化率、客单价等，为决策提供支持"),
    ("运营报告", "定期撰写电子商务运营报告，汇报部门工作进展和业绩情况"),
    ("供应链协同", "协同相关部门，确保商品库存充足、及时发货"),
    ("物流优化", "优化物流配送流程，降低成本，提高配送效率"),
    ("合作伙伴", "与电商平台、支付机构、物流企业建立和维护良好的合作关系"),
    ("团队建设", "负责电子商务团队的组建、培训和管理，提升团队整体素质"),
    ("新业务拓展", "关注电子商务行业动态和新技术应用，探索新的业务模式和增长机会"),
]
VERBS = ["负责", "协助", "组织", "跟进", "定期", "及时"]


def duty_text(rng: random.Random, function: tuple[str, str], n: int) -> str:
    part = rng.choice(function[1].split("，"))
    return f"{rng.choice(VERBS)}{part}（第{n}项）"


def build(rng: random.Random) -> Department:
    department = org.create_department(org.DepartmentData(code="EC", name="电商部"))
    org.save_functions(department, [org.FunctionItem(None, t, x) for t, x in FUNCTIONS], seen_version=None)
    functions = list(department.functions)
    for i in range(POSITIONS):
        position = org.create_position(
            org.PositionData(code=f"EC-{i:03d}", title=f"电商专员{i}", department_id=department.id)
        )
        duties = []
        for j in range(DUTIES):
            served = rng.sample(functions[:-1], k=rng.choice((0, 1, 1, 2)))  # the last function: a gap
            text = duty_text(rng, (served[0].title, served[0].text) if served else rng.choice(FUNCTIONS), j)
            duties.append(
                {
                    "id": None,
                    "text": text,
                    "frequency": None,
                    "standard": "",
                    "weight": None,
                    "functions": [f.id for f in served],
                }
            )
        content = {
            "title": position.title,
            "purpose": "",
            "authority": "",
            "management_responsibility": "",
            "working_conditions": "",
            "sections": [{"id": None, "heading": "岗位职责", "duties": duties}],
            "requirements": [],
            "competencies": [],
            "kpis": [],
        }
        version = jobs.start_draft(position, None, content=content)
        version.status = "published"  # the workflow is not what is measured
    db.session.commit()
    return department


def median_ms(fn, runs: int = RUNS) -> tuple[float, object]:
    times, value = [], None
    for _ in range(runs):
        db.session.expunge_all()
        start = time.perf_counter()
        value = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), value


def main() -> None:
    rng = random.Random(17)
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
            with app.test_request_context():
                department = build(rng)
                department_id = department.id
            auth_services.create_user("hr@bench.test", "hr", PASSWORD, "HR")
            db.session.commit()
            print(
                f"generated 1 department, {POSITIONS} positions, {POSITIONS * DUTIES} duties, "
                f"{len(FUNCTIONS)} functions in {time.perf_counter() - start:.1f} s"
            )

            with app.test_request_context():
                matrix_ms, matrix = median_ms(
                    lambda: coverage.department_matrix(db.session.get(Department, department_id))
                )
                queries = count_queries(lambda: coverage.department_matrix(db.session.get(Department, department_id)))
                xlsx_ms, _ = median_ms(
                    lambda: xlsx_bytes(
                        coverage.matrix_sheets(coverage.department_matrix(db.session.get(Department, department_id)))
                    )
                )
            print(
                f"  matrix: {len(matrix.functions)} functions × {len(matrix.columns)} positions, "
                f"{len(matrix.gaps)} gap(s), {len(matrix.overlaps)} overlap(s), {len(matrix.orphans)} orphan duties"
            )
            print(f"  department_matrix()               {matrix_ms:7.1f} ms  ({queries} queries)")
            print(f"  XLSX export                       {xlsx_ms:7.1f} ms")

            client = app.test_client()
            assert client.post("/login", data={"email": "hr@bench.test", "password": PASSWORD}).status_code == 302
            url = f"/org/departments/{department_id}"
            assert client.get(url).status_code == 200  # warm up (templates compiled)
            times = []
            for _ in range(RUNS):
                start = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200 and 'data-testid="coverage"' in response.get_data(as_text=True)
            page_ms = statistics.median(times)
            print(f"  department page with the matrix   {page_ms:7.1f} ms  (median of {RUNS})")

            with app.test_request_context():
                functions = list(db.session.get(Department, department_id).functions)
                texts = [duty_text(rng, rng.choice(FUNCTIONS), n) for n in range(60)]
                start = time.perf_counter()
                coverage.warm_up()  # what a server worker does when it starts
                load_ms = (time.perf_counter() - start) * 1000
                start = time.perf_counter()
                found = coverage.suggest(texts, functions)
                first_ms = (time.perf_counter() - start) * 1000
                warm_ms, _ = median_ms(lambda: coverage.suggest(texts, functions))
            print(f"  loading scikit-learn (once per process, at worker start) {load_ms:.1f} ms")
            print(
                f"  suggestions, 60 duties × {len(functions)} functions: first call {first_ms:.1f} ms, "
                f"median {warm_ms:.1f} ms ({sum(1 for f in found if f)} duties with a suggestion)"
            )

    result(f"coverage page of a {POSITIONS}-position department", f"{page_ms:.0f} ms", "< 500 ms", page_ms < 500)
    result("coverage matrix queries", f"{queries}", "fixed")
    result(
        "suggestions for a 60-duty job description (first call after the worker's start)",
        f"{first_ms:.0f} ms",
        "< 1 s",
        first_ms < 1000,
    )
    result("suggestions for a 60-duty job description (median)", f"{warm_ms:.0f} ms", "< 1 s", warm_ms < 1000)
    result("loading scikit-learn, once per process at worker start", f"{load_ms:.0f} ms")


if __name__ == "__main__":
    main()
