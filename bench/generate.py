"""A generated organisation for benchmarks: 200 departments, 2,000 positions, 10,000 employees
(by default; 4, 40 and 200 in a smoke run), inserted in bulk. Deterministic for a given seed.

    from bench.generate import generate
    with app.app_context(): generate()
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import bindparam, insert, select, text, update  # noqa: E402

from app.db import utcnow  # noqa: E402
from app.extensions import db  # noqa: E402
from app.org.models import Assignment, Department, Employee, Position  # noqa: E402
from app.org.services.levels import refresh_reporting_levels  # noqa: E402
from bench.measure import scaled  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉红建文斌宁欣怡浩然子轩雨涵晨阳"
TITLES = [
    "经理",
    "主管",
    "专员",
    "运营专员",
    "推广专员",
    "客服专员",
    "数据分析专员",
    "美工",
    "编辑",
    "摄影师",
    "文案",
    "会计",
    "出纳",
    "采购专员",
    "仓储专员",
    "物流专员",
    "人事专员",
    "行政专员",
]
UNITS = ["电商", "市场", "财务", "制作", "客服", "运营", "采购", "仓储", "物流", "人力", "行政", "技术", "品牌", "渠道"]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def clear_organisation() -> None:
    """Delete the organisation (departments, positions, employees) and every row that refers to
    it, however indirectly (job descriptions, reviews, target plans, feedback, ...), keeping the
    accounts and the libraries, so that ``generate`` lays a company in its place. The tables come
    from the metadata's foreign keys, so a feature's new table is cleared without a change here."""
    doomed = {"departments", "positions", "employees"}
    tables = db.metadata.sorted_tables
    grown = True
    while grown:
        grown = False
        for table in tables:
            if table.name not in doomed and any(fk.column.table.name in doomed for fk in table.foreign_keys):
                doomed.add(table.name)
                grown = True
    db.session.execute(update(Department).values(head_position_id=None, parent_id=None))
    db.session.execute(update(Position).values(reports_to_id=None, acting_position_id=None))
    for table in reversed(tables):
        if table.name in doomed:
            db.session.execute(table.delete())


def generate(
    departments: int = scaled(200, 4),
    positions: int = scaled(2000, 40),
    employees: int = scaled(10000, 200),
    seed: int = 7,
) -> dict:
    """Insert the organisation into the current app's database; returns the counts (a tiny one
    in a smoke run, see bench/measure.py)."""
    rng = random.Random(seed)
    now = utcnow()
    # Departments: a tree of depth ≤ 5 under one root.
    dep_rows, parents = [], {}
    for i in range(1, departments + 1):
        parent = (
            None
            if i == 1
            else rng.choice([d for d in range(max(1, i - 40), i) if parents.get(d, (None, 0))[1] < 5] or [1])
        )
        depth = 0 if parent is None else parents[parent][1] + 1
        path = f"/{i}/" if parent is None else f"{parents[parent][0]}{i}/"
        parents[i] = (path, depth)
        dep_rows.append(
            {
                "id": i,
                "code": f"D{i:03d}",
                "name": f"{rng.choice(UNITS)}{'部' if depth < 2 else '组'}{i}",
                "parent_id": parent,
                "path": path,
                "depth": depth,
                "nature": "",
                "service_object": "",
                "authority": "",
                "management_functions": "",
                "evaluation_criteria": "",
                "created_at": now,
                "version": 1,
            }
        )
    db.session.execute(insert(Department), dep_rows)
    # Positions: each department gets a head reporting to its parent's head, the rest report
    # inside the department (up to three levels).
    per_department = positions // departments
    pos_rows, heads, pid = [], {}, 0
    for dep in range(1, departments + 1):
        members = []
        for k in range(per_department):
            pid += 1
            if k == 0:
                reports_to = heads.get(dep_rows[dep - 1]["parent_id"])
                heads[dep] = pid
                title = "经理"
            else:
                reports_to = rng.choice(members[:3])
                title = rng.choice(TITLES[1:])
            members.append(pid)
            pos_rows.append(
                {
                    "id": pid,
                    "code": f"P{pid:05d}",
                    "title": f"{dep_rows[dep - 1]['name']}{title}",
                    "department_id": dep,
                    "grade": f"P{rng.randint(1, 8)}",
                    "headcount": 1 if k == 0 else rng.choice((1, 1, 2, 3, 5, 8, 12)),
                    "reports_to_id": reports_to,
                    "purpose": "",
                    "authority": "",
                    "management_responsibility": "",
                    "working_conditions": "",
                    "acting_note": "",
                    "created_at": now,
                    "version": 1,
                }
            )
    db.session.execute(insert(Position), pos_rows)
    refresh_reporting_levels()  # a bulk insert bypasses the flush that keeps them
    departments_table = Department.__table__
    db.session.execute(
        update(departments_table)
        .where(departments_table.c.id == bindparam("dep"))
        .values(head_position_id=bindparam("head")),
        [{"dep": dep, "head": head} for dep, head in heads.items()],
    )
    # Employees, each with a primary assignment; some posts stay vacant, a few are over-staffed.
    seats = [row["id"] for row in pos_rows for _ in range(row["headcount"])]
    rng.shuffle(seats)
    emp_rows, asg_rows = [], []
    for eid in range(1, employees + 1):
        hired = date(2012, 1, 1) + timedelta(days=rng.randint(0, 4700))
        status = rng.choices(("regular", "probation", "left"), (90, 7, 3))[0]
        emp_rows.append(
            {
                "id": eid,
                "employee_no": f"E{eid:06d}",
                "name": _name(rng),
                "email": f"e{eid}@example.com",
                "hire_date": hired,
                "status": status,
                "created_at": now,
                "version": 1,
            }
        )
        position = seats[eid - 1] if eid <= len(seats) * 0.92 and eid <= len(seats) else rng.choice(pos_rows)["id"]
        end = hired + timedelta(days=400) if status == "left" else None
        asg_rows.append(
            {"employee_id": eid, "position_id": position, "start_date": hired, "end_date": end, "is_primary": True}
        )
    db.session.execute(insert(Employee), emp_rows)
    db.session.execute(insert(Assignment), asg_rows)
    if db.engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
        for table in ("departments", "positions", "employees", "assignments"):
            db.session.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            )
    db.session.commit()
    return {"departments": len(dep_rows), "positions": len(pos_rows), "employees": len(emp_rows)}


DUTY_VERBS = ["负责", "协助", "组织", "制定", "跟进", "统计", "分析", "维护", "审核", "优化"]
DUTY_OBJECTS = [
    "店铺日常运营",
    "促销活动方案",
    "客户咨询与售后",
    "商品上下架",
    "推广投放计划",
    "销售数据报表",
    "库存预警",
    "页面设计与改版",
    "供应商对接",
    "团队培训",
    "客户回访",
    "物流异常处理",
    "竞品动态",
    "财务对账",
    "合同存档",
    "招聘计划",
    "绩效考核资料",
    "品牌宣传内容",
]


def generate_job_descriptions(duties: int = 8, kpis: int = 3, seed: int = 11) -> dict:
    """A published job description for every position (bulk inserted): ``duties`` duties in
    two sections, three requirements, two competencies and ``kpis`` monthly KPI targets whose
    weights add up to 100. Creates the KPI and competency libraries it needs."""
    from app.jobs.models import (
        Competency,
        CompetencyRequirement,
        Duty,
        DutySection,
        JobDescriptionVersion,
        Kpi,
        KpiTarget,
        Requirement,
    )

    rng = random.Random(seed)
    now = utcnow()
    kpi_ids = []
    for n in range(max(kpis, 6)):
        kpi_ids.append(
            db.session.execute(
                insert(Kpi).returning(Kpi.id),
                [
                    {
                        "code": f"GEN-K{n}",
                        "name": f"指标{n}",
                        "unit": "%",
                        "direction": "lower" if n % 5 == 4 else "higher",
                        "definition": "",
                        "measurement": "",
                        "created_at": now,
                        "version": 1,
                    }
                ],
            ).scalar_one()
        )
    # What each version keeps of the libraries (KpiTarget.snapshot, CompetencyRequirement.snapshot).
    kpi_labels = {
        kid: {
            "kpi_code": f"GEN-K{n}",
            "kpi_name": f"指标{n}",
            "kpi_unit": "%",
            "kpi_direction": "lower" if n % 5 == 4 else "higher",
        }
        for n, kid in enumerate(kpi_ids)
    }
    competency_ids = [
        db.session.execute(
            insert(Competency).returning(Competency.id),
            [
                {
                    "code": f"GEN-C{n}",
                    "name": f"能力{n}",
                    "description": "",
                    "levels": [f"{n}-{k}" for k in range(1, 6)],
                    "created_at": now,
                    "version": 1,
                }
            ],
        ).scalar_one()
        for n in range(4)
    ]
    positions = db.session.execute(select(Position.id, Position.title).order_by(Position.id)).all()
    version_rows = [
        {
            "position_id": pid,
            "number": 1,
            "status": "published",
            "title": title,
            "purpose": "",
            "authority": "",
            "management_responsibility": "",
            "working_conditions": "",
            "effective_date": date(2025, 1, 1),
            "review_comment": "",
            "created_at": now,
            "updated_at": now,
            "published_at": now,
            "version": 1,
        }
        for pid, title in positions
    ]
    db.session.execute(insert(JobDescriptionVersion), version_rows)
    version_ids = dict(db.session.execute(select(JobDescriptionVersion.position_id, JobDescriptionVersion.id)).all())
    sections = [
        {"version_id": version_ids[pid], "position": s, "heading": ("日常工作", "专项工作")[s]}
        for pid, _title in positions
        for s in (0, 1)
    ]
    db.session.execute(insert(DutySection), sections)
    section_ids = db.session.execute(select(DutySection.id, DutySection.version_id, DutySection.position)).all()
    by_version = {}
    for sid, vid, pos in section_ids:
        by_version.setdefault(vid, {})[pos] = sid
    duty_rows, req_rows, comp_rows, kpi_rows = [], [], [], []
    weights = [100 // kpis] * kpis
    weights[0] += 100 - sum(weights)
    for vid, sids in by_version.items():
        for d in range(duties):
            duty_rows.append(
                {
                    "section_id": sids[d % 2],
                    "position": d,
                    "frequency": rng.choice((None, "daily", "weekly", "monthly")),
                    "standard": "",
                    "weight": None,
                    "text": f"{rng.choice(DUTY_VERBS)}{rng.choice(DUTY_OBJECTS)}（{d + 1}）",
                }
            )
        for r, (kind, wording) in enumerate(
            (("education", "大专及以上学历"), ("experience", "2年以上相关工作经验"), ("skills", "熟练使用办公软件"))
        ):
            req_rows.append({"version_id": vid, "position": r, "kind": kind, "text": wording, "required": True})
        for c, cid in enumerate(rng.sample(competency_ids, 2)):
            level = rng.randint(2, 4)
            n = competency_ids.index(cid)
            comp_rows.append(
                {
                    "version_id": vid,
                    "competency_id": cid,
                    "position": c,
                    "level": level,
                    "competency_code": f"GEN-C{n}",
                    "competency_name": f"能力{n}",
                    "competency_description": "",
                    "level_description": f"{n}-{level}",
                }
            )
        for k, kid in enumerate(rng.sample(kpi_ids, kpis)):
            kpi_rows.append(
                {
                    "version_id": vid,
                    "kpi_id": kid,
                    "position": k,
                    "target": 100.0,
                    "threshold": None,
                    "stretch": None,
                    "weight": weights[k],
                    "period": "monthly",
                    "note": "",
                    **kpi_labels[kid],
                }
            )
    db.session.execute(insert(Duty), duty_rows)
    db.session.execute(insert(Requirement), req_rows)
    db.session.execute(insert(CompetencyRequirement), comp_rows)
    db.session.execute(insert(KpiTarget), kpi_rows)
    db.session.commit()
    return {"versions": len(version_rows), "duties": len(duty_rows), "kpi_targets": len(kpi_rows)}
