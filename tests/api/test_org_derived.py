"""The organisation's derived views in the API: the reporting line around a position (superior,
direct subordinates, manager past vacant posts), an employee's position and manager, the
headcount report and the org chart as SVG, with the same scope as the pages."""

from __future__ import annotations

from xml.etree import ElementTree

from app.extensions import db
from app.org.models import Department
from tests import factories
from tests.api.conftest import assert_error


def _vacant_line(org):
    """EC-OPS-VAC (vacant, under 运营主管) with EC-OPS-NEW (held by 周杰) below it."""
    vacant = factories.create_position("EC-OPS-VAC", org.ops, "运营副主管", reports_to=org.lead)
    new = factories.create_position("EC-OPS-NEW", org.ops, "运营助理", reports_to=vacant)
    zhou = factories.create_employee("E005", "周杰", position=new)
    return vacant, new, zhou


# --- positions ------------------------------------------------------------------------------


def test_position_detail_shows_its_reporting_line(api, org):
    client = api("employee")
    vacant, new, _zhou = _vacant_line(org)

    lead = client.get(f"/api/v1/positions/{org.lead.id}").json
    assert lead["superior"] == {"id": org.mgr.id, "code": "EC-MGR", "title": "电商部经理"}
    assert [p["code"] for p in lead["subordinates"]] == ["EC-OPS-STAFF", "EC-OPS-VAC"]
    assert lead["subordinate_ids"] == [org.staff.id, vacant.id]
    assert lead["manager"] == {
        "position": {"id": org.mgr.id, "code": "EC-MGR", "title": "电商部经理"},
        "employees": [{"id": org.wang.id, "name": "王强"}],
    }

    # the manager is found past the vacant post above
    below_vacancy = client.get(f"/api/v1/positions/{new.id}").json
    assert below_vacancy["superior"]["code"] == "EC-OPS-VAC"
    assert below_vacancy["manager"]["position"]["code"] == "EC-OPS-LEAD"
    assert below_vacancy["manager"]["employees"] == [{"id": org.li.id, "name": "李娜"}]

    top = client.get(f"/api/v1/positions/{org.mgr.id}").json
    assert (top["superior"], top["manager"]) == (None, None)
    assert [p["code"] for p in top["subordinates"]] == ["EC-OPS-LEAD"]


def test_position_list_has_direct_subordinates(api, org):
    items = api("manager").get("/api/v1/positions").json["items"]
    assert {p["code"]: p["subordinate_ids"] for p in items} == {
        "EC-MGR": [org.lead.id],
        "EC-OPS-LEAD": [org.staff.id],
        "EC-OPS-STAFF": [],
        "HR-MGR": [],
    }


# --- employees ------------------------------------------------------------------------------


def test_employee_json_has_position_and_derived_manager(api, org):
    hr = api("hr")
    _vacant, new, zhou = _vacant_line(org)
    zhang = hr.get(f"/api/v1/employees/{org.zhang.id}").json
    assert zhang["position_id"] == org.staff.id
    assert zhang["manager"] == {
        "position": {"id": org.lead.id, "code": "EC-OPS-LEAD", "title": "运营主管"},
        "employees": [{"id": org.li.id, "name": "李娜"}],
    }
    assert hr.get(f"/api/v1/employees/{zhou.id}").json["manager"]["position"]["code"] == "EC-OPS-LEAD"
    top = hr.get(f"/api/v1/employees/{org.wang.id}").json
    assert (top["position_id"], top["manager"]) == (org.mgr.id, None)

    unassigned = hr.post("/api/v1/employees", json={"employee_no": "E100", "name": "赵敏"})
    assert unassigned.status_code == 201 and (unassigned.json["position_id"], unassigned.json["manager"]) == (
        None,
        None,
    )

    listed = {e["employee_no"]: e for e in hr.get("/api/v1/employees").json["items"]}
    assert listed["E003"]["manager"] == zhang["manager"]
    assert listed["E005"]["position_id"] == new.id and listed["E001"]["manager"] is None


