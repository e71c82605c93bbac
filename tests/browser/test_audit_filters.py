"""The audit trail's filters fit in one row on a 1366-pixel-wide screen, in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser


def test_the_filters_fit_in_one_row_at_1366_pixels(browser, live_server, ctx, screenshot, choose_language):
    hr_user = factories.create_user("hr")
    for lang in ("en-US", "zh-CN"):
        context = browser.new_context(locale=lang, viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.goto(live_server + "/login")
        page.fill("input[name=email]", hr_user.email)
        page.fill("input[name=password]", factories.PASSWORD)
        page.press("input[name=password]", "Enter")
        expect(page.get_by_test_id("user-menu")).to_be_visible()
        if lang == "zh-CN":
            choose_language(page, "zh_CN")
        page.goto(live_server + "/audit/")
        boxes = [
            page.locator(f"[data-testid=audit-filters] {sel}").bounding_box()
            for sel in ("#f-entity", "#f-action", "#f-actor", "#f-q", "#f-since", "#f-until", "button")
        ]
        # one row: the controls overlap vertically (a wrapped one would sit wholly below the others)
        assert max(b["y"] for b in boxes) < min(b["y"] + b["height"] for b in boxes), boxes
        assert max(b["x"] + b["width"] for b in boxes) <= 1366
        screenshot(page, f"audit-filters-{lang}")
        context.close()
