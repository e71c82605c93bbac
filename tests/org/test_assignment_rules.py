"""Ending an assignment keeps the one-primary-at-a-time rule; someone marked as left holds no
post after today. Through the pages (messages next to the field, nothing changed)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.core import clock
from app.core.errors import ServiceError
from app.extensions import db
from app.org import services
from app.org.models import Assignment, Employee
from tests import factories


def _promoted_employee():
    """王强: 在线客服 2015-01-01 … 2017-06-30, then 电商部经理 from 2017-07-01 (open)."""
    ec = factories.create_department("EC", "电商部")
    manager = factories.create_position("EC-MGR", ec, "电商部经理")
    agent = factories.create_position("EC-CS", ec, "在线客服", reports_to=manager, headcount=2)
    employee = factories.create_employee("E1", "王强", position=agent, start=date(2015, 1, 1))
    first = employee.assignments[0]
    services.end_assignment(first, date(2017, 6, 30))
    services.assign(employee, manager.id, date(2017, 7, 1))
    db.session.commit()
    return employee, first, manager, agent


def _employee_form(employee, **overrides):
    data = {
        "employee_no": employee.employee_no,
        "name": employee.name,
        "email": "",
        "hire_date": "",
        "status": employee.status,
        "user_id": "",
        "version": employee.version,
    }
    data.update(overrides)
    return data


def test_moving_the_end_of_an_old_assignment_into_the_next_one_is_refused_next_to_the_date(login):
    hr = login("hr")
    employee, first, _manager, _agent = _promoted_employee()
    response = hr.post(f"/org/employees/{employee.id}/assignments/{first.id}/end", data={"end_date": "2030-01-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This would overlap the primary assignment to 电商部经理 from 2017-07-01" in page
    assert 'value="2030-01-01"' in page and "is-invalid" in page
    db.session.expire_all()
    assert db.session.get(Assignment, first.id).end_date == date(2017, 6, 30)
    # a day before the next one starts is fine
    assert (
        hr.post(f"/org/employees/{employee.id}/assignments/{first.id}/end", data={"end_date": "2017-06-30"}).status_code
        == 302
    )


def test_a_secondary_assignment_may_end_whenever(ctx):
    employee, _first, _manager, agent = _promoted_employee()
    extra = services.assign(employee, agent.id, date(2018, 1, 1), is_primary=False)
    services.end_assignment(extra, date(2030, 1, 1))
    db.session.commit()
    assert extra.end_date == date(2030, 1, 1)


def test_an_end_date_that_is_missing_or_too_early_is_shown_next_to_the_date(login):
    hr = login("hr")
    employee, _first, _manager, _agent = _promoted_employee()
    current = next(a for a in employee.assignments if a.end_date is None)
    page = hr.post(
        f"/org/employees/{employee.id}/assignments/{current.id}/end", data={"end_date": "2016-01-01"}
    ).get_data(as_text=True)
    assert "The end date cannot be before the start date." in page and 'value="2016-01-01"' in page
    page = hr.post(f"/org/employees/{employee.id}/assignments/{current.id}/end", data={"end_date": ""}).get_data(
        as_text=True
    )
    assert "Enter an end date." in page
    db.session.expire_all()
    assert db.session.get(Assignment, current.id).end_date is None


def test_marking_someone_as_left_while_they_hold_a_post_is_refused_naming_it(login):
    hr = login("hr")
    employee, _first, _manager, _agent = _promoted_employee()
    response = hr.post(
        f"/org/employees/{employee.id}/edit", data=_employee_form(employee, status="left", name="王强强")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "This employee still holds 电商部经理 (EC-MGR) from 2017-07-01" in page and 'value="王强强"' in page
    db.session.expire_all()
    assert db.session.get(Employee, employee.id).status == "regular"

    # once the post has ended, they may leave
    current = next(a for a in db.session.get(Employee, employee.id).assignments if a.end_date is None)
    assert (
        hr.post(
            f"/org/employees/{employee.id}/assignments/{current.id}/end", data={"end_date": clock.today().isoformat()}
        ).status_code
        == 302
    )
    db.session.expire_all()
    employee = db.session.get(Employee, employee.id)
    assert (
        hr.post(f"/org/employees/{employee.id}/edit", data=_employee_form(employee, status="left")).status_code == 302
    )
    db.session.expire_all()
    assert db.session.get(Employee, employee.id).status == "left"


def test_an_assignment_ending_after_today_also_blocks_leaving(ctx):
    employee, _first, _manager, _agent = _promoted_employee()
    current = next(a for a in employee.assignments if a.end_date is None)
    services.end_assignment(current, clock.today() + timedelta(days=30))
    data = services.EmployeeData(employee_no="E1", name="王强", status="left")
    with pytest.raises(ServiceError) as refused:
        services.update_employee(employee, data, employee.version)
    assert list(refused.value.errors) == ["status"]


def test_someone_who_left_gets_no_assignment_running_past_today(ctx):
    """Their history may be recorded (an assignment that ended), never a post they still hold."""
    employee, first, manager, _agent = _promoted_employee()
    current = next(a for a in employee.assignments if a.end_date is None)
    services.end_assignment(current, clock.today())
    employee.status = "left"
    db.session.commit()
    later = clock.today() + timedelta(days=1)
    with pytest.raises(ServiceError) as refused:
        services.update_assignment(current, later, True)
    assert list(refused.value.errors) == ["end_date"]
    with pytest.raises(ServiceError) as refused:
        services.assign(employee, manager.id, later, later + timedelta(days=30), is_primary=False)
    assert list(refused.value.errors) == ["position_id"]
    db.session.rollback()
    assert db.session.get(Assignment, current.id).end_date == clock.today()
    services.update_assignment(first, date(2017, 5, 31), True)  # history may still be corrected
    assert first.end_date == date(2017, 5, 31)
