"""HR turns a pasted seed document into a structured draft, reorders it in the editor, and sends
it through review, in a real browser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.jobs import services
from app.jobs.models import JobDescriptionVersion, Status
from tests import factories

pytestmark = pytest.mark.browser
SEEDS = Path(__file__).resolve().parents[2] / "app" / "demo" / "seeds"


def _log_in(page, live_server, user):
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def test_paste_structure_edit_and_submit(ctx, live_server, page, screenshot):
    hr = factories.create_user("hr", name="人事 李娜")
    department = factories.create_department("EC", "电商部")
    position = factories.create_position("EC-HEAD", department, "网络平台运营负责人")
    factories.create_kpi("SALES", "销售额")
    factories.create_kpi("INV-TURN", "库存周转率")
    _log_in(page, live_server, hr)

    page.goto(f"{live_server}/jobs/positions/{position.id}")
    page.get_by_test_id("import-link").click()
    page.get_by_label("Pasted job description").fill(next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8"))
    page.get_by_test_id("preview").click()
    expect(page.get_by_test_id("import-warning").first).to_contain_text("web-page noise")
    expect(page.get_by_test_id("source-text")).to_contain_text("原创力文档")
    headings = page.locator("[data-field=heading]")
    expect(headings.nth(1)).to_have_value("关于管理工作")
    expect(page.get_by_text("KPIs of the library named in the text")).to_contain_text("销售额")
    screenshot(page, "jd-import-preview-en")
    # fix a duty in the preview before saving
    first_duty = page.locator(".jd-duty [data-field=text]").first
    first_duty.fill("制定、分解下属季度、月度销售计划，指导各部门完成销售任务。")
    page.get_by_test_id("save-import").click()
    expect(page.locator(".alert-success")).to_contain_text("created from the pasted text")
    version = services.open_version(position.id)
    assert version.duties[0].text == "制定、分解下属季度、月度销售计划，指导各部门完成销售任务。"
    assert len(version.sections) == 12

    # the editor: add a duty to the second section, move it to the top, remove the one below it
    page.get_by_test_id("edit").click()
    second = page.locator(".jd-section").nth(1)
    second.get_by_role("button", name="+ Add duty").click()
    new_row = second.locator(".jd-duty").last
    new_row.locator("[data-field=text]").fill("每周五提交本周运营周报。")
    new_row.locator("[data-field=frequency]").select_option("weekly")
    expect(page.locator(".jd-dirty")).to_be_visible()
    # move the new row up to the top of its section
    handle = new_row.element_handle()
    for _ in range(second.locator(".jd-duty").count() - 1):
        handle.query_selector("[data-move=up]").click()
    expect(second.locator(".jd-duty").first.locator("[data-field=text]")).to_have_value("每周五提交本周运营周报。")
    second.locator(".jd-duty").nth(1).get_by_role("button", name="Remove").click()
    screenshot(page, "jd-editor-en")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("Draft saved.")
    db.session.expire_all()
    version = db.session.get(JobDescriptionVersion, version.id)
    texts = [d.text for d in version.sections[1].duties]
    assert texts[0] == "每周五提交本周运营周报。" and version.sections[1].duties[0].frequency == "weekly"
    assert "执行店铺完成既定业绩目标。" not in texts and len(texts) == 10

    # the linter flags the seed's age limit; submit, waive it with a reason, approve, publish
    page.get_by_role("link", name=re.compile("Version 1")).first.click()
    expect(page.get_by_test_id("lint-panel")).to_contain_text("25—45岁")
    page.get_by_test_id("submit").click()
    expect(page.locator(".jd-status").first).to_have_text("In review")
    expect(page.get_by_test_id("approve")).to_be_disabled()
    panel = page.get_by_test_id("lint-panel")
    for _ in range(panel.get_by_role("button", name="Waive").count()):
        panel.get_by_placeholder("Reason for accepting it").first.fill("按原岗位说明书保留，待法务确认")
        panel.get_by_role("button", name="Waive").first.click()
    expect(page.get_by_test_id("approve")).to_be_enabled()
    page.get_by_test_id("approve").click()
    page.get_by_test_id("publish").click()
    expect(page.locator(".jd-status").first).to_have_text("Published")
    screenshot(page, "jd-version-published-en")
    db.session.expire_all()
    assert db.session.get(JobDescriptionVersion, version.id).status == Status.PUBLISHED.value


def test_the_editor_keeps_typed_text_when_the_server_refuses(ctx, live_server, page, screenshot):
    hr = factories.create_user("hr")
    department = factories.create_department("EC", "电商部")
    position = factories.create_position("EC-CS", department, "在线客服")
    kpi = factories.create_kpi("CSAT", "客户满意度")
    version = services.start_draft(position, hr, content=factories.jd_content("在线客服", kpis=[(kpi, 4.8, 100)]))
    db.session.commit()
    _log_in(page, live_server, hr)
    page.goto(f"{live_server}/jobs/versions/{version.id}/edit")
    page.locator("[data-field=threshold]").first.fill("5")  # above the target of a higher-is-better KPI
    page.locator(".jd-duty [data-field=text]").first.fill("新写的一段职责，不能丢")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("form-error")).to_be_visible()
    expect(page.locator(".invalid-feedback").first).to_contain_text("threshold must be below the target")
    expect(page.locator(".jd-duty [data-field=text]").first).to_have_value("新写的一段职责，不能丢")
    screenshot(page, "jd-editor-error-en")
