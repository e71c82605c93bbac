"""Who may do what. Plain functions, called by views and the API alike, and exposed to
templates (to hide what a user may not use; the server always checks)."""
from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user

from app.auth.models import Role


def has_role(user, *roles: Role) -> bool:
    return bool(user and user.is_authenticated and user.active and user.role in {r.value for r in roles})


def is_admin(user) -> bool:
    return has_role(user, Role.ADMIN)


def can_manage_users(user) -> bool:
    """Admins list users, change roles, deactivate accounts and revoke tokens."""
    return is_admin(user)


def can_view_audit(user) -> bool:
    return has_role(user, Role.ADMIN, Role.HR)


def can_manage_own_tokens(user) -> bool:
    """API tokens are for integrations and power users: everyone but plain employees."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER)


# --- organisation ---------------------------------------------------------------------------

def can_view_org(user) -> bool:
    """Everyone who is logged in sees the structure: departments, positions, org charts."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER, Role.EMPLOYEE)


def can_edit_org(user) -> bool:
    return has_role(user, Role.ADMIN, Role.HR)


def can_transfer_org(user) -> bool:
    """Import and export the organisation as spreadsheets (staff data included)."""
    return has_role(user, Role.ADMIN, Role.HR)


def can_manage_backups(user) -> bool:
    """Download a backup of every table (accounts and the audit trail included)."""
    return is_admin(user)


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
        from app.org.services import employee_in_subtree_of

        return employee_in_subtree_of(employee, user)
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
        from app.org.services import employees_in_subtree_of

        visible |= employees_in_subtree_of(user, ids)
    return visible


def employee_list_scope(user):
    """What the employee lists hold for ``user``: None for everyone (HR, admins), else a
    select of the positions whose current holders they list (a manager's reporting subtree)."""
    if has_role(user, Role.ADMIN, Role.HR):
        return None
    from app.org.services import managed_position_ids

    return managed_position_ids(user)


def employee_scope(user):
    """The employees whose records (and assignments) ``user`` may read, for filtering lists in
    SQL, like ``can_view_employee`` for one: None for everyone (HR, admins), else a select of
    ids: a manager's reporting subtree and their own record; an employee's own record."""
    if has_role(user, Role.ADMIN, Role.HR):
        return None
    from app.org.services import employee_ids_visible_to

    return employee_ids_visible_to(user, subtree=has_role(user, Role.MANAGER))


# --- job descriptions -----------------------------------------------------------------------

def can_manage_job_descriptions(user) -> bool:
    """HR and admins draft any job description, review, approve and publish, and keep the
    KPI and competency libraries and the base job descriptions."""
    return has_role(user, Role.ADMIN, Role.HR)


def can_use_job_descriptions(user) -> bool:
    """Everyone logged in has the job-description pages; what they see there depends on the object."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER, Role.EMPLOYEE)


def can_browse_libraries(user) -> bool:
    """Managers read the KPI and competency libraries to draft for their team."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER)


def _held_and_managed(user) -> tuple[set[int], set[int]]:
    """(positions the user holds, positions below them), computed once per request."""
    from flask import g, has_request_context

    from app.extensions import db
    from app.org.services import managed_position_ids, positions_held_by_user

    key = ("jd_scope", getattr(user, "id", None))
    cache = g.setdefault("_permission_cache", {}) if has_request_context() else {}
    if key not in cache:
        held = set(positions_held_by_user(user))
        managed = set(db.session.scalars(managed_position_ids(user))) if has_role(user, Role.MANAGER) else set()
        cache[key] = (held, managed)
    return cache[key]


def can_view_position_jd(user, position) -> bool:
    """HR and admins: every position; managers: their own posts and their reporting subtree;
    employees: the posts they hold."""
    if can_manage_job_descriptions(user):
        return True
    if not has_role(user, Role.MANAGER, Role.EMPLOYEE):
        return False
    held, managed = _held_and_managed(user)
    return position.id in held or position.id in managed


def can_draft_jd(user, position) -> bool:
    """Drafting: HR and admins for any position, managers for the positions below their own."""
    if can_manage_job_descriptions(user):
        return True
    if not has_role(user, Role.MANAGER):
        return False
    return position.id in _held_and_managed(user)[1]


def can_view_version(user, version) -> bool:
    """Published and superseded versions: whoever sees the position's job description. Drafts
    and versions in review: whoever may draft for the position."""
    if version.is_frozen:
        return can_view_position_jd(user, version.position)
    return can_draft_jd(user, version.position)


def can_edit_version(user, version) -> bool:
    return version.is_editable and can_draft_jd(user, version.position)


def can_review_jd(user) -> bool:
    return can_manage_job_descriptions(user)


def can_parse_job_descriptions(user) -> bool:
    """The paste-to-structure importer is HR's tool (and the admins')."""
    return has_role(user, Role.ADMIN, Role.HR)


# --- appraisals -----------------------------------------------------------------------------

def can_use_appraisals(user) -> bool:
    """Everyone logged in has the appraisal pages: their own reviews, those they review."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER, Role.EMPLOYEE)


def can_manage_appraisals(user) -> bool:
    """HR and admins keep the templates, run cycles, import actuals, calibrate, finalise and reopen."""
    return has_role(user, Role.ADMIN, Role.HR)


def can_view_cycles(user) -> bool:
    """HR and admins see every cycle; managers see the cycles with the reviews of their subtree."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER)


def _own_employee_id(user) -> int | None:
    employee = getattr(user, "employee", None) if getattr(user, "is_authenticated", False) else None
    return employee.id if employee is not None else None


def _managed_positions(user) -> set[int]:
    return _held_and_managed(user)[1] if has_role(user, Role.MANAGER) else set()


