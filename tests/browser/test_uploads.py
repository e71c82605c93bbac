"""HR uploads job-description files in a real browser: one .docx on a position's import page
(its table shown as a table beside the structure), and a .zip on the bulk import page (the
preview table, then the drafts)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.jobs import services
from tests import factories
from tests.browser.test_job_descriptions import _log_in
from tests.jobs import documents

pytestmark = pytest.mark.browser


def test_upload_a_docx_then_bulk_import_a_zip(ctx, live_server, page, screenshot, tmp_path):
    hr = factories.create_user("hr", name="人事 李娜")
    department = factories.create_department("CS", "客服部")
    position = factories.create_position("CS-LEAD", department, "客服主管")
    other = factories.create_position("CS-AGENT", department, "在线客服")
    _log_in(page, live_server, hr)

    path = tmp_path / "客服主管.docx"
    path.write_bytes(documents.word())
    page.goto(f"{live_server}/jobs/positions/{position.id}/import")
    page.get_by_label("Job description file").set_input_files(str(path))
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("source-table")).to_contain_text("所属部门")
    expect(page.locator(".jd-duty [data-field=text]").first).to_have_value(documents.DUTIES[0])
    screenshot(page, "jd-upload-preview-en")

    bad = tmp_path / "伪装.docx"
    bad.write_bytes(b"%PDF-1.4 not a word file")
    page.goto(f"{live_server}/jobs/positions/{position.id}/import")
    page.get_by_label("Job description file").set_input_files(str(bad))
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("file-error")).to_have_text(
        "伪装.docx: The file is named .docx but holds a PDF document."
    )
    screenshot(page, "jd-upload-error-en")

    archive = tmp_path / "岗位说明书.zip"
    archive.write_bytes(
        documents.zip_of(
            {
                "CS-AGENT 在线客服.docx": documents.word(title="在线客服岗位说明书"),
                "仓库主管.docx": documents.word_with_chinese_numbering(),
                "坏的.pdf": b"%PDF-1.4 broken",
            },
            gbk_names=True,
        )
    )
    page.goto(f"{live_server}/jobs/")
    page.get_by_test_id("bulk-import").click()
    page.get_by_label("Files or a .zip archive").set_input_files(str(archive))
    page.get_by_label("Department of new positions").select_option(label="CS 客服部")
    page.get_by_test_id("bulk-upload").click()
    rows = page.get_by_test_id("bulk-row")
    expect(rows).to_have_count(3)
    expect(page.locator('[data-file="CS-AGENT 在线客服.docx"]')).to_contain_text("by code")
    expect(page.locator('[data-file="坏的.pdf"]')).to_contain_text("The PDF is damaged")
    screenshot(page, "jd-bulk-preview-en")
    page.get_by_test_id("confirm").click()
    expect(page.locator(".alert-success")).to_contain_text("2 drafts were created")
    assert [d.text for d in services.open_version(other.id).duties] == documents.DUTIES
