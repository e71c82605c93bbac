"""Who may see and change the organisation: departments, positions, employees, org charts and
the spreadsheet transfer. Plain functions, called by views and the API alike, and exposed to
templates (to hide what a user may not use; the server always checks)."""

from __future__ import annotations

from flask import g, has_request_context

from app.auth.models import Role
from app.auth.permissions import has_role
from app.extensions import db
from app.org import services


def can_view_org(user) -> bool:
    """Everyone who is logged in sees the structure: departments, positions, org charts."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER, Role.EMPLOYEE)


def can_edit_org(user) -> bool:
    return has_role(user, Role.ADMIN, Role.HR)


def can_transfer_org(user) -> bool:
    """Import and export the organisation as spreadsheets (staff data included)."""
    return has_role(user, Role.ADMIN, Role.HR)


def can_list_employees(user) -> bool:
    """HR and admins see every employee; managers the employees of their reporting subtree."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER)


def can_view_employee(user, employee) -> bool:
    if has_role(user, Role.ADMIN, Role.HR):
        return True
    if not has_role(user, Role.MANAGER, Role.EMPLOYEE):
        return False
    if employee.user_id is not None and employee.user_id == user.id:
        return True
    if has_role(user, Role.MANAGER):
        return services.employee_in_subtree_of(employee, user)
    return False


def viewable_employee_ids(user, employee_ids) -> set[int]:
    """Which of ``employee_ids`` the user may open, in at most two queries (for lists of links)."""
    ids = set(employee_ids)
    if has_role(user, Role.ADMIN, Role.HR):
        return ids
    if not has_role(user, Role.MANAGER, Role.EMPLOYEE) or not ids:
        return set()
    own = getattr(user, "employee", None)
    visible = {own.id} & ids if own is not None else set()
    if has_role(user, Role.MANAGER):
        visible |= services.employees_in_subtree_of(user, ids)
    return visible


def employee_list_scope(user):
    """What the employee lists hold for ``user``: None for everyone (HR, admins), else a
    select of the positions whose current holders they list (a manager's reporting subtree)."""
    if has_role(user, Role.ADMIN, Role.HR):
        return None
    return services.managed_position_ids(user)


def employee_scope(user):
    """The employees whose records (and assignments) ``user`` may read, for filtering lists in
    SQL, like ``can_view_employee`` for one: None for everyone (HR, admins), else a select of
    ids: a manager's reporting subtree and their own record; an employee's own record."""
    if has_role(user, Role.ADMIN, Role.HR):
        return None
    return services.employee_ids_visible_to(user, subtree=has_role(user, Role.MANAGER))


def held_and_managed(user) -> tuple[set[int], set[int]]:
    """(positions the user holds, positions below them), computed once per request."""
    key = ("jd_scope", getattr(user, "id", None))
    cache = g.setdefault("_permission_cache", {}) if has_request_context() else {}
    if key not in cache:
        held = set(services.positions_held_by_user(user))
        managed = (
            set(db.session.scalars(services.managed_position_ids(user))) if has_role(user, Role.MANAGER) else set()
        )
        cache[key] = (held, managed)
    return cache[key]


TEMPLATE_GLOBALS = {
    "can_view_org": can_view_org,
    "can_edit_org": can_edit_org,
    "can_transfer_org": can_transfer_org,
    "can_list_employees": can_list_employees,
    "can_view_employee": can_view_employee,
}
