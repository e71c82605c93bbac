"""Fixtures of the job-description tests: a small department with a manager, a subordinate post
held by an employee, and the libraries."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.extensions import db
from tests import factories


@pytest.fixture
def shop(ctx):
    """电商部: 经理 (held by the manager's employee) ← 客服 (held by an employee), a KPI and competencies."""
    manager_user = factories.create_user("manager")
    employee_user = factories.create_user("employee")
    department = factories.create_department("EC", "电商部")
    boss = factories.create_position("EC-MGR", department, "电商部经理")
    agent = factories.create_position("EC-CS", department, "在线客服", reports_to=boss, headcount=2)
    other_department = factories.create_department("FIN", "财务部")
    clerk = factories.create_position("FIN-ACC", other_department, "会计")
    manager = factories.create_employee("E1", "王强", position=boss, user=manager_user)
    employee = factories.create_employee("E2", "陈静", position=agent, user=employee_user)
    sales = factories.create_kpi("SALES", "销售额")
    complaints = factories.create_kpi("COMPLAINTS", "投诉数", direction="lower")
    service = factories.create_competency("CRM", "客户关系管理能力")
    db.session.commit()
    return SimpleNamespace(
        department=department,
        boss=boss,
        agent=agent,
        clerk=clerk,
        manager=manager,
        employee=employee,
        manager_user=manager_user,
        employee_user=employee_user,
        sales=sales,
        complaints=complaints,
        service=service,
    )


def good_content(shop, title="在线客服", **kwargs):
    """Content that passes the linter."""
    return factories.jd_content(
        title,
        duties=kwargs.pop("duties", ["通过阿里旺旺解答客户咨询", "处理售后问题"]),
        requirements=kwargs.pop("requirements", [("education", "高中及以上学历", True)]),
        kpis=kwargs.pop("kpis", [(shop.sales, 100000, 100, "monthly", 80000, 120000)]),
        competencies=[(shop.service, 3)],
        **kwargs,
    )
