"""An organisation that uses every column, and small helpers to build and read spreadsheets."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook, load_workbook

from app.extensions import db
from app.org import services as org
from app.org.models import Assignment, Department, Employee, Position
from app.transfer import services
from app.transfer.reader import read_book
from tests import factories

FORMULA = '=HYPERLINK("http://evil.example","点我")'


def build_org() -> dict:
    """Departments with functions, collaborations and a head; positions with reporting, dotted and
    acting-for lines across departments; employees (one linked to an account, one who left) and
    assignments with history. Chinese text, multi-line text and formula-like text throughout."""
    user = factories.create_user("employee", email="wang.qiang@example.test")
    top = factories.create_department("GM", "总经理办公室", nature="统筹\n管理")
    market = factories.create_department("MK", "市场部", parent=top)
    shop = factories.create_department(
        "EC",
        "电商部",
        parent=top,
        functions=["负责网店日常维护", "负责网络推广"],
        collaborations=[("市场部", "制定并执行整合营销方案"), ("", "保障供货")],
        evaluation_criteria="销售额",
    )
    ceo = factories.create_position("GM-1", top, "总经理", grade="M5")
    mk_head = factories.create_position("MK-MGR", market, FORMULA, reports_to=ceo)
    manager = factories.create_position(
        "EC-MGR", shop, "电商部经理", reports_to=ceo, grade="M2", purpose="带领团队完成销售目标\n控制成本"
    )
    agent = factories.create_position(
        "EC-CS", shop, "在线客服", reports_to=manager, headcount=2, working_conditions="早晚班"
    )
    org.update_position(
        agent,
        org.PositionData(
            code="EC-CS",
            title="在线客服",
            department_id=shop.id,
            headcount=2,
            reports_to_id=manager.id,
            working_conditions="早晚班",
            acting_position_id=manager.id,
            acting_note="经理代理",
            dotted_superior_ids=[mk_head.id],
        ),
        seen_version=None,
    )
    org.update_department(
        shop,
        org.DepartmentData(
            code="EC",
            name="电商部",
            parent_id=top.id,
            functions=["负责网店日常维护", "负责网络推广"],
            collaborations=[("市场部", "制定并执行整合营销方案"), ("", "保障供货")],
            evaluation_criteria="销售额",
            head_position_id=manager.id,
        ),
        seen_version=None,
    )
    db.session.commit()
    factories.create_employee(
        "E001",
        "王强",
        position=manager,
        user=user,
        email="Wang.Qiang@Example.test",
        hire_date=date(2020, 1, 1),
        start=date(2020, 1, 1),
    )
    factories.create_employee(
        "E002", "@陈静", position=agent, hire_date=date(2021, 3, 1), status="probation", start=date(2021, 3, 1)
    )
    left = factories.create_employee("E003", "李四", hire_date=date(2019, 1, 1), status="left")
    org.assign(left, agent.id, date(2019, 1, 1), date(2019, 12, 31))  # history of someone who left
    db.session.commit()
    return {"top": top, "shop": shop, "manager": manager, "agent": agent, "user": user}


def counts() -> dict[str, int]:
    from app.audit.models import AuditEvent

    return {
        model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
        for model in (Department, Position, Employee, Assignment, AuditEvent)
    }


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(data: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(io.BytesIO(data))
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets}


def check(data: bytes, filename: str, kind: str, apply: bool = False, **limits) -> services.Report:
    """Run an import of ``data`` (a dry run unless ``apply``) and commit what it kept."""
    raw = read_book(data, filename, limits.get("max_rows", 1000), limits.get("max_bytes", 10_000_000))
    report = services.run_import(raw, kind, apply=apply)
    db.session.commit() if report.applied else db.session.rollback()
    return report


def problems(report: services.Report) -> list[tuple]:
    """Every problem as (sheet kind, row number or None, column, message)."""
    found = [(None, None, "", message) for message in report.problems]
    for sheet in report.sheets:
        found += [(sheet.kind, None, column, message) for column, message in sheet.problems]
        found += [(sheet.kind, row.row, column, message) for row in sheet.rows for column, message in row.errors]
    return found
