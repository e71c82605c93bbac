"""Appraisals use the plan (point 4): a cycle's review takes the reviewee's handed-down target for
the cycle's period when an approved plan has one, the job description's standing target
otherwise, and says so; the launch snapshot keeps it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.appraisals import services as appraisals
from app.appraisals.models import KpiResult, Review
from app.appraisals.services import launch
from app.extensions import db
from app.targets import services
from tests import factories

NOVEMBER_PEAK = ["6", "6", "7", "7", "8", "8", "8", "8", "8", "8", "16", "10"]


def _launch(period_type: str, start: date) -> list[Review]:
    cycle = appraisals.create_cycle(
        appraisals.CycleData(name=f"{period_type} {start}", period_type=period_type, start_date=start)
    )
    launch.launch_cycle(cycle, confirm_overlap=True)
    db.session.commit()
    return list(db.session.scalars(db.select(Review).where(Review.cycle_id == cycle.id).order_by(Review.employee_id)))


def test_reviews_take_the_handed_down_target_of_their_period(shop):
    content = factories.jd_content(
        "销售专员", kpis=[(shop.sales, 500000, 60, "monthly", 400000, 600000), (shop.traffic, 1000, 40, "monthly")]
    )
    factories.publish_jd(shop.seller, content)
    factories.publish_jd(shop.buyer, factories.jd_content("采购专员", kpis=[(shop.sales, 500000, 100, "monthly")]))
    factories.create_employee("E1", "王五", position=shop.seller, user=factories.create_user("employee"))
    factories.create_employee("E2", "赵六", position=shop.buyer)
    plan = services.create_plan(shop.ec, 2026)
    services.set_line(
        plan, services.LineData(kpi_id=shop.sales.id, annual="12000000", split="percent", percents=NOVEMBER_PEAK)
    )
    services.hand_down(
        plan,
        services.HandDown(
            kpi_id=shop.sales.id,
            parent_department_id=shop.ec.id,
            nodes=[("position", shop.seller.id)],
            method="percent",
            values=["50"],
        ),
    )
    services.approve(plan, None)
    db.session.commit()

    seller_review, buyer_review = _launch("monthly", date(2026, 11, 1))
    results = {r.code: r for r in seller_review.kpi_results}
    assert results["SALES"].target == Decimal(960000)  # 16 % of 12,000,000, half of it
    assert results["SALES"].threshold == Decimal(768000) and results["SALES"].stretch == Decimal(1152000)
    assert results["UV"].target == Decimal(1000)  # not in the plan: the JD's
    assert "plan_targets" in seller_review.notes
    assert any("target plan" in text for text in appraisals.note_texts(seller_review))
    assert [r.target for r in buyer_review.kpi_results] == [Decimal(500000)]  # nothing handed down to the buyer
    assert "plan_targets" not in buyer_review.notes

    # The snapshot keeps the target: a revision approved later changes new cycles only.
    revision = services.revise(plan, None, "加码")
    services.set_line(
        revision, services.LineData(kpi_id=shop.sales.id, annual="24000000", split="percent", percents=NOVEMBER_PEAK)
    )
    services.hand_down(
        revision,
        services.HandDown(
            kpi_id=shop.sales.id,
            parent_department_id=shop.ec.id,
            nodes=[("position", shop.seller.id)],
            method="percent",
            values=["50"],
        ),
    )
    services.approve(revision, None)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(KpiResult, results["SALES"].id).target == Decimal(960000)
    december = _launch("monthly", date(2026, 12, 1))[0]
    assert {r.code: r.target for r in december.kpi_results}["SALES"] == Decimal(1200000)  # 10 % of 24M, half


def test_a_custom_period_keeps_the_job_description_target(shop):
    factories.publish_jd(shop.seller, factories.jd_content("销售专员", kpis=[(shop.sales, 500000, 100, "monthly")]))
    factories.create_employee("E1", "王五", position=shop.seller)
    plan = services.create_plan(shop.ec, 2026)
    services.set_line(plan, services.LineData(kpi_id=shop.sales.id, annual="1200"))
    services.hand_down(
        plan,
        services.HandDown(kpi_id=shop.sales.id, parent_department_id=shop.ec.id, nodes=[("position", shop.seller.id)]),
    )
    services.approve(plan, None)
    db.session.commit()
    cycle = appraisals.create_cycle(
        appraisals.CycleData(
            name="custom", period_type="custom", start_date=date(2026, 11, 3), end_date=date(2026, 11, 30)
        )
    )
    launch.launch_cycle(cycle)
    db.session.commit()
    review = db.session.scalar(db.select(Review).where(Review.cycle_id == cycle.id))
    assert [r.target for r in review.kpi_results] == [Decimal(500000)] and "plan_targets" not in review.notes