REVIEWER_ROLES = (Role.ADMIN, Role.HR, Role.MANAGER)  # the account roles that may do a manager review


def can_do_manager_reviews(user) -> bool:
    """Whether the account's role lets it do manager reviews at all. An ``employee`` account
    named as a reviewer can neither do nor read the review: HR sees such reviews on the cycle
    page (``app.appraisals.reviewers``) to name another reviewer or change the role."""
    return has_role(user, *REVIEWER_ROLES)


def can_view_review(user, review) -> bool:
    """HR and admins: every review; the employee: their own; a manager: the reviews they do as
    reviewer and those of their reporting subtree (by the position held at launch). An
    ``employee`` account sees only its own reviews, even when named as someone's reviewer."""
    if can_manage_appraisals(user):
        return True
    if not has_role(user, Role.MANAGER, Role.EMPLOYEE):
        return False
    own = _own_employee_id(user)
    if own is not None and own == review.employee_id:
        return True
    if not has_role(user, Role.MANAGER):
        return False
    if own is not None and own == review.reviewer_id:
        return True
    return review.position_id in _managed_positions(user)


def is_own_review(user, review) -> bool:
    own = _own_employee_id(user)
    return own is not None and own == review.employee_id


def can_self_review(user, review) -> bool:
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER, Role.EMPLOYEE) and is_own_review(user, review)


def can_manager_review(user, review) -> bool:
    """Only the named reviewer, with an account that may review, and never on their own review."""
    own = _own_employee_id(user)
    return (can_do_manager_reviews(user) and own is not None
            and own == review.reviewer_id and own != review.employee_id)


def can_calibrate(user, review) -> bool:
    """HR calibrates, finalises, reopens and reassigns, except on their own review."""
    return can_manage_appraisals(user) and not is_own_review(user, review)


def review_scope(user):
    """The reviews ``user`` may read, as a SQL condition on Review (None: all), like
    ``can_view_review`` for one."""
    if can_manage_appraisals(user):
        return None
    from sqlalchemy import false, or_

    from app.appraisals.models import Review

    own = _own_employee_id(user)
    conditions = [Review.employee_id == own] if own is not None else []
    if has_role(user, Role.MANAGER):
        from app.org.services import managed_position_ids

        if own is not None:
            conditions.append(Review.reviewer_id == own)
        conditions.append(Review.position_id.in_(managed_position_ids(user)))
    return or_(*conditions) if conditions else false()


def can_view_cycle(user, cycle) -> bool:
    """HR and admins: every cycle; others: a cycle in which they may read at least one review."""
    scope = review_scope(user)
    if scope is None:
        return True
    from app.appraisals.models import Review
    from app.extensions import db

    return db.session.scalar(db.select(Review.id).where(Review.cycle_id == cycle.id, scope).limit(1)) is not None


def can_view_appraisal_history(user, employee) -> bool:
    """An employee's appraisals across cycles: whoever may read the employee's record."""
    return can_view_employee(user, employee)


# --- printable documents and background tasks -------------------------------------------------
# A job description prints for whoever may open the version (can_view_version); the blank
# appraisal form of a position for whoever sees its job description (can_view_position_jd).

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
    from app.documents.services import manual_position_ids

    held, managed = _held_and_managed(user)
    positions = manual_position_ids(department)
    return bool(positions) and positions <= held | managed


def printable_department_ids(user, departments) -> set[int]:
    """Which of ``departments`` (loaded, with their paths) the user may print a manual of, in
    one query: for lists of departments with a print button."""
    if can_print_company_manual(user):
        return {d.id for d in departments}
    if not has_role(user, Role.MANAGER):
        return set()
    from app.documents.services import positions_by_department_path

    held, managed = _held_and_managed(user)
    mine = held | managed
    paths = positions_by_department_path()
    result = set()
    for department in departments:
        ids = {pid for path, pids in paths.items() if path.startswith(department.path) for pid in pids}
        if ids and ids <= mine:
            result.add(department.id)
    return result


def can_run_tasks(user) -> bool:
    """Everyone logged in may follow the background tasks they started (and only those)."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER, Role.EMPLOYEE)


def requires(permission):
    """View decorator: 403 unless ``permission(current_user)`` holds."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not permission(current_user):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


TEMPLATE_GLOBALS = {
    "is_admin": is_admin,
    "can_manage_users": can_manage_users,
    "can_view_audit": can_view_audit,
    "can_manage_own_tokens": can_manage_own_tokens,
    "can_view_org": can_view_org,
    "can_edit_org": can_edit_org,
    "can_transfer_org": can_transfer_org,
    "can_manage_backups": can_manage_backups,
    "can_list_employees": can_list_employees,
    "can_view_employee": can_view_employee,
    "can_manage_job_descriptions": can_manage_job_descriptions,
    "can_use_job_descriptions": can_use_job_descriptions,
    "can_browse_libraries": can_browse_libraries,
    "can_view_position_jd": can_view_position_jd,
    "can_draft_jd": can_draft_jd,
    "can_view_version": can_view_version,
    "can_edit_version": can_edit_version,
    "can_review_jd": can_review_jd,
    "can_use_appraisals": can_use_appraisals,
    "can_view_appraisal_history": can_view_appraisal_history,
    "can_manage_appraisals": can_manage_appraisals,
    "can_view_cycles": can_view_cycles,
    "can_view_review": can_view_review,
    "can_self_review": can_self_review,
    "can_manager_review": can_manager_review,
    "can_calibrate": can_calibrate,
    "is_own_review": is_own_review,
    "can_print_manuals": can_print_manuals,
    "can_print_company_manual": can_print_company_manual,
    "can_print_manual": can_print_manual,
    "can_run_tasks": can_run_tasks,
}
