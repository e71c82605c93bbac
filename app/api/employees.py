"""Employees: list (a manager's reporting subtree), read (HR, the manager, the employee
themselves), create, replace (PUT), change (PATCH)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.api.common import (
    ETAG,
    ID,
    IF_MATCH,
    LOCATION,
    Blueprint,
    Row,
    department_filter,
    etag,
    page_of,
    update_versioned,
)
from app.api.employee_schemas import EmployeeArgs, EmployeeIn, EmployeeOut, EmployeeUpdate
from app.api.positions import manager_out
from app.api.schemas import page_schema, patch
from app.auth.permissions import requires
from app.core.errors import NotFound
from app.org import services
from app.org.access import can_edit_org, can_list_employees, can_view_employee, can_view_org, employee_list_scope
from app.org.fields import EMPLOYEE
from app.org.models import Employee

blp = Blueprint(
    "employees",
    __name__,
    url_prefix="/api/v1/employees",
    description="Employees. HR and admins see everyone, a manager the holders of the positions "
    "below theirs, an employee only their own record.",
)
EmployeePage = page_schema(EmployeeOut, "EmployeePage")


def _data(body: dict) -> services.EmployeeData:
    return services.EmployeeData(**body)


def with_manager(employees: list[Employee]) -> list[Row]:
    """The employees with today's primary position and their derived manager, for a whole page
    in a fixed number of queries."""
    positions = {employee.id: services.primary_position(employee) for employee in employees}
    managers = services.managers_of_positions(p.id for p in positions.values() if p is not None)
    return [
        Row(
            employee,
            position_id=positions[employee.id].id if positions[employee.id] else None,
            manager=manager_out(managers[positions[employee.id].id]) if positions[employee.id] else None,
        )
        for employee in employees
    ]


def _one(employee: Employee, status: int = 200, headers: dict | None = None):
    return with_manager([employee])[0], status, {**etag(employee), **(headers or {})}


def visible_employee(employee_id: int) -> Employee:
    """The employee if the user may read the record; otherwise the same 404 as for an id that
    does not exist, so that nothing tells the two apart."""
    employee = services.get_employee(employee_id)
    if not can_view_employee(current_user, employee):
        raise NotFound(_("No such employee."))
    return employee


@blp.route("")
@blp.response(200, EmployeePage)
@requires(can_list_employees)
@blp.arguments(EmployeeArgs, location="query")
def list_employees(args):
    """List employees by number"""
    query = services.list_employees(
        args.get("q", "").strip(),
        department_filter(args.get("department_id")),
        args.get("status", ""),
        employee_list_scope(current_user),
    )
    page = page_of(query, args)
    page["items"] = with_manager(page["items"])
    return page


@blp.route(f"/<{ID}:employee_id>")
@blp.response(200, EmployeeOut, headers=ETAG)
@requires(can_view_org)  # and then the object check in visible_employee
def get_employee(employee_id: int):
    """Read an employee"""
    return _one(visible_employee(employee_id))


@blp.route("", methods=["POST"])
@blp.response(201, EmployeeOut, headers={**ETAG, **LOCATION})
@requires(can_edit_org)
@blp.arguments(EmployeeIn)
def create_employee(body):
    """Create an employee"""
    employee = services.create_employee(_data(body))
    return _one(employee, 201, {"Location": url_for(".get_employee", employee_id=employee.id)})


@blp.route(f"/<{ID}:employee_id>", methods=["PUT"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, EmployeeOut, headers=ETAG)
@requires(can_edit_org)
@blp.arguments(EmployeeUpdate)
def replace_employee(body, employee_id: int):
    """Replace an employee

    Every field is set: optional fields that are not sent get their defaults. Send the version
    the change is based on (`version`, or the ETag in If-Match); an older one answers 409 with
    what changed since.
    """
    employee = services.get_employee(employee_id)
    update_versioned(employee, body, services.update_employee, _data)
    return _one(employee)


@blp.route(f"/<{ID}:employee_id>", methods=["PATCH"])
@blp.doc(parameters=[IF_MATCH])
@blp.response(200, EmployeeOut, headers=ETAG)
@requires(can_edit_org)
@blp.arguments(patch(EmployeeUpdate))
def update_employee(body, employee_id: int):
    """Change some fields of an employee

    Only the fields sent change. Send the version the change is based on (`version`, or the
    ETag in If-Match); an older one answers 409 with what changed since.
    """
    employee = services.get_employee(employee_id)
    current = {name: getattr(employee, name) for name in EMPLOYEE.names}
    update_versioned(employee, body, services.update_employee, _data, current)
    return _one(employee)
