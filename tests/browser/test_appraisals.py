"""A whole appraisal in a real browser: the employee does the self-review, the manager completes
it, HR calibrates and finalises, the employee acknowledges. Screenshots of each step."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests import factories
from tests.appraisals.conftest import cycle, review_of, shop  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def _as(browser, live_server, user):
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    return page


def test_self_review_manager_review_calibration_and_acknowledgement(
    browser,
    live_server,
    shop,
    cycle,  # noqa: F811
    screenshot,
):
    review = review_of(cycle, shop.zhang)
    url = f"{live_server}/appraisals/reviews/{review.id}"

    employee = _as(browser, live_server, shop.employee_user)
    employee.get_by_test_id("appraisals-menu").click()
    employee.get_by_role("link", name="My appraisals").click()
    employee.get_by_test_id("my-reviews").get_by_role("link", name="Open").click()
    expect(employee.get_by_test_id("your-step")).to_be_visible()
    employee.get_by_test_id("actual-SALES").fill("十一万")  # not a number: refused, kept
    employee.get_by_test_id("actual-COMPLAINTS").fill("1.5")
    employee.get_by_test_id("submit").click()
    expect(employee.locator(".invalid-feedback").first).to_contain_text("Enter a number.")
    expect(employee.get_by_test_id("actual-SALES")).to_have_value("十一万")
    expect(employee.get_by_test_id("actual-COMPLAINTS")).to_have_value("1.5")
    employee.get_by_test_id("actual-SALES").fill("110000")
    employee.get_by_test_id("rating-OPS").select_option("3")
    employee.get_by_test_id("rating-CS").select_option("4")
    employee.get_by_test_id("self-comment").fill("双十一大促期间完成了销售目标，投诉率下降。")
    screenshot(employee, "appraisal-1-self-review-en")
    employee.get_by_test_id("submit").click()
    expect(employee.locator(".alert-success")).to_contain_text("Submitted")
    expect(employee.get_by_test_id("final-score")).to_have_text("110.0")

    manager = _as(browser, live_server, shop.manager_user)
    manager.goto(live_server + "/appraisals/")
    # 李娜 and 孙丽 have no account: their reviews wait for him too, their self-review skipped
    manager.get_by_test_id("to-review").get_by_role("row").filter(has_text="张伟").get_by_role(
        "link", name="Review"
    ).click()
    manager.get_by_test_id("actual-SALES").fill("105000")  # adjusted after checking the shop's figures
    manager.get_by_test_id("rating-OPS").select_option("4")
    manager.get_by_test_id("rating-CS").select_option("3")
    manager.get_by_test_id("manager-comment").fill("执行力强，数据分析还需提高。")
    manager.get_by_test_id("outcome").select_option("reward")
    screenshot(manager, "appraisal-2-manager-review-en")
    manager.get_by_test_id("submit").click()
    expect(manager.locator(".alert-success")).to_contain_text("Submitted")
    expect(manager.get_by_test_id("final-score")).to_have_text("95.9")
    expect(manager.get_by_test_id("band")).to_contain_text("A")

    hr = _as(browser, live_server, shop.hr_user)
    hr.goto(url)
    calibration = hr.get_by_test_id("calibration")
    calibration.get_by_label("Band (computed: A)").select_option("B")
    calibration.get_by_test_id("finalise").click()
    expect(hr.locator(".invalid-feedback").first).to_contain_text("Give the reason")
    hr.get_by_test_id("calibration").get_by_label("Reason").fill("与部门整体分布校准。")
    hr.get_by_test_id("calibration").get_by_label("Band (computed: A)").select_option("B")
    hr.get_by_test_id("finalise").click()
    expect(hr.locator(".alert-success")).to_contain_text("Finalised")
    expect(hr.get_by_test_id("band")).to_contain_text("computed: A")
    screenshot(hr, "appraisal-3-finalised-hr-en")

    employee.goto(url)
    employee.get_by_test_id("acknowledge-button").click()
    expect(employee.get_by_test_id("acknowledge")).to_contain_text("You acknowledged this result")
    expect(employee.get_by_test_id("history")).to_contain_text("Acknowledged by the employee")
    screenshot(employee, "appraisal-4-acknowledged-en")
    employee.emulate_media(media="print")
    screenshot(employee, "appraisal-5-print-en")

    hr.goto(f"{live_server}/appraisals/cycles/{cycle.id}")
    expect(hr.get_by_test_id("band-table")).to_contain_text("B")
    screenshot(hr, "appraisal-6-results-en")
    db.session.expire_all()
    done = review_of(cycle, shop.zhang)
    assert done.status == "finalised" and done.calibrated_band == "B" and done.acknowledged_at is not None
