"""Crafted input never answers 500: NUL bytes, ids and page numbers beyond any column, digits
that are not ASCII, malformed hidden versions, fields left out."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests import factories


@pytest.fixture
def setup(login):
    hr = login("hr")
    department = factories.create_department("EC", "电商部")
    position = factories.create_position("EC-MGR", department, "电商部经理")
    employee = factories.create_employee("E1", "王强", position=position)
    return hr, department, position, employee


@pytest.mark.parametrize(
    "url",
    [
        "/org/employees?q=a%00b",
        "/org/positions?q=%00",
        "/jobs/?q=x%00",
        "/audit/?actor=%00",
        "/org/positions/lookup?q=%00",
    ],
)
def test_nul_bytes_in_searches_are_refused_cleanly(setup, url):
    hr = setup[0]
    assert hr.get(url).status_code == 400


def test_invisible_characters_in_forms_are_dropped_and_the_rest_kept(setup, client):
    from app.org.models import Department

    hr = setup[0]
    response = hr.post("/org/departments/new", data={"code": "X1", "name": "市场\x00部\x0b", "nature": "一\r\n二\t三"})
    assert response.status_code == 302
    department = db.session.scalar(db.select(Department).where(Department.code == "X1"))
    assert (department.name, department.nature) == ("市场部", "一\r\n二\t三")
    response = client.post("/login", data={"email": "a\x00b@x.y", "password": "x"})
    assert response.status_code == 200 and "Wrong e-mail or password" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "/org/employees/2147483648",
        "/org/positions/99999999999999999999",
        "/jobs/versions/2147483648",
        "/appraisals/reviews/2147483648",
        "/tasks/2147483648",
        "/org/positions?department=2147483648",
        "/org/employees?page=99999999999999999999",
        "/jobs/?department=%C2%B2",
    ],
)
def test_ids_and_pages_beyond_any_column_are_not_found_or_ignored(setup, url):
    assert setup[0].get(url).status_code in (200, 404)


def test_malformed_hidden_versions_are_conflicts_not_errors(setup):
    hr, department, position, _employee = setup
    for version in ("abc", "1.5", "²"):
        response = hr.post(
            f"/org/positions/{position.id}/edit",
            data={
                "code": "EC-MGR",
                "title": "经理",
                "department_id": department.id,
                "headcount": 1,
                "version": version,
            },
        )
        assert response.status_code == 200 and 'data-testid="conflict"' in response.get_data(as_text=True)


def test_an_unknown_position_code_is_an_error_next_to_the_field(setup):
    hr, department = setup[0], setup[1]
    response = hr.post(
        "/org/positions/new",
        data={"code": "ZZ1", "title": "t", "department_id": department.id, "headcount": 1, "reports_to_id": "NOPE"},
    )
    assert response.status_code == 200 and "No position has the code “NOPE”." in response.get_data(as_text=True)


def test_a_department_edit_without_its_list_fields_keeps_working(setup):
    hr, department = setup[0], setup[1]
    response = hr.post(
        f"/org/departments/{department.id}/edit", data={"code": "EC", "name": "电商部二", "version": department.version}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def test_a_cycle_starting_in_the_year_9999_is_refused_next_to_the_field(setup):
    response = setup[0].post(
        "/appraisals/cycles/new", data={"name": "far", "period_type": "annual", "start_date": "9999-06-01"}
    )
    assert response.status_code == 422 and "before the year 9999" in response.get_data(as_text=True)
