"""The named queries of the pages: the job-description list, the review queue, outstanding
acknowledgements, and the home page's to-do list."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.jobs.access import can_draft_jd, can_review_jd
from app.jobs.models import OPEN_STATUSES, Acknowledgement, JobDescriptionVersion, Status
from app.jobs.services.workflow import unacknowledged
from app.org.models import Assignment, Department, Position
from app.org.services import current_filter, head_first, subtree_condition

Version = JobDescriptionVersion


JD_STATES = ("none", "published", "draft", "in_review", "approved", "unpublished")


def _state_condition(state: str):
    published = exists().where(Version.position_id == Position.id, Version.status == Status.PUBLISHED.value)
    working = exists().where(Version.position_id == Position.id, Version.status.in_(OPEN_STATUSES))
    if state == "none":
        return ~published & ~working
    if state == "published":
        return published
    if state == "unpublished":
        return ~published
    if state in OPEN_STATUSES:
        return exists().where(Version.position_id == Position.id, Version.status == state)
    return None


def job_descriptions(search: str = "", department: Department | None = None, state: str = "", within_positions=None):
    """The positions of the job-descriptions page: active, filtered by the state of their job
    description, in no order (what the page counts, without its order's ranking)."""
    query = select(Position).join(Position.department).where(Position.archived_at.is_(None))
    if search:
        query = query.where(
            Position.title.icontains(search, autoescape=True) | Position.code.icontains(search, autoescape=True)
        )
    if department is not None:
        query = query.where(subtree_condition(department))
    if within_positions is not None:
        query = query.where(Position.id.in_(within_positions))
    condition = _state_condition(state)
    if condition is not None:
        query = query.where(condition)
    return query


def list_job_descriptions(
    search: str = "", department: Department | None = None, state: str = "", within_positions=None
):
    """Named query for the job-descriptions page: ``job_descriptions``, heads first, as on the
    department page (``versions_by_position`` gives the versions of a page)."""
    query = job_descriptions(search, department, state, within_positions)
    return head_first(query.options(selectinload(Position.department)))


def versions_by_position(position_ids) -> dict[int, dict[str, Version]]:
    """{position id: {"current": version in force, "open": version being worked on}} in one query."""
    ids = list(position_ids)
    result: dict[int, dict[str, Version]] = {pid: {} for pid in ids}
    if not ids:
        return result
    for version in db.session.scalars(
        select(Version).where(
            Version.position_id.in_(ids), Version.status.in_(OPEN_STATUSES + (Status.PUBLISHED.value,))
        )
    ):
        result[version.position_id]["current" if version.status == Status.PUBLISHED.value else "open"] = version
    return result


def review_queue():
    """Named query: the versions waiting for HR (in review first, then approved to publish)."""
    return (
        select(Version)
        .where(Version.status.in_((Status.IN_REVIEW.value, Status.APPROVED.value)))
        .options(selectinload(Version.position).selectinload(Position.department), selectinload(Version.submitted_by))
        .order_by(Version.status.desc(), Version.submitted_at)
    )


def counts_by_state() -> dict[str, int]:
    rows = db.session.execute(select(Version.status, func.count()).group_by(Version.status)).all()
    return {status: count for status, count in rows}


# --- the home page's to-do list ---------------------------------------------------------------


def tasks_for(user) -> list[dict]:
    """What the user has to do about job descriptions: {"title", "count", "endpoint", "args", "kind"}."""
    tasks = []
    employee = getattr(user, "employee", None)
    if employee is not None:
        acked = exists().where(Acknowledgement.version_id == Version.id, Acknowledgement.employee_id == employee.id)
        pending = db.session.scalars(
            select(Version.position_id)
            .join(
                Assignment,
                and_(
                    Assignment.position_id == Version.position_id,
                    Assignment.employee_id == employee.id,
                    current_filter(),
                ),
            )
            .where(Version.status == Status.PUBLISHED.value, ~acked)
        ).all()
        for position_id in pending:
            tasks.append(
                {
                    "title": _("Read and acknowledge your job description"),
                    "count": None,
                    "endpoint": "jobs.position",
                    "args": {"position_id": position_id},
                    "kind": "primary",
                }
            )
    returned = db.session.scalars(
        select(Version)
        .where(
            Version.status == Status.DRAFT.value,
            Version.review_comment != "",
            Version.created_by_id == getattr(user, "id", None),
        )
        .options(selectinload(Version.position))
    ).all()
    for version in returned:
        if can_draft_jd(user, version.position):
            tasks.append(
                {
                    "title": _("HR returned %(title)s for changes", title=version.title),
                    "count": None,
                    "endpoint": "jobs.version",
                    "args": {"version_id": version.id},
                    "kind": "warning",
                }
            )
    if can_review_jd(user):
        counts = counts_by_state()
        waiting = counts.get(Status.IN_REVIEW.value, 0) + counts.get(Status.APPROVED.value, 0)
        if waiting:
            tasks.append(
                {
                    "title": _("Job descriptions waiting for review or publication"),
                    "count": waiting,
                    "endpoint": "jobs.review_queue",
                    "args": {},
                    "kind": "warning",
                }
            )
        outstanding = db.session.scalar(select(func.count()).select_from(unacknowledged().subquery()))
        if outstanding:
            tasks.append(
                {
                    "title": _("Acknowledgements outstanding"),
                    "count": outstanding,
                    "endpoint": "jobs.acknowledgements",
                    "args": {},
                    "kind": "secondary",
                }
            )
    return tasks


def coverage() -> dict[str, int]:
    """Active positions, and how many have a job description in force (for HR's home page)."""
    positions = db.session.scalar(select(func.count()).select_from(Position).where(Position.archived_at.is_(None)))
    published = db.session.scalar(
        select(func.count())
        .select_from(Version)
        .join(Position)
        .where(Version.status == Status.PUBLISHED.value, Position.archived_at.is_(None))
    )
    return {"positions": positions or 0, "published": published or 0}
