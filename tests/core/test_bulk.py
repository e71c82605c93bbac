"""Bulk actions on lists (app/core/bulk.py and the domains' registrations): a selection across
pages, a confirmation with the count, all or nothing, refused whole naming the records, audited."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.core.bulk import Selection
from app.extensions import db
from app.jobs import lint
from app.jobs import services as jobs
from app.jobs.models import JobDescriptionVersion, Status
from app.org.models import Position
from tests import factories


def _select(client, key, ids=(), op="add", next_url="/"):
    return client.post(f"/bulk/{key}/select", data={"op": op, "id": [str(i) for i in ids], "next": next_url})


@pytest.fixture
def positions(ctx):
    ec = factories.create_department("EC", "电商部")
    fin = factories.create_department("FIN", "财务部")
    made = [factories.create_position(f"EC-{n:02}", ec, f"专员{n}") for n in range(28)]
    made.append(factories.create_position("FIN-01", fin, "会计"))
    return made


def test_a_selection_spans_pages_and_filters(positions, login):
    hr = login("hr")
    first_page = hr.get("/org/positions?sort=code").get_data(as_text=True)
    assert first_page.count('data-testid="bulk-check"') == 25
    _select(hr, "org.positions", [positions[0].id, positions[1].id], next_url="/org/positions?page=1")
    _select(hr, "org.positions", [positions[-1].id], next_url="/org/positions?page=2")
    page = hr.get("/org/positions?sort=code&page=2").get_data(as_text=True)
    assert "3 selected" in page and page.count(" checked ") + page.count(" checked>") >= 1
    assert 'data-testid="bulk-action-archive"' in page and 'data-testid="bulk-action-export"' in page
    _select(hr, "org.positions", [positions[1].id], op="remove")
    # "all matching": the filters of the list the button was under (q=专员: the 28 of 电商部)
    response = _select(hr, "org.positions", op="all", next_url="/org/positions?q=专员&page=2")
    assert response.status_code == 302 and "/org/positions?q=%E4%B8%93%E5%91%98&page=2" in response.headers["Location"]
    ids = db.session.scalar(select(Selection.ids).where(Selection.user_id == hr.user.id))
    assert sorted(ids) == sorted([p.id for p in positions])  # 0 and FIN-01 kept, the rest of 电商部 added
    confirm = hr.get("/bulk/org.positions/archive").get_data(as_text=True)
    assert "Archive 29 positions?" in confirm and "FIN-01 会计" in confirm
    _select(hr, "org.positions", op="clear")
    assert db.session.scalar(select(Selection.ids).where(Selection.user_id == hr.user.id)) is None


def test_archive_selected_is_all_or_nothing_and_audited(positions, login):
    hr = login("hr")
    ids = [p.id for p in positions[:3]]
    _select(hr, "org.positions", ids)
    response = hr.post("/bulk/org.positions/archive", data={"count": "3", "next": "/org/positions"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    assert all(db.session.get(Position, i).archived_at is not None for i in ids)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "bulk"))
    assert event.entity == "positions" and event.changes["count"] == [None, 3]
    assert db.session.scalar(select(Selection).where(Selection.user_id == hr.user.id)) is None  # cleared


def test_a_refusal_names_the_records_and_changes_nothing(positions, login):
    hr = login("hr")
    factories.create_employee("E1", "张三", positions[1])
    factories.create_employee("E2", "李四", positions[2])
    _select(hr, "org.positions", [p.id for p in positions[:4]])
    response = hr.post("/bulk/org.positions/archive", data={"count": "4"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Employees still hold these positions" in page and "EC-01 专员1, EC-02 专员2" in page
    db.session.expire_all()
    assert all(db.session.get(Position, p.id).archived_at is None for p in positions[:4])
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "bulk")) is None


def test_the_count_confirmed_must_be_the_selection(positions, login):
    hr = login("hr")
    _select(hr, "org.positions", [positions[0].id, positions[1].id])
    response = hr.post("/bulk/org.positions/archive", data={"count": "1"})
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Position, positions[0].id).archived_at is None


def test_roles_and_objects_are_checked(positions, login, app):
    employee = login("employee")
    assert _select(employee, "org.positions", [positions[0].id]).status_code == 302  # everyone sees positions
    assert employee.get("/bulk/org.positions/archive").status_code == 403
    assert employee.post("/bulk/org.positions/archive", data={"count": "1"}).status_code == 403
    assert "bulk-action-archive" not in employee.get("/org/positions").get_data(as_text=True)
    assert _select(employee, "org.employees", [1]).status_code == 403
    assert employee.get("/bulk/nothing/archive").status_code == 404
    # a manager selects only employees of their own line
    manager_user = factories.create_user("manager")
    head = positions[0]
    own = factories.create_employee("M1", "经理", head, user=manager_user)
    db.session.execute(db.update(Position).where(Position.id == positions[3].id).values(reports_to_id=head.id))
    db.session.commit()
    below = factories.create_employee("E1", "下属", positions[3])
    outside = factories.create_employee("E2", "别人", positions[-1])
    manager = factories.logged_in_client(app, manager_user)
    _select(manager, "org.employees", [own.id, below.id, outside.id])
    ids = db.session.scalar(select(Selection.ids).where(Selection.user_id == manager_user.id))
    assert sorted(ids) == sorted([own.id, below.id])


def test_export_selected_employees_is_a_safe_spreadsheet_and_audited(positions, login):
    hr = login("hr")
    staff = [
        factories.create_employee("E1", '=HYPERLINK("x")', positions[0]),
        factories.create_employee("E2", "李四", positions[1]),
        factories.create_employee("E3", "王五"),
    ]
    _select(hr, "org.employees", [staff[0].id, staff[1].id])
    response = hr.post("/bulk/org.employees/export", data={"count": "2"})
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3 and rows[2][:2] == ("E2", "李四") and rows[2][5:7] == ("EC-01", "专员1")
    assert not str(rows[1][1]).startswith("=")  # formula injection neutralised
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "export"))
    assert event.entity == "employees" and event.changes["count"] == [None, 2]


def _approved(position, duties=("Do the work.",)):
    version = jobs.start_draft(position, None, content=factories.jd_content(position.title, duties=duties))
    jobs.submit(version, None)
    for finding in lint.lint_version(version):
        jobs.waive(version, finding.key, "test data", None)
    jobs.approve(version, None)
    db.session.commit()
    return version


def test_publish_selected_approved_versions_from_one_date(positions, login):
    hr = login("hr")
    versions = [_approved(p) for p in positions[:3]]
    _select(hr, "jobs.review_queue", [v.id for v in versions], next_url="/jobs/review")
    assert "Publish 3 approved versions" in hr.get("/bulk/jobs.review_queue/publish").get_data(as_text=True)
    missing = hr.post("/bulk/jobs.review_queue/publish", data={"count": "3", "effective_date": ""})
    assert missing.status_code == 422 and "Enter the date from which this version applies." in missing.get_data(
        as_text=True
    )
    response = hr.post("/bulk/jobs.review_queue/publish", data={"count": "3", "effective_date": "2026-07-01"})
    assert response.status_code == 302, response.get_data(as_text=True).split("bulk-error")[-1][:400]
    db.session.expire_all()
    for version in versions:
        version = db.session.get(JobDescriptionVersion, version.id)
        assert version.status == Status.PUBLISHED.value and version.effective_date == date(2026, 7, 1)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "bulk"))
    assert event.entity == "jd_versions" and event.changes["effective_date"] == [None, "2026-07-01"]
    found = hr.get("/api/v1/search?q=work&kind=job_description").get_json()["groups"][0]
    assert found["total"] == 3  # the search index follows the publication


def test_publish_selected_is_refused_whole_when_one_is_not_approved(positions, login):
    hr = login("hr")
    approved = _approved(positions[0])
    in_review = jobs.start_draft(positions[1], None, content=factories.jd_content("专员1"))
    jobs.submit(in_review, None)
    db.session.commit()
    _select(hr, "jobs.review_queue", [approved.id, in_review.id])
    response = hr.post("/bulk/jobs.review_queue/publish", data={"count": "2", "effective_date": "2026-07-01"})
    page = response.get_data(as_text=True)
    alert = page.split('data-testid="bulk-error">')[1].split("</div>")[0]
    assert response.status_code == 422 and alert.endswith("EC-01 专员1 (v1)") and "EC-00" not in alert
    db.session.expire_all()
    assert db.session.get(JobDescriptionVersion, approved.id).status == Status.APPROVED.value
