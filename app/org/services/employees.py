"""Employees and their effective-dated assignments (one primary at a time)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.core import clock
from app.core.concurrency import check_version
from app.core.errors import NotFound, ServiceError
from app.db import serialize
from app.extensions import db
from app.org.fields import EMPLOYEE, Values
from app.org.models import Assignment, Department, Employee, EmployeeStatus, Position
from app.org.services.common import apply_plain, clean_text, current_filter, ensure_unique, get_or_404, text_search
from app.org.services.departments import subtree_condition


class EmployeeData(Values):
    """An employee's fields as declared in app/org/fields.py (``EMPLOYEE``)."""

    entity = EMPLOYEE


def _apply_employee(employee: Employee, data: EmployeeData) -> None:
    number, name = clean_text(data.employee_no), clean_text(data.name)
    if not number:
        raise ServiceError.field("employee_no", _("Enter an employee number."))
    if not name:
        raise ServiceError.field("name", _("Enter a name."))
    ensure_unique(
        Employee,
        Employee.employee_no,
        number,
        employee.id,
        "employee_no",
        _("Another employee already has this number."),
    )
    if data.status not in {s.value for s in EmployeeStatus}:
        raise ServiceError.field("status", _("Unknown status."))
    if data.status == EmployeeStatus.LEFT.value and employee.id is not None and employee.status != data.status:
        _check_nothing_held_after_today(employee)
    if data.user_id:
        from app.auth.models import User

        if db.session.get(User, data.user_id) is None:
            raise ServiceError.field("user_id", _("No such user."))
        ensure_unique(
            Employee,
            Employee.user_id,
            data.user_id,
            employee.id,
            "user_id",
            _("This account is already linked to another employee."),
        )
    employee.employee_no, employee.name = number, name
    apply_plain(employee, data, "employee_no", "name", "email")  # status checked above
    employee.email = clean_text(data.email).lower()
    employee.user_id = data.user_id or None


def _until(end_date: date | None) -> str:
    """ " to 2026-12-31" after an assignment's start, or nothing while it is open."""
    return " " + _("to") + " " + end_date.isoformat() if end_date else ""


def _check_nothing_held_after_today(employee: Employee) -> None:
    """Someone who left holds no position any more: refuse the status while an assignment runs
    on after today (it would still count in the headcount and make them someone's manager)."""
    rows = db.session.execute(
        select(Assignment.start_date, Assignment.end_date, Position.code, Position.title)
        .join(Position, Position.id == Assignment.position_id)
        .where(
            Assignment.employee_id == employee.id,
            or_(Assignment.end_date.is_(None), Assignment.end_date > clock.today()),
        )
        .order_by(Assignment.start_date)
    ).all()
    if rows:
        held = "; ".join(
            _(
                "%(position)s (%(code)s) from %(start)s",
                position=row.title,
                code=row.code,
                start=row.start_date.isoformat(),
            )
            + _until(row.end_date)
            for row in rows
        )
        raise ServiceError.field(
            "status",
            _(
                "This employee still holds %(held)s: end these assignments on their last "
                "day first (on the employee's page), then mark them as left.",
                held=held,
            ),
        )


def create_employee(data: EmployeeData) -> Employee:
    employee = Employee()
    _apply_employee(employee, data)
    db.session.add(employee)
    db.session.flush()
    return employee


def update_employee(employee: Employee, data: EmployeeData, seen_version: int | None) -> None:
    check_version(employee, seen_version)
    _apply_employee(employee, data)
    db.session.flush()


def load_employee_page(employee_id: int) -> Employee:
    employee = db.session.scalar(
        select(Employee)
        .where(Employee.id == employee_id)
        .options(
            selectinload(Employee.assignments).selectinload(Assignment.position).selectinload(Position.department),
            selectinload(Employee.user),
        )
    )
    if employee is None:
        raise NotFound(_("No such employee."))
    return employee


def list_employees(search: str = "", department: Department | None = None, status: str = "", within_positions=None):
    """Named query for the employees page; ``within_positions`` limits to holders of those
    positions (a manager's subtree)."""
    query = select(Employee).options(
        selectinload(Employee.assignments).selectinload(Assignment.position).selectinload(Position.department)
    )
    if search:
        query = query.where(text_search(search, Employee.name, Employee.employee_no, Employee.email))
    if status:
        query = query.where(Employee.status == status)
    if department is not None or within_positions is not None:
        holders = select(Assignment.employee_id).join(Assignment.position).where(current_filter())
        if department is not None:
            holders = holders.join(Position.department).where(subtree_condition(department))
        if within_positions is not None:
            holders = holders.where(Assignment.position_id.in_(within_positions))
        query = query.where(Employee.id.in_(holders))
    return query.order_by(Employee.employee_no)


def get_assignment(assignment_id: int) -> Assignment:
    return get_or_404(Assignment, assignment_id, _("No such assignment."))


