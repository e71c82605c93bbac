"""Target plans in the browser: HR starts a plan, adds 销售额 with a November peak, hands it down
to two positions (too much first: refused, then confirmed and shown in red), takes the excess
back and approves."""

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.targets.models import PlanStatus, TargetPlan
from tests import factories

pytestmark = pytest.mark.browser

PEAK = ["6", "6", "7", "7", "8", "8", "8", "8", "8", "8", "16", "10"]


def test_hr_plans_hands_down_and_approves(ctx, live_server, page, screenshot):
    ec = factories.create_department("EC", "电商部")
    factories.create_position("EC-OPS", ec, "电商运营专员")
    factories.create_position("EC-CSS", ec, "电商客服专员")
    factories.create_kpi("SALES", "销售额", unit="元")
    user = factories.create_user("hr")
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_test_id("targets-nav").click()
    page.get_by_label("Fiscal year").fill("2026")
    page.get_by_role("button", name="New plan").click()
    expect(page.get_by_text("Plan created: add its KPIs.")).to_be_visible()

    form = page.get_by_test_id("line-form")
    form.get_by_label("Annual target").fill("12000000")
    form.get_by_label("Split over the months").select_option("percent")
    form.get_by_text("Percentages of the year, by month").click()
    for i, value in enumerate(PEAK[:-1] + ["9"]):  # adds up to 99: refused, input kept
        form.locator(f"input[name=percents-{i}]").fill(value)
    form.get_by_role("button", name="Save KPI").click()
    expect(page.get_by_text("The percentages add up to 99, not 100.")).to_be_visible()
    form = page.get_by_test_id("line-form")
    expect(form.locator("input[name=percents-0]")).to_have_value("6")
    form.locator("input[name=percents-11]").fill("10")
    form.get_by_role("button", name="Save KPI").click()
    expect(page.get_by_test_id("line-check")).to_have_text("Adds up")

    hand = page.get_by_test_id("hand-down")
    hand.get_by_label("How").select_option("amount")
    hand.get_by_role("checkbox").nth(0).check()
    hand.get_by_role("checkbox").nth(1).check()
    hand.get_by_role("textbox", name="电商客服专员").fill("5000000")
    hand.get_by_role("textbox", name="电商运营专员").fill("8000000")
    hand.get_by_role("button", name="Hand down").click()
    expect(page.get_by_text("Only HR may confirm over-allocation")).to_be_visible()
    page.get_by_test_id("hand-down").get_by_label("I confirm handing down more than the whole (HR only)").check()
    page.get_by_test_id("hand-down").get_by_role("button", name="Hand down").click()
    expect(page.get_by_test_id("over").first).to_have_text("-1,000,000")
    expect(page.get_by_test_id("approve")).to_be_disabled()
    screenshot(page, "target-plan-over-allocated-en")

    hand = page.get_by_test_id("hand-down")
    hand.get_by_label("How").select_option("amount")
    hand.get_by_role("checkbox").nth(0).check()
    hand.get_by_role("textbox", name="电商客服专员").fill("4000000")
    hand.get_by_role("button", name="Hand down").click()
    expect(page.get_by_test_id("over")).to_have_count(0)
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("plan-status")).to_have_text("Approved")
    assert db.session.scalar(db.select(TargetPlan.status)) == PlanStatus.APPROVED.value
    screenshot(page, "target-plan-approved-en")
