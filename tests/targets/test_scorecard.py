"""The scorecard (point 5): actuals of reviews roll up to the department by the KPI's rule,
against the plan's targets, with the reviews' attainment formula; the page and its PDF."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from app.appraisals import services as appraisals
from app.appraisals.models import KpiResult, Review
from app.appraisals.services import launch
from app.documents.scorecard import scorecard
from app.extensions import db
from app.targets import services
from tests import factories


def _plan_with_actuals(shop):
    for position, number in ((shop.seller, "E1"), (shop.buyer, "E2")):
        factories.publish_jd(
            position,
            factories.jd_content(
                position.title, kpis=[(shop.sales, 100, 60, "monthly"), (shop.conversion, 3, 40, "monthly")]
            ),
        )
        factories.create_employee(number, number, position=position)
    plan = services.create_plan(shop.ec, 2026)
    services.set_line(plan, services.LineData(kpi_id=shop.sales.id, annual="1200"))
    services.set_line(plan, services.LineData(kpi_id=shop.conversion.id, annual="3", rule="mean"))
    services.approve(plan, None)
    cycle = appraisals.create_cycle(
        appraisals.CycleData(name="11", period_type="monthly", start_date=date(2026, 11, 1))
    )
    launch.launch_cycle(cycle)
    db.session.flush()
    actuals = {("E1", "SALES"): "70", ("E2", "SALES"): "50", ("E1", "CVR"): "2", ("E2", "CVR"): "4"}
    for result in db.session.scalars(db.select(KpiResult).join(Review)):
        result.actual = Decimal(actuals[(result.review.employee.employee_no, result.code)])
    db.session.commit()
    return plan


def test_actuals_roll_up_by_the_rule(shop, app):
    plan = _plan_with_actuals(shop)
    with app.test_request_context():
        card = scorecard(plan)
    sales, conversion = card["kpis"]
    november = next(r for r in sales["rows"] if r["label"] == "2026-11")
    assert (november["target"], november["actual"], november["attainment"]) == ("100", "120", 100.0)
    q4 = next(r for r in sales["rows"] if r["period"] == "q4")
    assert q4["actual"] == "120" and q4["partial"] is True  # October and December missing
    november = next(r for r in conversion["rows"] if r["label"] == "2026-11")
    assert november["actual"] == "3" and november["attainment"] == 100.0  # the mean of 2 % and 4 %
    assert "<svg" in sales["chart"] and "销售额" in sales["chart"] and sales["chart"].count("<rect") > 12


def test_the_scorecard_page_and_pdf(shop, app, login):
    plan = _plan_with_actuals(shop)
    hr = login("hr")
    page = hr.get(f"/documents/target-plans/{plan.id}/scorecard")
    assert page.status_code == 200 and "销售额" in page.get_data(as_text=True)
    pdf = hr.get(f"/documents/target-plans/{plan.id}/scorecard.pdf?lang=zh_CN")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "电商部" in text and "转化率" in text
    assert login("manager").get(f"/documents/target-plans/{plan.id}/scorecard").status_code == 404
    assert login("employee").get(f"/documents/target-plans/{plan.id}/scorecard.pdf").status_code == 403