def test_employee_managers_take_a_fixed_number_of_queries(api, ctx, count_queries):
    """Each employee below a boss in a chain of departments: the derived managers of a page
    come in as many queries for 2 rows as for 20."""
    client = api("hr")
    department = factories.create_department("D", "部门")
    boss = factories.create_position("BOSS", department)
    factories.create_employee("E0", position=boss)
    counts, above = [], boss
    for size in (3, 21):
        while len(client.get("/api/v1/employees?per_page=100").json["items"]) < size:
            n = db.session.scalar(db.select(db.func.count()).select_from(Department)) + 1
            above = factories.create_position(f"P{n}", factories.create_department(f"D{n}", "部门"), reports_to=above)
            factories.create_employee(f"E{n}", position=above)
        with count_queries() as queries:
            response = client.get("/api/v1/employees?per_page=100")
        assert response.status_code == 200 and len(response.json["items"]) == size
        assert sum(e["manager"] is not None for e in response.json["items"]) == size - 1
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_manager_reads_only_their_subtree(api, org):
    manager = api(user=org.manager_user)
    assert {e["employee_no"] for e in manager.get("/api/v1/employees").json["items"]} == {"E002", "E003"}
    assert manager.get(f"/api/v1/employees/{org.zhang.id}").json["manager"]["employees"][0]["name"] == "李娜"
    assert_error(manager.get(f"/api/v1/employees/{org.chen.id}"), 404)  # outside the subtree: as if absent
    assert_error(manager.get("/api/v1/employees/999999"), 404)
    assert_error(api("employee").get("/api/v1/employees"), 403)


# --- headcount and chart --------------------------------------------------------------------


def test_headcount_report(api, org, app):
    client = api("employee")
    report = client.get("/api/v1/headcount").json
    assert report["department_id"] is None
    assert [d["code"] for d in report["departments"]] == ["EC", "EC-OPS", "HR"]  # the org chart's order
    assert report["total"] == {"authorised": 5, "filled": 4, "vacant": 1, "over": 0, "positions": 4}
    ec = report["departments"][0]
    assert (ec["level"], ec["sub_departments"], ec["own"]["filled"], ec["subtree"]["authorised"]) == (0, 1, 1, 4)
    ops = report["departments"][1]
    assert [(p["code"], p["authorised"], p["filled"], p["vacant"]) for p in ops["positions"]] == [
        ("EC-OPS-LEAD", 1, 1, 0),
        ("EC-OPS-STAFF", 2, 1, 1),
    ]

    scoped = client.get(f"/api/v1/headcount?department_id={org.ops.id}").json
    assert scoped["department_id"] == org.ops.id and [d["code"] for d in scoped["departments"]] == ["EC-OPS"]
    assert scoped["total"]["authorised"] == 3

    assert_error(client.get("/api/v1/headcount?department_id=999999"), 422, "department_id")
    assert_error(client.get("/api/v1/headcount?department_id=x"), 422, "department_id")
    assert_error(app.test_client().get("/api/v1/headcount"), 401)


def test_org_chart_svg(api, org, app):
    client = api("manager")
    response = client.get("/api/v1/org-chart.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    text = response.get_data(as_text=True)
    ElementTree.fromstring(text)  # a well-formed SVG document
    assert "电商部经理" in text and "人事部经理" in text and "<script" not in text

    scoped = client.get(f"/api/v1/org-chart.svg?department_id={org.ops.id}").get_data(as_text=True)
    assert "运营专员" in scoped and "人事部经理" not in scoped

    assert_error(client.get("/api/v1/org-chart.svg?depth=99"), 422, "depth")
    assert_error(client.get("/api/v1/org-chart.svg?department_id=999999"), 422, "department_id")
    assert_error(app.test_client().get("/api/v1/org-chart.svg"), 401)
