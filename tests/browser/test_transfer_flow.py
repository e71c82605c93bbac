"""Import in the browser: the upload goes through the progress-bar script to the preview, and
confirming applies it."""

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.org.models import Department
from tests import factories
from tests.transfer.helpers import xlsx

pytestmark = pytest.mark.browser


def test_hr_imports_a_workbook_through_the_page(ctx, live_server, page, screenshot, tmp_path):
    user = factories.create_user("hr")
    upload = tmp_path / "组织.xlsx"
    upload.write_bytes(
        xlsx({"departments": [["code", "name", "parent_code"], ["EC", "电商部", "GM"], ["GM", "总经理办公室", ""]]})
    )
    too_big = tmp_path / "big.csv"
    too_big.write_bytes(b"code,name\r\n" + b"x" * 21_000_000)
    page.goto(live_server + "/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("transfer-menu")).to_have_attribute("href", "/transfer/")  # in the Organisation menu
    page.goto(live_server + "/transfer/")
    page.set_input_files("input[name=file]", str(too_big))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_text("The file is too large")).to_be_visible()  # refused before uploading
    page.set_input_files("input[name=file]", str(upload))
    page.get_by_role("button", name="Check the file").click()
    expect(page).to_have_url(re.compile(r"/transfer/import/[\w-]+$"), timeout=20_000)  # upload, then the check
    expect(page.get_by_test_id("ready")).to_contain_text("2 new and 0 changed rows")
    screenshot(page, "transfer-preview-en")
    page.get_by_test_id("confirm").click()
    expect(page.get_by_text("Imported 组织.xlsx: 2 created")).to_be_visible(timeout=20_000)
    assert db.session.scalar(db.select(Department.name).where(Department.code == "EC")) == "电商部"
