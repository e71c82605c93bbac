"""The page of a background task in a real browser: its script follows the JSON status, moves the
progress bar and shows the download button once the file is ready."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.tasks import services as tasks
from app.tasks.models import Task
from tests import factories
from tests.browser.test_job_descriptions import _log_in

pytestmark = pytest.mark.browser


def test_the_progress_bar_follows_the_task_and_offers_the_file(data_app, ctx, live_server, page, screenshot):
    hr = factories.create_user("hr", name="人事 李娜")
    task = factories.create_task(
        hr,
        status="running",
        title="Position manual · Whole company · 简体中文",
        done=3,
        total=8,
        step="Laying out the pages",
    )
    _log_in(page, live_server, hr)
    page.goto(f"{live_server}/tasks/{task.id}")
    bar = page.locator("[data-task=bar]")
    expect(bar).to_have_text("37%")
    expect(page.locator("[data-task=refresh]")).to_be_hidden()  # the script polls instead
    expect(page.locator("[data-task=download]")).to_be_hidden()
    screenshot(page, "task-progress-en")

    task = db.session.get(Task, task.id)
    task.done, task.step = 6, "Assembling the manual"
    db.session.commit()
    expect(bar).to_have_text("75%")
    expect(page.locator("[data-task=step]")).to_have_text("Assembling the manual")

    stored = tasks.store_result(task.id, tasks.Result(b"%PDF-1.7 test", "manual.pdf", "application/pdf"))
    task = db.session.get(Task, task.id)
    task.status, task.done, task.step = "done", 8, ""
    for name, value in stored.items():
        setattr(task, name, value)
    db.session.commit()
    expect(bar).to_have_text("100%")
    download = page.locator("[data-task=download]")
    expect(download).to_be_visible()
    page.wait_for_timeout(700)  # the bar's width transition
    screenshot(page, "task-done-en")
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename == "manual.pdf"
