"""Changing and deleting assignments through the API: PATCH with the ETag of the GET (409 when
stale, 428 without), the employee page's overlap rules, DELETE only before the start; refusals
change nothing and every change is audited."""

from __future__ import annotations

from datetime import date, timedelta

from app.audit.models import AuditEvent
from app.core import clock
from app.extensions import db
from app.org import services
from app.org.models import Assignment
from tests.api.conftest import assert_error


def _current(employee) -> Assignment:
    return next(a for a in employee.assignments if a.end_date is None)


def _state(assignment_id: int):
    db.session.expire_all()
    assignment = db.session.get(Assignment, assignment_id)
    return None if assignment is None else (assignment.end_date, assignment.is_primary)


def test_patch_an_assignment_with_its_etag(api, org):
    hr = api("hr")
    assignment = _current(org.zhang)
    read = hr.get(f"/api/v1/assignments/{assignment.id}")
    assert read.headers["ETag"].startswith('"a')

    changed = hr.patch(
        f"/api/v1/assignments/{assignment.id}",
        json={"end_date": "2030-06-30"},
        headers={"If-Match": read.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.json
    assert (changed.json["end_date"], changed.json["is_primary"]) == ("2030-06-30", True)
    assert changed.headers["ETag"] != read.headers["ETag"]
    assert (
        db.session.scalar(
            db.select(AuditEvent).where(
                AuditEvent.entity == "assignments",
                AuditEvent.entity_id == str(assignment.id),
                AuditEvent.action == "update",
            )
        ).changes["end_date"][1]
        == "2030-06-30"
    )

    # a second client still holding the first ETag is refused, with what changed since
    body = assert_error(
        hr.patch(
            f"/api/v1/assignments/{assignment.id}", json={"end_date": None}, headers={"If-Match": read.headers["ETag"]}
        ),
        409,
        "end_date",
    )
    assert "2030-06-30" in body["errors"]["end_date"][0]
    assert _state(assignment.id) == (date(2030, 6, 30), True)

    reopened = hr.patch(
        f"/api/v1/assignments/{assignment.id}", json={"end_date": None}, headers={"If-Match": changed.headers["ETag"]}
    )
    assert reopened.status_code == 200 and reopened.json["end_date"] is None


def test_patch_needs_a_valid_if_match_and_known_fields(api, org):
    hr = api("hr")
    assignment = _current(org.zhang)
    url = f"/api/v1/assignments/{assignment.id}"
    tag = hr.get(url).headers["ETag"]
    assert_error(hr.patch(url, json={"end_date": "2030-06-30"}), 428, "If-Match")
    assert_error(hr.patch(url, json={"end_date": "2030-06-30"}, headers={"If-Match": 'W/"1"'}), 412, "If-Match")
    assert_error(hr.patch(url, json={"position_id": org.lead.id}, headers={"If-Match": tag}), 422, "position_id")
    assert_error(hr.patch(url, json={"end_date": "2000-01-01"}, headers={"If-Match": tag}), 422, "end_date")
    assert_error(hr.patch("/api/v1/assignments/999999", json={}, headers={"If-Match": tag}), 404)
    assert_error(api("manager").patch(url, json={"end_date": "2030-06-30"}, headers={"If-Match": tag}), 403)
    assert _state(assignment.id) == (None, True)


def test_patch_keeps_one_primary_assignment_at_a_time(api, org):
    """李娜 held 运营专员 as a secondary post before leading: making it primary over her primary
    lead post is refused, as on the employee page."""
    hr = api("hr")
    lead = _current(org.li)
    lead.start_date = date(2020, 1, 1)
    old = services.assign(org.li, org.staff.id, date(2019, 1, 1), date(2020, 6, 30), is_primary=False)
    db.session.commit()
    url = f"/api/v1/assignments/{old.id}"
    body = assert_error(
        hr.patch(url, json={"is_primary": True}, headers={"If-Match": hr.get(url).headers["ETag"]}), 422, "end_date"
    )
    assert "运营主管" in body["errors"]["end_date"][0]
    assert _state(old.id) == (date(2020, 6, 30), False)

    ended = hr.patch(
        url, json={"is_primary": True, "end_date": "2019-12-31"}, headers={"If-Match": hr.get(url).headers["ETag"]}
    )
    assert ended.status_code == 200 and ended.json["is_primary"] is True


def test_end_checks_if_match_when_sent(api, org):
    hr = api("hr")
    assignment = _current(org.zhang)
    url = f"/api/v1/assignments/{assignment.id}"
    tag = hr.get(url).headers["ETag"]
    assert hr.patch(url, json={"is_primary": False}, headers={"If-Match": tag}).status_code == 200
    assert_error(hr.post(f"{url}/end", json={"end_date": "2030-01-01"}, headers={"If-Match": tag}), 409, "is_primary")
    assert _state(assignment.id) == (None, False)


def test_delete_only_before_it_starts(api, org):
    hr = api("hr")
    started = _current(org.zhang)
    url = f"/api/v1/assignments/{started.id}"
    assert_error(hr.delete(url), 428, "If-Match")
    body = assert_error(hr.delete(url, headers={"If-Match": hr.get(url).headers["ETag"]}), 422, "start_date")
    assert "end it instead" in body["errors"]["start_date"][0]
    assert _state(started.id) == (None, True)

    hr.post(f"{url}/end", json={"end_date": clock.today().isoformat()})
    future = hr.post(
        "/api/v1/assignments",
        json={
            "employee_id": org.zhang.id,
            "position_id": org.lead.id,
            "start_date": (clock.today() + timedelta(days=30)).isoformat(),
        },
    )
    assert future.status_code == 201, future.json
    assert_error(api("employee").delete(future.headers["Location"], headers={"If-Match": future.headers["ETag"]}), 403)
    assert hr.delete(future.headers["Location"], headers={"If-Match": future.headers["ETag"]}).status_code == 204
    assert _state(future.json["id"]) is None
    assert (
        db.session.scalar(
            db.select(AuditEvent).where(
                AuditEvent.entity == "assignments",
                AuditEvent.entity_id == str(future.json["id"]),
                AuditEvent.action == "delete",
            )
        )
        is not None
    )
