"""The demo's 电商部 2026 plan: 销售额, 流量 and 转化率 split by month with a November peak, handed
down to its positions (and 制作部), approved; loading it twice adds nothing."""

from __future__ import annotations

from decimal import Decimal

from app.demo import services as demo
from app.demo import targets as demo_targets
from app.extensions import db
from app.targets import services
from app.targets.models import MONTHS, PlanStatus, TargetPlan


def test_the_demo_plan(ctx):
    demo.load_demo()
    db.session.commit()
    plan = db.session.scalar(db.select(TargetPlan))
    assert plan.department.code == "EC" and plan.fiscal_year == 2026 and plan.status == PlanStatus.APPROVED.value
    sales, traffic, conversion = plan.lines
    assert [line.kpi.code for line in plan.lines] == ["SALES", "TRAFFIC", "CONV"]
    assert max(MONTHS, key=lambda m: getattr(sales, m)) == "m11"
    assert sum(getattr(sales, m) for m in MONTHS) == sales.y == Decimal(15000000)
    assert conversion.rule == "mean" and conversion.base_kpi_id == traffic.kpi_id
    assert services.plan_problems(plan) == []
    tree = services.plan_tree(plan)
    positions = [n for n in tree.nodes if n.kind == "position"]
    assert len(positions) >= 5
    root = tree.nodes[0].cells[sales.kpi_id]
    assert root.remainder["y"] > 0 and not root.over  # part of the sales target stays with the department
    assert tree.nodes[0].cells[traffic.kpi_id].remainder["y"] == 0
    assert demo_targets.load_targets() == 0
    from flask import current_app

    from app.documents.scorecard import scorecard

    with current_app.test_request_context():
        card = scorecard(plan)
    january = next(r for r in card["kpis"][0]["rows"] if r["period"] == "m1")
    assert january["actual_value"] is not None and january["attainment"] is not None
    assert next(r for r in card["kpis"][0]["rows"] if r["period"] == "q3")["actual_value"] is not None
