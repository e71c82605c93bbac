"""A job description is laid out in the request only when it is expected to be short enough for
the machine now (PDF_SYNC_MAX_PAGES, fewer pages when the machine is busier than it has cores);
else a background task makes it, as for big manuals: the page goes to the task's page (303), the
API answers 202 with the task. One printed before is sent at once, whatever its length."""

from __future__ import annotations

import os

import pytest

from app.documents import services
from app.extensions import db
from app.jobs import services as jobs
from app.tasks import services as tasks
from app.tasks.models import Task
from tests.api.conftest import api  # noqa: F401 (fixture)
from tests.documents.conftest import _empty_cache, shop  # noqa: F401 (fixtures)


def test_the_expected_pages_grow_with_the_content(ctx, shop):  # noqa: F811
    version = jobs.get_version(shop.version.id)
    rows = (
        sum(len(section.duties) for section in version.sections)
        + len(version.requirements)
        + len(version.kpi_targets)
        + len(version.competencies)
    )
    assert services.job_description_pages(version) == 1 + max(1, -(-rows // services.JD_ROWS_PER_PAGE))


@pytest.mark.parametrize("load, expected", [((0.5, 0, 0), 12), ((2.0, 0, 0), 12), ((9.0, 0, 0), 2), ((60.0, 0, 0), 0)])
def test_a_busy_machine_lays_out_fewer_pages_in_a_request(app, monkeypatch, load, expected):
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: load)
    monkeypatch.setattr(services, "is_warm", lambda: True)
    with app.app_context():
        app.config.update(PDF_SYNC_MAX_PAGES=12, PDF_SYNC_LOAD_AWARE=True)
        try:
            assert services.sync_max_pages() == expected
            monkeypatch.setattr(services, "is_warm", lambda: False)  # its first render loads the fonts
            assert services.sync_max_pages() == max(0, expected - services.COLD_PAGES)
            app.config["PDF_SYNC_LOAD_AWARE"] = False  # the tests' setting: the machine does not count
            assert services.sync_max_pages() == 12
        finally:
            app.config["PDF_SYNC_LOAD_AWARE"] = False


def test_a_system_without_a_load_average_uses_the_setting(app, monkeypatch):
    def unavailable():
        raise OSError("no load average here")

    monkeypatch.setattr(os, "getloadavg", unavailable)
    monkeypatch.setattr(services, "is_warm", lambda: True)
    with app.app_context():
        app.config["PDF_SYNC_LOAD_AWARE"] = True
        try:
            assert services.sync_max_pages() == app.config["PDF_SYNC_MAX_PAGES"]
        finally:
            app.config["PDF_SYNC_LOAD_AWARE"] = False


def test_a_long_job_description_is_made_by_a_task_from_the_page(app, login, shop, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "PDF_SYNC_MAX_PAGES", 1)
    hr = login("hr")
    url = f"/documents/versions/{shop.version.id}/job-description.pdf?lang=zh_CN"
    response = hr.get(url)
    assert response.status_code == 303 and response.headers["Location"].startswith("/tasks/")
    task_id = int(response.headers["Location"].rsplit("/", 1)[1])
    page = hr.get(response.headers["Location"]).get_data(as_text=True)
    assert 'role="progressbar"' in page and "This PDF is long" in page
    assert hr.get(url).headers["Location"] == response.headers["Location"]  # the same task, not two
    # the position's link asks for the same document: the same task
    position_url = f"/documents/positions/{shop.version.position_id}/job-description.pdf?lang=zh_CN"
    assert hr.get(position_url).headers["Location"] == response.headers["Location"]
    tasks.run(task_id)
    db.session.expire_all()
    task = db.session.get(Task, task_id)
    assert task.status == "done", task.error
    made = hr.get(f"/tasks/{task_id}/download")
    assert made.status_code == 200 and made.mimetype == "application/pdf"
    again = hr.get(url)  # printed now: sent at once, however long
    assert again.status_code == 200 and again.headers["X-Cache"] == "hit" and again.data == made.data


def test_a_long_job_description_answers_202_from_the_api(app, api, shop, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "PDF_SYNC_MAX_PAGES", 1)
    hr = api("hr")
    url = f"/api/v1/positions/{shop.version.position_id}/job-description.pdf?lang=en"
    response = hr.get(url)
    assert response.status_code == 202
    task = response.json
    assert task["kind"] == "job_description" and response.headers["Location"] == f"/api/v1/tasks/{task['id']}"
    assert hr.get(url).json["id"] == task["id"]
    # someone who may not read it gets no task: 404 as before
    assert api("employee").get(url).status_code == 404
    tasks.run(task["id"])
    done = hr.get(url)
    assert done.status_code == 200 and done.headers["X-Cache"] == "hit"


def test_the_task_refuses_a_reader_who_lost_the_right(app, login, shop, monkeypatch):  # noqa: F811
    """Rights are checked again when the task runs: an account that lost them meanwhile gets a
    clear failure, not the document."""
    monkeypatch.setitem(app.config, "PDF_SYNC_MAX_PAGES", 1)
    hr = login("hr")
    response = hr.get(f"/documents/versions/{shop.version.id}/job-description.pdf")
    task_id = int(response.headers["Location"].rsplit("/", 1)[1])
    hr.user.role = "employee"
    db.session.commit()
    tasks.run(task_id)
    db.session.expire_all()
    task = db.session.get(Task, task_id)
    assert task.status == "failed" and "You may not print this job description." in task.error
