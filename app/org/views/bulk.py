"""Bulk actions on the employee and position lists (the mechanism: ``app.core.bulk``): export
the selected rows, archive the selected positions."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.audit.services import record
from app.core.bulk import BulkAction, BulkList, register_action, register_list
from app.core.clock import today
from app.core.spreadsheets import Sheet, xlsx_response
from app.core.urls import parse_id
from app.extensions import db
from app.org import services
from app.org.access import can_edit_org, can_list_employees, can_view_org, employee_list_scope, employee_scope
from app.org.models import Assignment, Department, Employee, EmployeeStatus, Position
from app.org.views.positions import VACANCY_FILTERS

EMPLOYEES, POSITIONS = "org.employees", "org.positions"


def _department(args) -> Department | None:
    department_id = parse_id(args.get("department"))
    return db.session.get(Department, department_id) if department_id else None


def _ids_of(query):
    listed = query.order_by(None).subquery()
    return select(listed.c.id)


def _matching_employees(args):
    """The ids the employee list shows for these filters (``views.employees.employees``)."""
    status = args.get("status", "")
    status = status if status in {s.value for s in EmployeeStatus} else ""
    return _ids_of(
        services.list_employees(args.get("q", "").strip(), _department(args), status, employee_list_scope(current_user))
    )


def _employee_names(ids) -> dict[int, str]:
    query = select(Employee.id, Employee.employee_no, Employee.name).where(Employee.id.in_(list(ids)))
    within = employee_scope(current_user)
    if within is not None:
        query = query.where(Employee.id.in_(within))
    return {row.id: f"{row.employee_no} {row.name}" for row in db.session.execute(query)}


def _matching_positions(args):
    vacancy = args.get("vacancy", "")
    return _ids_of(
        services.list_positions(
            args.get("q", "").strip(),
            _department(args),
            vacancy if vacancy in VACANCY_FILTERS else "",
            args.get("archived") == "1",
        )
    )


def _position_names(ids) -> dict[int, str]:
    return {
        row.id: f"{row.code} {row.title}"
        for row in db.session.execute(
            select(Position.id, Position.code, Position.title).where(Position.id.in_(list(ids)))
        )
    }


def _audit_export(table: str, ids: list[int]) -> None:
    record(
        "export",
        table,
        None,
        {"count": [None, len(ids)], "records": [None, ", ".join(map(str, ids))[:5000]]},
        label=_("%(num)d selected", num=len(ids)),
    )


def export_employees(ids: list[int], form):
    employees = db.session.scalars(
        select(Employee)
        .where(Employee.id.in_(ids))
        .order_by(Employee.employee_no)
        .options(selectinload(Employee.assignments).selectinload(Assignment.position).selectinload(Position.department))
    ).all()
    rows = []
    for employee in employees:
        position = services.primary_position(employee)
        rows.append(
            (
                employee.employee_no,
                employee.name,
                employee.email,
                employee.status_enum.label,
                employee.hire_date,
                position.code if position else "",
                position.title if position else "",
                position.department.name if position else "",
            )
        )
    _audit_export("employees", ids)
    columns = [
        _("Number"),
        _("Name"),
        _("E-mail"),
        _("Status"),
        _("Hire date"),
        _("Position code"),
        _("Position"),
        _("Department"),
    ]
    return xlsx_response(f"{_('Employees')}-{today().isoformat()}.xlsx", [Sheet(_("Employees"), columns, rows)])


def export_positions(ids: list[int], form):
    positions = db.session.scalars(
        select(Position)
        .where(Position.id.in_(ids))
        .order_by(Position.code)
        .options(selectinload(Position.department), selectinload(Position.reports_to))
    ).all()
    filled = services.filled_counts(ids)
    rows = [
        (
            p.code,
            p.title,
            p.department.name,
            p.grade,
            p.headcount,
            filled.get(p.id, 0),
            p.reports_to.code if p.reports_to else "",
            _("Archived") if p.archived_at else "",
        )
        for p in positions
    ]
    _audit_export("positions", ids)
    columns = [
        _("Code"),
        _("Title"),
        _("Department"),
        _("Grade"),
        _("Headcount"),
        _("Filled"),
        _("Reports to"),
        _("Archived"),
    ]
    return xlsx_response(f"{_('Positions')}-{today().isoformat()}.xlsx", [Sheet(_("Positions"), columns, rows)])


def archive_positions(ids: list[int], form) -> None:
    positions = list(db.session.scalars(select(Position).where(Position.id.in_(ids)).order_by(Position.code)))
    services.archive_positions(positions)
    record(
        "bulk",
        "positions",
        None,
        {
            "action": [None, "archive"],
            "count": [None, len(ids)],
            "records": [None, ", ".join(p.code for p in positions)[:5000]],
        },
        label=_("Archived %(num)d positions", num=len(positions)),
    )


register_list(
    BulkList(EMPLOYEES, _l("Employees"), "org.employees", can_list_employees, _employee_names, _matching_employees)
)
register_list(BulkList(POSITIONS, _l("Positions"), "org.positions", can_view_org, _position_names, _matching_positions))
register_action(
    EMPLOYEES,
    BulkAction(
        "export",
        _l("Export selected"),
        _l("Export %(num)d employees to a spreadsheet?"),
        can_list_employees,
        export_employees,
    ),
)
register_action(
    POSITIONS,
    BulkAction(
        "export",
        _l("Export selected"),
        _l("Export %(num)d positions to a spreadsheet?"),
        can_view_org,
        export_positions,
    ),
)
register_action(
    POSITIONS,
    BulkAction(
        "archive",
        _l("Archive selected"),
        _l("Archive %(num)d positions?"),
        can_edit_org,
        archive_positions,
        danger=True,
        done=_l("%(num)d positions archived."),
    ),
)