def list_assignments(
    employee_id: int | None = None, position_id: int | None = None, current: bool | None = None, within_employees=None
):
    """Named query for lists of assignments, latest first. ``current``: only those covering
    today (True) or only the others (False); ``within_employees``: a select of the employee
    ids to keep (a user's scope)."""
    query = select(Assignment)
    if employee_id is not None:
        query = query.where(Assignment.employee_id == employee_id)
    if position_id is not None:
        query = query.where(Assignment.position_id == position_id)
    if current is not None:
        query = query.where(current_filter() if current else ~current_filter())
    if within_employees is not None:
        query = query.where(Assignment.employee_id.in_(within_employees))
    return query.order_by(Assignment.start_date.desc(), Assignment.id.desc())


def _overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    return a_start <= (b_end or date.max) and b_start <= (a_end or date.max)


def _check_primary_overlap(
    employee: Employee,
    start_date: date,
    end_date: date | None,
    exclude: Assignment | None = None,
    field: str = "start_date",
) -> None:
    """Refuse a primary assignment of ``employee`` over these dates when another one overlaps
    (the error goes to ``field``). Serialised per employee and read from the database, so that
    two requests at the same moment cannot both add or lengthen one."""
    serialize(db.session, f"org:primary-assignment:{employee.id}")
    rows = db.session.execute(
        select(Assignment.id, Assignment.start_date, Assignment.end_date, Position.title)
        .join(Position, Position.id == Assignment.position_id)
        .where(Assignment.employee_id == employee.id, Assignment.is_primary.is_(True))
    ).all()
    for other_id, other_start, other_end, title in rows:
        if (exclude is None or other_id != exclude.id) and _overlaps(start_date, end_date, other_start, other_end):
            values = {"position": title, "start": other_start.isoformat(), "end": _until(other_end)}
            if field == "end_date":
                raise ServiceError.field(
                    field,
                    _(
                        "This would overlap the primary assignment to %(position)s from "
                        "%(start)s%(end)s: choose a last day before it.",
                        **values,
                    ),
                )
            raise ServiceError.field(
                field,
                _(
                    "This overlaps the primary assignment to %(position)s from %(start)s%(end)s; end that one first.",
                    **values,
                ),
            )


def _runs_on_after_leaving(employee: Employee, end_date: date | None) -> bool:
    """An assignment of someone who left must end by today (open or later, they would still
    count in the headcount and be someone's manager)."""
    return employee.status == EmployeeStatus.LEFT.value and (end_date is None or end_date > clock.today())


def assign(
    employee: Employee, position_id: int, start_date: date, end_date: date | None = None, is_primary: bool = True
) -> Assignment:
    position = db.session.get(Position, position_id) if position_id else None
    if position is None:
        raise ServiceError.field("position_id", _("Choose a position."))
    if position.is_archived:
        raise ServiceError.field("position_id", _("This position is archived."))
    if start_date is None:
        raise ServiceError.field("start_date", _("Enter a start date."))
    if end_date is not None and end_date < start_date:
        raise ServiceError.field("end_date", _("The end date cannot be before the start date."))
    # Someone who left may still get an ended assignment (their history), not one that runs on.
    if _runs_on_after_leaving(employee, end_date):
        raise ServiceError.field("position_id", _("This employee has left the company."))
    if is_primary:
        _check_primary_overlap(employee, start_date, end_date)
    assignment = Assignment(
        employee=employee, position=position, start_date=start_date, end_date=end_date, is_primary=is_primary
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment


def update_assignment(assignment: Assignment, end_date: date | None, is_primary: bool) -> None:
    """Change an assignment's end date (None: open again) and whether it is the primary one."""
    if end_date is not None and end_date < assignment.start_date:
        raise ServiceError.field("end_date", _("The end date cannot be before the start date."))
    employee = assignment.employee
    if _runs_on_after_leaving(employee, end_date):
        raise ServiceError.field("end_date", _("This employee has left the company."))
    if is_primary:
        _check_primary_overlap(employee, assignment.start_date, end_date, exclude=assignment, field="end_date")
    assignment.end_date, assignment.is_primary = end_date, is_primary
    db.session.flush()


def end_assignment(assignment: Assignment, end_date: date) -> None:
    if end_date is None:
        raise ServiceError.field("end_date", _("Enter an end date."))
    if end_date < assignment.start_date:
        raise ServiceError.field("end_date", _("The end date cannot be before the start date."))
    if assignment.is_primary:  # a later end date must not run into the next primary assignment
        _check_primary_overlap(
            assignment.employee, assignment.start_date, end_date, exclude=assignment, field="end_date"
        )
    assignment.end_date = end_date
    db.session.flush()


def delete_assignment(assignment: Assignment, day: date | None = None) -> None:
    """Delete an assignment entered by mistake before it starts. One that has started is part of
    the employee's history (appraisals and reviewers were found through it): end it instead."""
    day = day or clock.today()
    if assignment.start_date <= day:
        raise ServiceError.field(
            "start_date",
            _(
                "This assignment started on %(start)s and is part of the "
                "employee's history: end it instead of deleting it.",
                start=assignment.start_date.isoformat(),
            ),
        )
    db.session.delete(assignment)
    db.session.flush()


def primary_position(employee: Employee, day: date | None = None) -> Position | None:
    day = day or clock.today()
    for assignment in employee.assignments:
        if assignment.is_primary and assignment.covers(day):
            return assignment.position
    return None
