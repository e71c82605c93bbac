"""Results respect the cycle's scope: the department breakdown starts at the cycle's own
departments, and the exports carry every KPI's target, actual and attainment per review."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.appraisals.models import KpiResult
from app.appraisals.services import launch, results
from app.extensions import db
from tests import factories
from tests.appraisals.conftest import fill_manager, fill_self, make_cycle, review_of


def _client(app, user):
    client = app.test_client()
    assert client.post("/login", data={"email": user.email, "password": factories.PASSWORD}).status_code == 302
    return client


@pytest.fixture
def company(ctx):
    """总经理办公室 ─┬ 电商部 ── 制作部
    └ 人力资源部"""
    gm = factories.create_department("GM", "总经理办公室")
    ec = factories.create_department("EC", "电商部", parent=gm)
    prod = factories.create_department("EC-PROD", "制作部", parent=ec)
    hr = factories.create_department("HR", "人力资源部", parent=gm)
    boss = factories.create_position("GM-GM", gm, "总经理")
    ec_mgr = factories.create_position("EC-MGR", ec, "电商部经理", reports_to=boss)
    prod_lead = factories.create_position("PROD-LEAD", prod, "制作主管", reports_to=ec_mgr)
    hr_mgr = factories.create_position("HR-MGR", hr, "人力资源经理", reports_to=boss)
    factories.create_employee("E1", "周建华", position=boss)
    factories.create_employee("E2", "王强", position=ec_mgr)
    factories.create_employee("E3", "林伟", position=prod_lead)
    factories.create_employee("E4", "潘国庆", position=hr_mgr)
    return gm, ec, prod, hr


def test_a_cycle_of_one_department_breaks_down_from_that_department(company):
    gm, ec, prod, hr = company
    cycle = make_cycle(departments=[ec])
    launch.launch_cycle(cycle)
    db.session.commit()
    rows = results.by_department(cycle)
    assert [(r["name"], r["depth"], r["reviews"]) for r in rows] == [("电商部", 0, 2), ("制作部", 1, 1)]


def test_a_company_wide_cycle_starts_at_the_top_in_org_chart_order(company):
    cycle = make_cycle()
    launch.launch_cycle(cycle)
    db.session.commit()
    rows = results.by_department(cycle)
    # the top and one level below, subtrees in the org chart's order (the list's ORDER BY path)
    assert [(r["name"], r["depth"], r["reviews"]) for r in rows] == [
        ("总经理办公室", 0, 4),
        ("电商部", 1, 2),
        ("人力资源部", 1, 1),
    ]
    # a department chosen on the page starts there instead
    assert [(r["name"], r["depth"]) for r in results.by_department(cycle, department=company[1])] == [
        ("电商部", 0),
        ("制作部", 1),
    ]


def test_two_chosen_departments_one_inside_the_other_start_at_the_outer(company):
    gm, ec, prod, hr = company
    cycle = make_cycle(departments=[prod, ec, hr])
    launch.launch_cycle(cycle)
    db.session.commit()
    assert [(r["name"], r["depth"]) for r in results.by_department(cycle)] == [
        ("电商部", 0),
        ("制作部", 1),
        ("人力资源部", 0),
    ]


def test_the_cycle_page_shows_the_cycle_departments(app, company):
    gm, ec, prod, hr = company
    cycle = make_cycle(departments=[ec])
    launch.launch_cycle(cycle)
    db.session.commit()
    hr_user = factories.create_user("hr")
    page = _client(app, hr_user).get(f"/appraisals/cycles/{cycle.id}").get_data(as_text=True)
    table = page[page.index('data-testid="department-table"') :]
    table = table[: table.index("</table>")]
    assert "电商部" in table and "制作部" in table and "总经理办公室" not in table


def test_exports_carry_every_kpi_target_actual_and_attainment(app, cycle, shop):
    review = review_of(cycle, shop.zhang)
    fill_self(review, actuals=("110000", "1.5"))
    fill_manager(review, actuals=("105000", "1.5"))
    hr = _client(app, shop.hr_user)
    sheet = load_workbook(io.BytesIO(hr.get(f"/appraisals/cycles/{cycle.id}/export.xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[18] == "Finalised without score: reason" and header[19:] == (
        "投诉率 (COMPLAINTS) [%]: target",
        "投诉率 (COMPLAINTS) [%]: actual",
        "投诉率 (COMPLAINTS) [%]: attainment %",
        "销售额 (SALES) [元]: target",
        "销售额 (SALES) [元]: actual",
        "销售额 (SALES) [元]: attainment %",
    )
    zhang = next(r for r in rows if r[0] == "E002")
    assert zhang[18] is None and zhang[19:] == (
        pytest.approx(2),
        pytest.approx(1.5),
        pytest.approx(110),
        pytest.approx(100000),
        pytest.approx(105000),
        pytest.approx(105),
    )
    li = next(r for r in rows if r[0] == "E003")  # nothing entered yet: the targets, no actuals
    assert li[19] == pytest.approx(2) and li[20] is None and li[22] == pytest.approx(100000) and li[23] is None
    sun = next(r for r in rows if r[0] == "E005")  # no job description: no KPI at all
    assert sun[19:] == (None,) * 6
    # the CSV carries the same, in Chinese too
    hr.post("/language", data={"lang": "zh_CN"})
    text = hr.get(f"/appraisals/cycles/{cycle.id}/export.csv").data.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][22:] == ["销售额 (SALES) [元]：目标", "销售额 (SALES) [元]：实际", "销售额 (SALES) [元]：达成率 %"]
    row = next(r for r in table if r[0] == "E002")
    assert [float(v) for v in row[22:]] == [100000, 105000, 105]


def test_kpi_names_in_export_headers_cannot_become_formulas(app, cycle, shop):
    db.session.execute(db.update(KpiResult).where(KpiResult.code == "SALES").values(name='=HYPERLINK("http://x")'))
    db.session.commit()
    hr = _client(app, shop.hr_user)
    header = next(
        load_workbook(io.BytesIO(hr.get(f"/appraisals/cycles/{cycle.id}/export.xlsx").data)).active.iter_rows(
            values_only=True
        )
    )
    assert all(not str(h).startswith("=") for h in header)
    assert '\'=HYPERLINK("http://x") (SALES) [元]: target' in header
    text = hr.get(f"/appraisals/cycles/{cycle.id}/export.csv").data.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text)))[22].startswith("'=")


@pytest.mark.parametrize("day", (date(2026, 11, 20), date(2026, 11, 21), date(2026, 12, 1)))
def test_the_summary_counts_as_overdue_the_reviews_past_their_steps_deadline(shop, day):
    """The summary counts overdue reviews from its counts by step and the cycle's deadlines: the
    same reviews as the overdue condition (SQL) and ``is_overdue`` (one review) find, before and
    after each deadline, with some reviews a step further than others."""
    from app.appraisals.models import AppraisalCycle, Review
    from app.appraisals.services.reviews import is_overdue, overdue_condition

    cycle = make_cycle()  # self-reviews due 20 November, manager reviews 30 November
    launch.launch_cycle(cycle)
    db.session.commit()
    fill_self(review_of(cycle, shop.zhang))  # now at the manager review
    db.session.commit()
    reviews = db.session.scalars(select(Review).where(Review.cycle_id == cycle.id)).all()
    steps = {review.status for review in reviews}
    assert {"self_review", "manager_review"} <= steps
    by_sql = db.session.scalar(
        select(func.count())
        .select_from(Review)
        .join(AppraisalCycle, AppraisalCycle.id == Review.cycle_id)
        .where(Review.cycle_id == cycle.id, overdue_condition(day))
    )
    by_review = sum(is_overdue(review, day) for review in reviews)
    summary = results.summary(cycle, today=day)
    assert summary.overdue == by_sql == by_review
    assert (
        summary.overdue
        == {
            date(2026, 11, 20): 0,
            date(2026, 11, 21): summary.by_step["self_review"],
            date(2026, 12, 1): summary.by_step["self_review"] + summary.by_step["manager_review"],
        }[day]
    )


def test_the_page_counts_once_for_the_summary_and_the_departments(cycle, shop):
    """``review_counts`` given to both gives what each finds alone."""
    fill_self(review_of(cycle, shop.zhang))
    db.session.commit()
    counts = results.review_counts(cycle)
    assert results.summary(cycle, counts=counts) == results.summary(cycle)
    assert results.by_department(cycle, counts=counts) == results.by_department(cycle)
    assert results.summary(cycle, department=shop.hr_dep, counts=results.review_counts(cycle, None, shop.hr_dep)) == (
        results.summary(cycle, department=shop.hr_dep)
    )
