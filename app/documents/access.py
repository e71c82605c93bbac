"""Who may print what. A job description prints for whoever may open the version
(app.jobs.access.can_view_version); the blank appraisal form of a position for whoever sees its
job description (can_view_position_jd); position manuals as below. Plain functions, called by
views, the API and the background tasks alike, and exposed to templates."""

from __future__ import annotations

from app.auth.models import Role
from app.auth.permissions import has_role
from app.documents import services
from app.org.access import held_and_managed


def can_print_manuals(user) -> bool:
    """The page of position manuals: HR and admins (any department, the company), managers (their
    departments, see can_print_manual)."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER)


def can_print_company_manual(user) -> bool:
    """The position manual of the whole company: HR and admins."""
    return has_role(user, Role.ADMIN, Role.HR)


def can_print_manual(user, department) -> bool:
    """The position manual of a department's subtree: HR and admins; a manager when every
    active position of that subtree is one they hold or manage, so the manual shows nothing
    they could not open one by one. Employees print their own job description instead."""
    if can_print_company_manual(user):
        return True
    if not has_role(user, Role.MANAGER):
        return False
    held, managed = held_and_managed(user)
    positions = services.manual_position_ids(department)
    return bool(positions) and positions <= held | managed


def printable_department_ids(user, departments) -> set[int]:
    """Which of ``departments`` (loaded, with their paths) the user may print a manual of, in
    one query: for lists of departments with a print button."""
    if can_print_company_manual(user):
        return {d.id for d in departments}
    if not has_role(user, Role.MANAGER):
        return set()
    held, managed = held_and_managed(user)
    mine = held | managed
    paths = services.positions_by_department_path()
    result = set()
    for department in departments:
        ids = {pid for path, pids in paths.items() if path.startswith(department.path) for pid in pids}
        if ids and ids <= mine:
            result.add(department.id)
    return result


TEMPLATE_GLOBALS = {
    "can_print_manuals": can_print_manuals,
    "can_print_company_manual": can_print_company_manual,
    "can_print_manual": can_print_manual,
}
