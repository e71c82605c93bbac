"""Small factories that build test data through the same services as the app."""
from __future__ import annotations

import itertools

from app.auth import services as auth_services
from app.extensions import db

PASSWORD = "Correct-Horse-42"
_counter = itertools.count(1)


def create_user(role: str = "employee", email: str | None = None, password: str = PASSWORD, **kwargs):
    email = email or f"{role}{next(_counter)}@example.test"
    user = auth_services.create_user(email, role, password, kwargs.pop("name", ""))
    for key, value in kwargs.items():
        setattr(user, key, value)
    db.session.commit()
    return user


# --- organisation -------------------------------------------------------------------------

def create_department(code: str, name: str | None = None, parent=None, **fields):
    from app.org import services as org

    department = org.create_department(org.DepartmentData(code=code, name=name or code,
                                                          parent_id=parent.id if parent else None, **fields))
    db.session.commit()
    return department


def create_position(code: str, department, title: str | None = None, reports_to=None, headcount: int = 1, **fields):
    from app.org import services as org

    position = org.create_position(org.PositionData(
        code=code, title=title or code, department_id=department.id, headcount=headcount,
        reports_to_id=reports_to.id if reports_to else None, **fields))
    db.session.commit()
    return position


def create_employee(number: str, name: str | None = None, position=None, user=None, start=None, **fields):
    from datetime import date

    from app.org import services as org

    employee = org.create_employee(org.EmployeeData(employee_no=number, name=name or number,
                                                    user_id=user.id if user else None, **fields))
    if position is not None:
        org.assign(employee, position.id, start or date(2020, 1, 1))
    db.session.commit()
    return employee
