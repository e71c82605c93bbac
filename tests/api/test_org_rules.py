"""The organisation's rules through the API: ending an assignment keeps one primary at a time,
someone who still holds a post cannot be marked as left; refusals are 422 and change nothing."""

from __future__ import annotations

from datetime import date

from app.core import clock
from app.extensions import db
from app.org import services
from app.org.models import Assignment, Employee
from tests.api.conftest import assert_error


def test_ending_an_old_assignment_into_the_next_one_is_422(api, org):
    hr = api("hr")
    old = services.assign(org.li, org.staff.id, date(2015, 1, 1), date(2017, 1, 31))
    db.session.commit()
    current = next(a for a in org.li.assignments if a.end_date is None)
    current.start_date = date(2017, 2, 1)  # 李娜 leads from February 2017
    db.session.commit()
    body = assert_error(hr.post(f"/api/v1/assignments/{old.id}/end", json={"end_date": "2030-01-01"}), 422, "end_date")
    assert "运营主管" in body["errors"]["end_date"][0]
    db.session.expire_all()
    assert db.session.get(Assignment, old.id).end_date == date(2017, 1, 31)
    assert (
        hr.post(f"/api/v1/assignments/{old.id}/end", json={"end_date": "2017-01-15"}).json["end_date"] == "2017-01-15"
    )


def test_marking_someone_who_holds_a_post_as_left_is_422(api, org):
    hr = api("hr")
    read = hr.get(f"/api/v1/employees/{org.zhang.id}")
    body = assert_error(
        hr.patch(
            f"/api/v1/employees/{org.zhang.id}", json={"status": "left"}, headers={"If-Match": read.headers["ETag"]}
        ),
        422,
        "status",
    )
    assert "运营专员 (EC-OPS-STAFF)" in body["errors"]["status"][0]
    db.session.expire_all()
    assert db.session.get(Employee, org.zhang.id).status == "regular"

    current = next(a for a in org.zhang.assignments if a.end_date is None)
    assert (
        hr.post(f"/api/v1/assignments/{current.id}/end", json={"end_date": clock.today().isoformat()}).status_code
        == 200
    )
    left = hr.patch(
        f"/api/v1/employees/{org.zhang.id}", json={"status": "left"}, headers={"If-Match": read.headers["ETag"]}
    )
    assert left.status_code == 200 and left.json["status"] == "left"


def test_someone_without_a_post_may_be_created_as_left(api, ctx):
    created = api("hr").post("/api/v1/employees", json={"employee_no": "E9", "name": "赵敏", "status": "left"})
    assert created.status_code == 201 and created.json["status"] == "left"
