"""What the organisation's list pages share: the department-subtree filter (departments too, as
positions and employees), and a ``?page=`` past the last page showing the last page, not a 404
(on every list page)."""

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


@pytest.mark.parametrize(
    "path, name",
    [("/org/departments", "部门{}"), ("/org/positions", "岗位{}"), ("/org/employees", "员工{}"), ("/jobs/", "岗位{}")],
)  # every list page pages alike (app.core.listing.page_of)
def test_a_page_past_the_last_shows_the_last_page(login, app, monkeypatch, path, name):
    hr = login("hr")
    monkeypatch.setitem(app.config, "PER_PAGE", 2)
    for i in range(3):  # two pages: 0 1 | 2
        department = factories.create_department(f"D{i}", f"部门{i}")
        position = factories.create_position(f"P{i}", department, f"岗位{i}")
        factories.create_employee(f"E{i}", f"员工{i}", position=position)
    last = _rows(hr.get(f"{path}?page=2").get_data(as_text=True))
    for far in ("9", "1234567890", "99999999999999999999"):  # past any list, however large
        beyond = hr.get(f"{path}?page={far}")
        assert beyond.status_code == 200
        rows = _rows(beyond.get_data(as_text=True))
        assert rows == last and name.format(2) in rows and name.format(0) not in rows
    for malformed in ("x", "-3", "0"):
        first = hr.get(f"{path}?page={malformed}")
        assert first.status_code == 200 and name.format(0) in _rows(first.get_data(as_text=True))


def test_searches_ignore_case_and_match_wildcards_literally(login):
    """The lists' text search (plain LIKE on SQLite, ILIKE elsewhere): case-insensitive for
    Latin letters, Chinese as typed, ``%`` and ``_`` only as themselves."""
    hr = login("hr")
    ec = factories.create_department("EC-Ops", "电商部")
    factories.create_department("HR_1", "人事部")
    position = factories.create_position("EC-MGR", ec, "Shop Manager")
    factories.create_employee("E100", "王强", position=position, email="Wang.Qiang@Example.com")
    factories.create_employee("E101", "李娜", position=position)

    def rows(url):
        return _rows(hr.get(url).get_data(as_text=True)) if "<tbody>" in hr.get(url).get_data(as_text=True) else ""

    assert "电商部" in rows("/org/departments?q=ec-OPS") and "人事部" not in rows("/org/departments?q=ec-OPS")
    assert "人事部" in rows("/org/departments?q=r_1") and "电商部" not in rows("/org/departments?q=r_1")
    assert rows("/org/departments?q=%25") == ""
    assert "Shop Manager" in rows("/org/positions?q=shop manager")
    assert "王强" in rows("/org/employees?q=WANG.qiang") and "李娜" not in rows("/org/employees?q=WANG.qiang")
    assert "李娜" in rows("/org/employees?q=李") and "王强" not in rows("/org/employees?q=李")
    assert rows("/org/employees?q=E10_") == ""
