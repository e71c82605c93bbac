"""The top bar's search box: type, press Enter, land on the results grouped by kind with the
matched words marked; the box keeps the query; and the bulk selection of the positions list."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser


def _log_in(page, live_server, user):
    page.goto(live_server + "/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", factories.PASSWORD)
    page.press("input[name=password]", "Enter")
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def test_the_search_box_finds_and_marks(page, live_server, ctx, screenshot, choose_language):
    hr_user = factories.create_user("hr")
    ec = factories.create_department("EC", "电商部")
    manager = factories.create_position("EC-MGR", ec, "电商部经理")
    agent = factories.create_position("EC-CS", ec, "在线客服", reports_to=manager)
    factories.create_employee("E001", "王电商", manager, email="wang@example.test")
    factories.publish_jd(agent, factories.jd_content("在线客服", duties=("负责电商平台的客户咨询与售后",)))
    factories.create_kpi("EC-GMV", "电商成交额")
    _log_in(page, live_server, hr_user)
    box = page.get_by_test_id("search-box")
    box.fill("电商 <script>")
    box.press("Enter")
    expect(page.get_by_test_id("search-empty")).to_be_visible()  # every word must match
    page.get_by_test_id("search-box").fill("电商")
    page.get_by_test_id("search-box").press("Enter")
    for kind in ("department", "position", "employee", "job_description", "kpi"):
        expect(page.get_by_test_id(f"search-group-{kind}")).to_be_visible()
    expect(page.locator("[data-testid=search-group-position] mark").first).to_have_text("电商")
    expect(page.get_by_test_id("search-box")).to_have_value("电商")
    screenshot(page, "search-results-en")
    choose_language(page, "zh_CN")
    page.goto(live_server + "/search?q=电商")
    expect(page.get_by_role("heading", name="搜索")).to_be_visible()
    screenshot(page, "search-results-zh")
    page.locator("[data-testid=search-group-job_description] a").first.click()
    expect(page).to_have_url(f"{live_server}/jobs/positions/{agent.id}")


def test_a_bulk_selection_from_the_positions_list(page, live_server, ctx, screenshot):
    hr_user = factories.create_user("hr")
    ec = factories.create_department("EC", "电商部")
    made = [factories.create_position(f"EC-{n:02}", ec, f"专员{n}") for n in range(3)]
    _log_in(page, live_server, hr_user)
    page.goto(live_server + "/org/positions?sort=code")
    page.get_by_test_id("bulk-check").nth(0).check()
    page.get_by_test_id("bulk-check").nth(2).check()
    page.get_by_role("button", name="Add checked").click()
    expect(page.get_by_test_id("bulk-count")).to_have_text("2 selected")
    page.get_by_test_id("bulk-action-archive").click()
    expect(page.get_by_test_id("bulk-question")).to_have_text("Archive 2 positions?")
    screenshot(page, "bulk-confirm-en")
    page.get_by_test_id("bulk-run").click()
    expect(page.get_by_text("2 positions archived.")).to_be_visible()
    expect(page.get_by_test_id("bulk-check")).to_have_count(1)
    assert page.locator("tbody code").all_inner_texts() == [made[1].code]
