"""The demo appraisals are plausible: no empty finalised review, DSR scores within their 5-point
scale, whole numbers for KPIs that count things."""

from __future__ import annotations

from sqlalchemy import select

from app.appraisals.models import AppraisalCycle, KpiResult, Review
from app.extensions import db

COUNTS = {"家", "访客"}  # the demo's KPIs that count things: shops signed, visitors


def test_the_demo_cycles_are_plausible(app, ctx):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    quarter = db.session.scalar(select(AppraisalCycle).where(AppraisalCycle.period_type == "quarterly"))
    reviews = db.session.scalars(select(Review).where(Review.cycle_id == quarter.id)).all()
    assert quarter.status == "closed" and len(reviews) >= 10
    # every Q3 review was filled in and scored: none without KPIs, competencies or a score
    assert all(
        r.status == "finalised"
        and r.kpi_results
        and r.ratings
        and r.final_score is not None
        and r.self_comment
        and r.manager_comment
        for r in reviews
    )
    month = db.session.scalar(select(AppraisalCycle).where(AppraisalCycle.period_type == "monthly"))
    finalised = db.session.scalars(
        select(Review).where(Review.cycle_id == month.id, Review.status.in_(("finalised", "calibration")))
    ).all()
    assert finalised and all(r.final_score is not None for r in finalised)
    actuals = db.session.execute(
        select(KpiResult.code, KpiResult.unit, KpiResult.target, KpiResult.actual).where(KpiResult.actual.is_not(None))
    ).all()
    dsr = [actual for code, _unit, _target, actual in actuals if code == "CSAT"]
    assert dsr and all(4 <= actual <= 5 for actual in dsr)
    counts = [actual for _code, unit, _target, actual in actuals if unit in COUNTS]
    assert counts and all(float(actual) == int(actual) for actual in counts)
