"""Object rules of the API, as on the pages: a manager of one department and an employee trying
the ids of others get 404 (exactly the answer for an id that does not exist) or 403, and lists
hold only what they may read."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.org.models import Employee
from tests.api.conftest import assert_error


def test_manager_reads_the_employees_of_their_subtree_only(api, org):
    manager = api(user=org.manager_user)
    listed = manager.get("/api/v1/employees").json
    assert sorted(e["employee_no"] for e in listed["items"]) == ["E002", "E003"]  # 李娜, 张伟 below 王强
    assert listed["total"] == 2
    for employee in (org.wang, org.li, org.zhang):  # their own record and their subtree
        assert manager.get(f"/api/v1/employees/{employee.id}").status_code == 200
    assigned = manager.get("/api/v1/assignments").json["items"]
    assert sorted(a["employee_id"] for a in assigned) == sorted([org.wang.id, org.li.id, org.zhang.id])


def test_employee_reads_their_own_record_only(api, org):
    employee = api(user=org.employee_user)
    assert employee.get(f"/api/v1/employees/{org.zhang.id}").json["name"] == "张伟"
    assert [a["employee_id"] for a in employee.get("/api/v1/assignments").json["items"]] == [org.zhang.id]
    assert_error(employee.get("/api/v1/employees"), 403)
    assert employee.get("/api/v1/departments").status_code == 200  # the structure is for everyone
    assert employee.get(f"/api/v1/positions/{org.hr_mgr.id}").status_code == 200


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_others_records_answer_like_missing_ones(api, org, role):
    client = api(user=org.manager_user if role == "manager" else org.employee_user)
    others = [org.chen] if role == "manager" else [org.chen, org.wang, org.li]
    missing = client.get("/api/v1/employees/999999")
    for employee in others:
        response = client.get(f"/api/v1/employees/{employee.id}")
        assert_error(response, 404)
        assert response.get_data() == missing.get_data()
        assert employee.name not in response.get_data(as_text=True)
        assignment_id = employee.assignments[0].id
        refused = client.get(f"/api/v1/assignments/{assignment_id}")
        assert refused.get_data() == client.get("/api/v1/assignments/999999").get_data()
        assert client.get(f"/api/v1/assignments?employee_id={employee.id}").json == {
            "items": [],
            "total": 0,
            "page": 1,
            "per_page": 25,
        }
    assert client.get(f"/api/v1/employees?q={org.chen.name}").status_code in (200, 403)
    if role == "manager":
        assert client.get(f"/api/v1/employees?q={org.chen.name}").json["total"] == 0


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_changes_are_refused_with_403_and_nothing_changes(api, org, role):
    client = api(user=org.manager_user if role == "manager" else org.employee_user)
    own = org.wang if role == "manager" else org.zhang
    requests = [
        ("patch", f"/api/v1/employees/{own.id}", {"name": "改名", "version": 1}),
        ("put", f"/api/v1/employees/{org.li.id}", {"employee_no": "E002", "name": "改名", "version": 1}),
        ("post", "/api/v1/employees", {"employee_no": "E9", "name": "新人"}),
        (
            "post",
            "/api/v1/assignments",
            {"employee_id": own.id, "position_id": org.hr_mgr.id, "start_date": "2026-01-01", "is_primary": False},
        ),
        ("post", f"/api/v1/assignments/{own.assignments[0].id}/end", {"end_date": "2026-01-01"}),
        ("patch", f"/api/v1/positions/{org.lead.id}", {"title": "改名", "version": 1}),
        ("post", f"/api/v1/departments/{org.hr.id}/archive", None),
        ("delete", f"/api/v1/positions/{org.hr_mgr.id}", None),
        ("post", "/api/v1/job-descriptions/parse", {"text": "岗位职责:\n1、负责运营。"}),
    ]
    for method, url, body in requests:
        body = assert_error(getattr(client, method)(url, json=body), 403)
        assert body["errors"] == {}
    assert db.session.get(Employee, own.id).name == own.name
    assert db.session.scalar(db.select(db.func.count()).select_from(Employee)) == 4
