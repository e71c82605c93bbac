"""A small shop for the appraisal tests:

    电商部 EC
      EC-MGR 电商部经理 (王强, account ``manager``)
        └ EC-LEAD 运营主管 (vacant)
            └ EC-OPS 运营专员, headcount 3 (张伟 account ``employee``, 李娜, 赵敏 who joined mid-November)
      EC-ART 美工 (孙丽, reports to EC-MGR; no job description)
    人事部 HR (sub-department of nothing)
      HR-MGR 人事部经理 (陈静, account ``hr``)

EC-OPS has a published job description with two monthly KPI targets (sales, higher is better,
threshold and stretch; complaints, lower is better) and a quarterly one, and two competencies.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from app.appraisals import services
from app.appraisals.services import flow, launch
from app.extensions import db
from tests import factories
from tests.queries import statement_counter

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture
def shop(ctx):
    ec = factories.create_department("EC", "电商部")
    hr_dep = factories.create_department("HR", "人事部")
    mgr = factories.create_position("EC-MGR", ec, "电商部经理")
    lead = factories.create_position("EC-LEAD", ec, "运营主管", reports_to=mgr)
    ops = factories.create_position("EC-OPS", ec, "运营专员", reports_to=lead, headcount=3)
    art = factories.create_position("EC-ART", ec, "美工", reports_to=mgr)
    hr_mgr = factories.create_position("HR-MGR", hr_dep, "人事部经理")
    manager_user, employee_user = factories.create_user("manager"), factories.create_user("employee")
    hr_user = factories.create_user("hr")
    wang = factories.create_employee("E001", "王强", position=mgr, user=manager_user)
    zhang = factories.create_employee("E002", "张伟", position=ops, user=employee_user)
    li = factories.create_employee("E003", "李娜", position=ops)
    zhao = factories.create_employee("E004", "赵敏", position=ops, start=date(2026, 11, 15))
    sun = factories.create_employee("E005", "孙丽", position=art)
    chen = factories.create_employee("E006", "陈静", position=hr_mgr, user=hr_user)
    sales = factories.create_kpi("SALES", "销售额", unit="元")
    complaints = factories.create_kpi("COMPLAINTS", "投诉率", direction="lower", unit="%")
    turnover = factories.create_kpi("TURN", "库存周转率")
    ops_skill, service = (
        factories.create_competency("OPS", "电商运营能力"),
        factories.create_competency("CS", "服务意识"),
    )
    jd = factories.publish_jd(
        ops,
        factories.jd_content(
            "运营专员",
            kpis=[
                (sales, 100000, 60, "monthly", 80000, 120000),
                (complaints, 2.0, 40, "monthly", 4.0, 1.0),
                (turnover, 4, 100, "quarterly"),
            ],
            competencies=[(ops_skill, 3), (service, 2)],
        ),
    )
    return SimpleNamespace(
        ec=ec,
        hr_dep=hr_dep,
        mgr=mgr,
        lead=lead,
        ops=ops,
        art=art,
        hr_mgr=hr_mgr,
        jd=jd,
        manager_user=manager_user,
        employee_user=employee_user,
        hr_user=hr_user,
        wang=wang,
        zhang=zhang,
        li=li,
        zhao=zhao,
        sun=sun,
        chen=chen,
        sales=sales,
        complaints=complaints,
        turnover=turnover,
        ops_skill=ops_skill,
        service=service,
    )


def make_cycle(name="2026-11", period_type="monthly", start=NOVEMBER[0], end=None, departments=(), **fields):
    cycle = services.create_cycle(
        services.CycleData(
            name=name,
            period_type=period_type,
            start_date=start,
            end_date=end,
            department_ids=[d.id for d in departments],
            self_review_due=fields.pop("self_review_due", date(2026, 11, 20)),
            manager_review_due=fields.pop("manager_review_due", date(2026, 11, 30)),
            **fields,
        )
    )
    db.session.commit()
    return cycle


@pytest.fixture
def count_service_queries():
    """Like ``count_queries``, for services called directly by the test (its own app context)."""
    return statement_counter(lambda: db.engine)


@pytest.fixture
def cycle(shop):
    """November 2026 for the whole shop, launched."""
    cycle = make_cycle()
    launch.launch_cycle(cycle)
    db.session.commit()
    return cycle


def review_of(cycle, employee):
    from app.appraisals.models import Review

    review_id = db.session.scalar(
        db.select(Review.id).where(Review.cycle_id == cycle.id, Review.employee_id == employee.id)
    )
    return services.get_review(review_id) if review_id else None


def fill_self(review, actuals=("110000", "1.5"), ratings=("3", "2"), submit=True):
    flow.save_self_review(
        review,
        flow.StepData(
            kpis=[{"id": r.id, "actual": a, "comment": "自评"} for r, a in zip(review.kpi_results, actuals)],
            ratings=[{"id": r.id, "rating": v, "comment": ""} for r, v in zip(review.ratings, ratings)],
            comment="本月完成了大促。",
        ),
        review.version,
        submit=submit,
        on_behalf=review.self_review_state is not None,
    )  # no account: HR enters the paper self-review
    db.session.commit()


def fill_manager(review, ratings=("4", "3"), outcome="reward", actuals=None, submit=True):
    kpis = [
        {"id": r.id, "comment": "确认"} | ({"actual": a} if actuals else {})
        for r, a in zip(review.kpi_results, actuals or [None] * len(review.kpi_results))
    ]
    flow.save_manager_review(
        review,
        flow.StepData(
            kpis=kpis,
            ratings=[{"id": r.id, "rating": v} for r, v in zip(review.ratings, ratings)],
            comment="表现良好。",
            outcome=outcome,
        ),
        review.version,
        submit=submit,
    )
    db.session.commit()
