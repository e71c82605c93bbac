"""Departments, positions, employees and assignments through the API: the same services as the
pages, lists with pagination and filters in a fixed number of queries, ETags and versions."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.org.models import Assignment, Department, Employee, Position
from tests import factories
from tests.api.conftest import assert_error

DEPARTMENT_FIELDS = {
    "id",
    "code",
    "name",
    "parent_id",
    "nature",
    "service_object",
    "authority",
    "management_functions",
    "evaluation_criteria",
    "head_position_id",
    "functions",
    "collaborations",
    "archived",
    "version",
}
POSITION_FIELDS = {
    "id",
    "code",
    "title",
    "department_id",
    "reports_to_id",
    "headcount",
    "filled",
    "grade",
    "purpose",
    "authority",
    "management_responsibility",
    "working_conditions",
    "acting_position_id",
    "acting_note",
    "dotted_superior_ids",
    "subordinate_ids",
    "archived",
    "version",
}
EMPLOYEE_FIELDS = {
    "id",
    "employee_no",
    "name",
    "email",
    "hire_date",
    "status",
    "user_id",
    "position_id",
    "manager",
    "version",
}
ASSIGNMENT_FIELDS = {"id", "employee_id", "position_id", "start_date", "end_date", "is_primary"}


# --- departments ------------------------------------------------------------------------------


def test_department_lifecycle(api, org):
    hr = api("hr")
    created = hr.post(
        "/api/v1/departments",
        json={
            "code": "EC-CS",
            "name": "客服组",
            "parent_id": org.ec.id,
            "nature": "服务",
            "functions": ["处理投诉", "回访客户"],
            "collaborations": [{"partner": "人事部", "duty": "排班"}],
        },
    )
    assert created.status_code == 201, created.json
    department = created.json
    assert set(department) == DEPARTMENT_FIELDS
    assert department["functions"] == ["处理投诉", "回访客户"]
    assert department["collaborations"] == [{"partner": "人事部", "partner_id": org.hr.id, "duty": "排班"}]
    assert created.headers["ETag"] == f'W/"{department["version"]}"'
    assert created.headers["Location"].endswith(f"/api/v1/departments/{department['id']}")

    read = hr.get(created.headers["Location"])
    assert read.json == department and read.headers["ETag"] == created.headers["ETag"]

    changed = hr.patch(
        f"/api/v1/departments/{department['id']}",
        json={"name": "客户服务组"},
        headers={"If-Match": read.headers["ETag"]},
    )
    assert changed.status_code == 200, changed.json
    assert changed.json["name"] == "客户服务组" and changed.json["functions"] == ["处理投诉", "回访客户"]
    assert changed.json["version"] == department["version"] + 1
    assert changed.headers["ETag"] == f'W/"{changed.json["version"]}"'

    replaced = hr.put(
        f"/api/v1/departments/{department['id']}",
        json={"code": "EC-CS", "name": "客服", "version": changed.json["version"]},
    )
    assert replaced.status_code == 200, replaced.json
    assert replaced.json["parent_id"] is None and replaced.json["functions"] == []  # PUT sets every field

    assert hr.post(f"/api/v1/departments/{department['id']}/archive").json["archived"] is True
    assert hr.post(f"/api/v1/departments/{department['id']}/restore").json["archived"] is False
    assert hr.delete(f"/api/v1/departments/{department['id']}").status_code == 204
    assert db.session.get(Department, department["id"]) is None


def test_departments_that_others_refer_to_are_not_deleted_or_archived(api, org):
    hr = api("hr")
    assert_error(hr.delete(f"/api/v1/departments/{org.ec.id}"), 422)
    assert_error(hr.post(f"/api/v1/departments/{org.ec.id}/archive"), 422)
    assert db.session.get(Department, org.ec.id).archived_at is None


def test_department_list_filters(api, org):
    client = api("employee")
    everything = client.get("/api/v1/departments").json
    assert [d["code"] for d in everything["items"]] == ["EC", "EC-OPS", "HR"]
    assert (everything["total"], everything["page"], everything["per_page"]) == (3, 1, 25)
    assert [d["code"] for d in client.get("/api/v1/departments?q=ops").json["items"]] == ["EC-OPS"]
    assert [d["code"] for d in client.get(f"/api/v1/departments?within={org.ec.id}").json["items"]] == ["EC", "EC-OPS"]


# --- positions --------------------------------------------------------------------------------


def test_position_lifecycle(api, org):
    hr = api("hr")
    created = hr.post(
        "/api/v1/positions",
        json={
            "code": "EC-OPS-ANALYST",
            "title": "数据分析",
            "department_id": org.ops.id,
            "reports_to_id": org.lead.id,
            "headcount": 3,
            "dotted_superior_ids": [org.hr_mgr.id],
            "acting_position_id": org.lead.id,
        },
    )
    assert created.status_code == 201, created.json
    position = created.json
    assert set(position) == POSITION_FIELDS | {"job_description", "superior", "subordinates", "manager"}
    assert position["dotted_superior_ids"] == [org.hr_mgr.id] and position["filled"] == 0
    assert position["job_description"] is None

    changed = hr.patch(f"/api/v1/positions/{position['id']}", json={"headcount": 4, "version": 1})
    assert changed.status_code == 200, changed.json
    assert changed.json["headcount"] == 4 and changed.json["dotted_superior_ids"] == [org.hr_mgr.id]
    assert changed.json["reports_to_id"] == org.lead.id

    assert hr.post(f"/api/v1/positions/{position['id']}/archive").json["archived"] is True
    assert hr.post(f"/api/v1/positions/{position['id']}/restore").json["archived"] is False
    assert hr.delete(f"/api/v1/positions/{position['id']}").status_code == 204
    assert db.session.get(Position, position["id"]) is None


def test_position_detail_has_an_extension_point_for_the_job_description(api, org, monkeypatch):
    from app.api import positions

    monkeypatch.setattr(
        positions,
        "position_job_description",
        lambda position: {
            "id": 7,
            "status": "published",
            "effective_date": None,
            "duties": [{"text": f"负责{position.title}的工作"}],
        },
    )
    body = api("employee").get(f"/api/v1/positions/{org.mgr.id}").json
    assert body["job_description"]["duties"] == [{"text": "负责电商部经理的工作"}]


def test_position_list_filters_like_the_page(api, org):
    client = api("manager")

    def codes(query=""):
        return [p["code"] for p in client.get(f"/api/v1/positions{query}").json["items"]]

    assert codes() == ["EC-MGR", "EC-OPS-LEAD", "EC-OPS-STAFF", "HR-MGR"]
    assert codes(f"?department_id={org.ops.id}") == ["EC-OPS-LEAD", "EC-OPS-STAFF"]
    assert codes("?vacancy=vacant") == ["EC-OPS-STAFF"]  # 1 of 2 filled
    assert codes("?vacancy=over") == []
    assert codes("?q=经理") == ["EC-MGR", "HR-MGR"]
    staff = client.get("/api/v1/positions?q=STAFF").json["items"][0]
    assert (staff["headcount"], staff["filled"]) == (2, 1)


def test_pages_of_a_list(api, ctx):
    department = factories.create_department("D", "部门")
    for i in range(7):
        factories.create_position(f"P{i}", department)
    client = api("hr")
    page = client.get("/api/v1/positions?per_page=3&page=3").json
    assert ([p["code"] for p in page["items"]], page["total"], page["page"], page["per_page"]) == (["P6"], 7, 3, 3)
    beyond = client.get("/api/v1/positions?per_page=3&page=9").json
    assert (beyond["items"], beyond["total"]) == ([], 7)


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/api/v1/departments", 6),
        ("/api/v1/positions", 8),
        ("/api/v1/employees", 9),
        ("/api/v1/assignments", 4),
    ],
)
def test_lists_take_a_fixed_number_of_queries(api, ctx, count_queries, path, expected):
    """The token and its user, the count, the page, one query per related list (the filled
    counts and direct subordinates of positions, the derived managers of employees): as many for
    2 rows as for 20."""
    client = api("hr")
    counts = []
    for size in (2, 20):
        while db.session.scalar(db.select(db.func.count()).select_from(Department)) < size:
            n = db.session.scalar(db.select(db.func.count()).select_from(Department)) + 1
            department = factories.create_department(f"D{n}", "部门", functions=["职能"])
            position = factories.create_position(f"P{n}", department, dotted_superior_ids=[])
            factories.create_employee(f"E{n}", position=position)
        with count_queries() as queries:
            response = client.get(f"{path}?per_page=100")
        assert response.status_code == 200 and len(response.json["items"]) == size
        counts.append(len(queries))
    assert counts == [expected, expected], counts


# --- employees and assignments ----------------------------------------------------------------


def test_employee_lifecycle(api, org):
    hr = api("hr")
    created = hr.post(
        "/api/v1/employees",
        json={
            "employee_no": "E100",
            "name": "赵敏",
            "email": "Zhao@Example.com",
            "hire_date": "2026-03-01",
            "status": "probation",
        },
    )
    assert created.status_code == 201, created.json
    assert set(created.json) == EMPLOYEE_FIELDS
    assert created.json["email"] == "zhao@example.com"
    employee_id = created.json["id"]

    changed = hr.patch(
        f"/api/v1/employees/{employee_id}", json={"status": "regular"}, headers={"If-Match": created.headers["ETag"]}
    )
    assert changed.status_code == 200 and changed.json["status"] == "regular"
    assert changed.json["hire_date"] == "2026-03-01"

    replaced = hr.put(
        f"/api/v1/employees/{employee_id}",
        json={"employee_no": "E100", "name": "赵敏"},
        headers={"If-Match": changed.headers["ETag"]},
    )
    assert replaced.status_code == 200 and replaced.json["hire_date"] is None

    assigned = hr.post(
        "/api/v1/assignments",
        json={"employee_id": employee_id, "position_id": org.staff.id, "start_date": "2026-03-01"},
    )
    assert assigned.status_code == 201, assigned.json
    assert set(assigned.json) == ASSIGNMENT_FIELDS
    assert assigned.json["end_date"] is None and assigned.json["is_primary"] is True
    assert hr.get(assigned.headers["Location"]).json == assigned.json

    ended = hr.post(f"/api/v1/assignments/{assigned.json['id']}/end", json={"end_date": "2026-06-30"})
    assert ended.status_code == 200 and ended.json["end_date"] == "2026-06-30"
    assert_error(
        hr.post(f"/api/v1/assignments/{assigned.json['id']}/end", json={"end_date": "2020-01-01"}), 422, "end_date"
    )


def test_a_second_primary_assignment_is_refused(api, org):
    body = assert_error(
        api("hr").post(
            "/api/v1/assignments",
            json={"employee_id": org.zhang.id, "position_id": org.lead.id, "start_date": "2026-01-01"},
        ),
        422,
        "start_date",
    )
    assert "overlaps" in body["errors"]["start_date"][0]
    assert db.session.scalar(db.select(db.func.count()).select_from(Assignment)) == 4


def test_assignment_list_filters(api, org):
    hr = api("hr")
    assert hr.get("/api/v1/assignments").json["total"] == 4
    only = hr.get(f"/api/v1/assignments?employee_id={org.li.id}").json["items"]
    assert [(a["employee_id"], a["position_id"]) for a in only] == [(org.li.id, org.lead.id)]
    assert hr.get(f"/api/v1/assignments?position_id={org.mgr.id}&current=true").json["total"] == 1
    assert hr.get("/api/v1/assignments?current=false").json["total"] == 0


# --- versions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["if-match", "body"])
def test_an_update_based_on_an_old_version_is_409_and_changes_nothing(api, org, how):
    first, second = api("hr"), api("admin")
    etag = first.get(f"/api/v1/positions/{org.lead.id}").headers["ETag"]
    assert etag == 'W/"1"'
    won = second.patch(f"/api/v1/positions/{org.lead.id}", json={"title": "运营经理", "headcount": 2, "version": 1})
    assert won.status_code == 200 and won.json["version"] == 2

    stale = (
        {"headers": {"If-Match": etag}, "json": {"grade": "M1"}}
        if how == "if-match"
        else {"json": {"grade": "M1", "version": 1}}
    )
    body = assert_error(first.patch(f"/api/v1/positions/{org.lead.id}", **stale), 409, "title", "headcount")
    assert "运营主管" in body["errors"]["title"][0] and "运营经理" in body["errors"]["title"][0]
    position = db.session.get(Position, org.lead.id)
    assert (position.title, position.headcount, position.grade, position.version) == ("运营经理", 2, "", 2)

    retried = first.patch(f"/api/v1/positions/{org.lead.id}", json={"grade": "M1"}, headers={"If-Match": 'W/"2"'})
    assert retried.status_code == 200 and retried.json["grade"] == "M1" and retried.json["title"] == "运营经理"


def test_updates_must_say_which_version_they_are_based_on(api, org):
    hr = api("hr")
    url = f"/api/v1/employees/{org.li.id}"
    assert_error(hr.patch(url, json={"name": "李娜娜"}), 428, "version")
    assert_error(hr.put(url, json={"employee_no": "E002", "name": "李娜娜"}), 428, "version")
    assert_error(hr.patch(url, json={"name": "李娜娜"}, headers={"If-Match": "*"}), 412, "If-Match")
    assert_error(hr.patch(url, json={"name": "李娜娜", "version": 2}, headers={"If-Match": 'W/"1"'}), 422, "version")
    assert db.session.get(Employee, org.li.id).name == "李娜"
    assert hr.patch(url, json={"name": "李娜娜"}, headers={"If-Match": '"1"'}).status_code == 200
