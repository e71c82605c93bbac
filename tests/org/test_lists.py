"""What the organisation's list pages share: the department-subtree filter (departments too, as
positions and employees), and a ``?page=`` past the last page showing the last page, not a 404."""
from __future__ import annotations

import pytest

from tests import factories


def _rows(html: str) -> str:
    return html.split("<tbody>")[1].split("</tbody>")[0]


def _names(html: str, names) -> list[str]:
    return [name for name in names if name in html]


def test_departments_list_filters_to_a_subtree(login):
    hr = login("hr")
    ec = factories.create_department("EC", "电商部")
    ops = factories.create_department("EC-OPS", "运营组", parent=ec)
    factories.create_department("EC-OPS-1", "运营一组", parent=ops)
    factories.create_department("HR", "人事部")
    names = ("电商部", "运营组", "运营一组", "人事部")

    everything = hr.get("/org/departments").get_data(as_text=True)
    assert _names(everything, names) == list(names)
    page = hr.get(f"/org/departments?department={ops.id}").get_data(as_text=True)
    assert _names(_rows(page), names) == ["运营组", "运营一组"]
    assert f'<option value="{ops.id}" selected>' in page

    none = hr.get(f"/org/departments?department={ops.id}&q=人事").get_data(as_text=True)
    assert "No department matches these filters." in none
    # an unknown or malformed department is ignored, as on the other lists
    assert hr.get("/org/departments?department=999999").status_code == 200
    assert hr.get("/org/departments?department=x").status_code == 200


def test_departments_api_filters_by_department_id(api_client_hr, ctx):
    ec = factories.create_department("EC", "电商部")
    factories.create_department("EC-OPS", "运营组", parent=ec)
    factories.create_department("HR", "人事部")
    codes = [d["code"] for d in api_client_hr.get(f"/api/v1/departments?department_id={ec.id}").json["items"]]
    assert codes == ["EC", "EC-OPS"]
    response = api_client_hr.get("/api/v1/departments?department_id=999999")
    assert response.status_code == 422 and "department_id" in response.json["errors"]


@pytest.fixture
def api_client_hr(login):
    return login("hr")


@pytest.mark.parametrize("path, name", [
    ("/org/departments", "部门{}"), ("/org/positions", "岗位{}"), ("/org/employees", "员工{}")])
def test_a_page_past_the_last_shows_the_last_page(login, app, path, name):
    hr = login("hr")
    app.config["PER_PAGE"] = 2
    for i in range(3):  # two pages: 0 1 | 2
        department = factories.create_department(f"D{i}", f"部门{i}")
        position = factories.create_position(f"P{i}", department, f"岗位{i}")
        factories.create_employee(f"E{i}", f"员工{i}", position=position)
    last = _rows(hr.get(f"{path}?page=2").get_data(as_text=True))
    beyond = hr.get(f"{path}?page=9")
    assert beyond.status_code == 200
    rows = _rows(beyond.get_data(as_text=True))
    assert rows == last and name.format(2) in rows and name.format(0) not in rows
    for malformed in ("x", "-3", "0"):
        first = hr.get(f"{path}?page={malformed}")
        assert first.status_code == 200 and name.format(0) in _rows(first.get_data(as_text=True))
