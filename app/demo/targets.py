"""The demo's target plan: 电商部's 2026 plan for 销售额, 店铺流量 (visitors) and 转化率, split
over the months with a peak in November (双十一) and handed down to its positions and to 制作部,
approved by HR. Part of the sales target is left with the department (a remainder to see); then
January to September's actuals of six of its positions are imported, so that the scorecard
shows target against actual. Made only when 电商部 has no 2026 plan; loaded after the appraisal
cycles, whose reviews keep the targets they were launched with."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.jobs.models import Kpi
from app.org.models import Department, Position
from app.targets import services
from app.targets.models import Rule, TargetPlan

YEAR = 2026
# 双十一 in November, 双十二 in December, a quiet spring: percentages of the year, by month.
SEASON = ["6", "6", "7", "7", "8", "8", "7", "7", "8", "9", "17", "10"]
# Conversion rates (%) by month: better in the promotions, whose traffic is bought.
CONVERSION = ["2.8", "2.8", "3", "3", "3", "3.1", "3", "3", "3.1", "3.2", "3.6", "3.3"]
SALES_SHARES = {"EC-OPS": "6000000", "EC-CSS": "3600000", "EC-PROD": "1800000", "EC-SEM": "1200000"}
TRAFFIC_SHARES = ["EC-SEM", "EC-PROMO", "EC-OPS"]  # evenly
CONVERSION_TO = TRAFFIC_SHARES  # the department's rate each


def _nodes(codes) -> list[tuple[str, int]]:
    departments = dict(
        db.session.execute(select(Department.code, Department.id).where(Department.code.in_(codes))).all()
    )
    positions = dict(db.session.execute(select(Position.code, Position.id).where(Position.code.in_(codes))).all())
    return [("department", departments[c]) if c in departments else ("position", positions[c]) for c in codes]


def load_targets() -> int:
    ec = db.session.scalar(select(Department).where(Department.code == "EC"))
    kpis = dict(db.session.execute(select(Kpi.code, Kpi.id).where(Kpi.code.in_(("SALES", "TRAFFIC", "CONV")))).all())
    if (
        ec is None
        or len(kpis) < 3
        or db.session.scalar(
            select(TargetPlan.id).where(TargetPlan.department_id == ec.id, TargetPlan.fiscal_year == YEAR)
        )
    ):
        return 0
    plan = services.create_plan(ec, YEAR, title="2026年电商部业绩、流量、转化率目标")
    services.set_line(
        plan, services.LineData(kpi_id=kpis["SALES"], annual="15000000", split="percent", percents=SEASON)
    )
    services.set_line(
        plan, services.LineData(kpi_id=kpis["TRAFFIC"], annual="4800000", split="percent", percents=SEASON)
    )
    # The year's rate is the traffic-weighted mean of the months (orders ÷ visitors), as typed to 4 places.
    traffic = plan.lines[1].figures()
    from app.targets import figures

    months = {f"m{i + 1}": Decimal(v) for i, v in enumerate(CONVERSION)}
    annual = figures.roll_up(Rule.MEAN.value, months, traffic)["y"].quantize(Decimal("0.0001"))
    services.set_line(
        plan,
        services.LineData(
            kpi_id=kpis["CONV"],
            annual=str(annual),
            rule=Rule.MEAN.value,
            base_kpi_id=kpis["TRAFFIC"],
            split="manual",
            months=CONVERSION,
        ),
    )
    services.hand_down(
        plan,
        services.HandDown(
            kpi_id=kpis["SALES"],
            parent_department_id=ec.id,
            nodes=_nodes(list(SALES_SHARES)),
            method="amount",
            values=list(SALES_SHARES.values()),
        ),
    )
    services.hand_down(
        plan, services.HandDown(kpi_id=kpis["TRAFFIC"], parent_department_id=ec.id, nodes=_nodes(TRAFFIC_SHARES))
    )
    services.hand_down(
        plan, services.HandDown(kpi_id=kpis["CONV"], parent_department_id=ec.id, nodes=_nodes(CONVERSION_TO))
    )
    prod = db.session.scalar(select(Department.id).where(Department.code == "EC-PROD"))
    services.hand_down(
        plan,
        services.HandDown(
            kpi_id=kpis["SALES"],
            parent_department_id=prod,
            nodes=_nodes(["PROD-OPS", "PROD-LEAD"]),
            method="percent",
            values=["60", "40"],
        ),
    )
    services.approve(plan, None)
    _import_actuals(plan)
    return 1


# How the months went against the target (made up): a slow spring, a good summer.
PACE = ["0.93", "1.02", "0.97", "1.05", "0.96", "1.01", "0.98", "1.04", "1.07"]


def _import_actuals(plan) -> int:
    """January to September: each position that received a share has its month's target × the
    pace as its actual (amounts to the cent or the visitor, rates to 0.01), recorded as an import."""
    from app.targets import actuals
    from app.targets.models import TargetLine, TargetShare

    shares = db.session.execute(
        select(TargetShare, TargetLine.kpi_id, TargetLine.rule)
        .join(TargetLine, TargetLine.id == TargetShare.line_id)
        .where(TargetShare.plan_id == plan.id, TargetShare.position_id.is_not(None))
    ).all()
    entries = []
    for share, kpi_id, rule in shares:
        places = Decimal("0.01") if rule == Rule.MEAN.value or share.y < 1000000 else Decimal(1)
        for month, pace in zip([f"m{i}" for i in range(1, 10)], PACE):
            value = (getattr(share, month) * Decimal(pace)).quantize(places)
            entries.append(actuals.Entry(share.position_id, kpi_id, month, str(value)))
    return actuals.save(plan, entries, None, action="import")
