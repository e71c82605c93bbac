import re

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser

ROLE_LABELS = {
    "admin": ("Administrator", "系统管理员"),
    "hr": ("HR", "人力资源"),
    "manager": ("Manager", "经理"),
    "employee": ("Employee", "员工"),
}


@pytest.mark.parametrize("role", ["admin", "hr", "manager", "employee"])
def test_log_in_switch_language_and_log_out(ctx, live_server, page, screenshot, role, choose_language):
    user = factories.create_user(role, name=f"测试 {role}")
    page.goto(live_server + "/")
    expect(page).to_have_url(re.compile(r"/login"))
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("user-menu")).to_contain_text(ROLE_LABELS[role][0])
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"测试 {role}")
    # only admins see the users page, admins and HR the audit trail
    expect(page.get_by_role("link", name="Users", exact=True)).to_have_count(1 if role == "admin" else 0)
    expect(page.get_by_role("link", name="Audit trail", exact=True)).to_have_count(1 if role in ("admin", "hr") else 0)
    screenshot(page, f"home-{role}-en")

    choose_language(page, "zh_CN")
    expect(page.get_by_role("link", name="首页")).to_be_visible()
    expect(page.get_by_test_id("user-menu")).to_contain_text(ROLE_LABELS[role][1])
    screenshot(page, f"home-{role}-zh")

    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("logout").click()
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_role("heading", level=1)).to_have_text("登录 RoleBook")  # the language stays
    screenshot(page, f"login-after-{role}-zh")


def test_wrong_password_is_shown_next_to_the_field(ctx, live_server, page, screenshot):
    user = factories.create_user("hr")
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("Wrong e-mail or password")
    expect(page.get_by_label("E-mail")).to_have_value(user.email)
    screenshot(page, "login-error-en")


def test_admin_changes_a_role(ctx, live_server, page, screenshot):
    admin = factories.create_user("admin")
    target = factories.create_user("employee", email="zhou.min@example.test", name="周敏")
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(admin.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Users", exact=True).click()
    screenshot(page, "users-list-en")
    page.get_by_role("link", name=target.email).click()
    page.get_by_label("Role").select_option("manager")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("saved")
    expect(page.get_by_label("Role")).to_have_value("manager")
    screenshot(page, "user-detail-en")
