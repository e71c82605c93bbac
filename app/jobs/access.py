"""Who may read, draft, review and publish job descriptions and keep the libraries. Plain
functions, called by views and the API alike, and exposed to templates."""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import select

from app.auth.models import Role
from app.auth.permissions import has_role
from app.extensions import db
from app.jobs.enums import Status
from app.org.access import can_edit_org, held_and_managed
from app.org.models import Department


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


def can_view_position_jd(user, position) -> bool:
    """HR and admins: every position; managers: their own posts and their reporting subtree;
    employees: the posts they hold."""
    if can_manage_job_descriptions(user):
        return True
    if not has_role(user, Role.MANAGER, Role.EMPLOYEE):
        return False
    held, managed = held_and_managed(user)
    return position.id in held or position.id in managed


def jd_position_scope(user) -> set[int] | None:
    """The positions whose job description in force ``user`` may read, for filtering lists in
    SQL, like ``can_view_position_jd`` for one: None for every position (HR, admins)."""
    if can_manage_job_descriptions(user):
        return None
    if not has_role(user, Role.MANAGER, Role.EMPLOYEE):
        return set()
    held, managed = held_and_managed(user)
    return held | managed


def can_draft_jd(user, position) -> bool:
    """Drafting: HR and admins for any position, managers for the positions below their own."""
    if can_manage_job_descriptions(user):
        return True
    if not has_role(user, Role.MANAGER):
        return False
    return position.id in held_and_managed(user)[1]


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


def headed_paths(user) -> list[str]:
    """The tree paths of the departments whose head position the user holds (once per request)."""
    key = ("headed_paths", getattr(user, "id", None))
    cache = g.setdefault("_permission_cache", {}) if has_request_context() else {}
    if key not in cache:
        held = held_and_managed(user)[0] if has_role(user, Role.MANAGER) else set()
        cache[key] = (
            list(db.session.scalars(select(Department.path).where(Department.head_position_id.in_(held))))
            if held
            else []
        )
    return cache[key]


def heads_department(user, department) -> bool:
    """The user heads ``department`` or a department above it (their subtree)."""
    return any(department.path.startswith(path) for path in headed_paths(user))


def can_use_coverage(user) -> bool:
    """The coverage matrices: HR and admins, and managers (for the departments they head)."""
    return has_role(user, Role.ADMIN, Role.HR, Role.MANAGER)


def can_view_coverage(user, department) -> bool:
    """The coverage matrix of a department: HR and admins for any, a department head for their subtree."""
    return can_manage_job_descriptions(user) or heads_department(user, department)


def can_edit_functions(user) -> bool:
    """A department's functions are part of the department: HR and admins edit them."""
    return can_edit_org(user)


def can_link_duties(user, version) -> bool:
    """Linking a version's duties to its department's functions: HR and admins while it is a
    draft or in review (HR confirms them when reviewing); a department head drafts them for the
    positions of their subtree while it is a draft."""
    if version.status == Status.DRAFT.value:
        return can_manage_job_descriptions(user) or heads_department(user, version.position.department)
    return version.status == Status.IN_REVIEW.value and can_manage_job_descriptions(user)


TEMPLATE_GLOBALS = {
    "can_use_coverage": can_use_coverage,
    "can_view_coverage": can_view_coverage,
    "can_edit_functions": can_edit_functions,
    "can_link_duties": can_link_duties,
    "can_manage_job_descriptions": can_manage_job_descriptions,
    "can_use_job_descriptions": can_use_job_descriptions,
    "can_browse_libraries": can_browse_libraries,
    "can_view_position_jd": can_view_position_jd,
    "can_draft_jd": can_draft_jd,
    "can_view_version": can_view_version,
    "can_edit_version": can_edit_version,
    "can_review_jd": can_review_jd,
}
