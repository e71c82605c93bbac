"""The API reference page: Swagger UI renders the document from local files only, and "Try it
out" calls the API with the session of the logged-in user."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser


def test_reference_page_renders_offline_and_tries_a_request(ctx, live_server, page, screenshot):
    factories.create_department("EC", "电商部")
    user = factories.create_user("hr")
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="API reference").click()
    expect(page).to_have_url(re.compile(r"/api/v1/docs$"))
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("RoleBook API")

    operation = page.locator('.opblock-get:has(.opblock-summary-path[data-path="/api/v1/departments"])')
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status").first).to_have_text("200")
    expect(operation.locator(".live-responses-table")).to_contain_text("电商部")
    screenshot(page, "api-reference-try-it-out")
    assert requested and all(url.startswith(live_server) for url in requested), [
        url for url in requested if not url.startswith(live_server)
    ]
