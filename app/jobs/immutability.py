"""Published versions never change, whatever route tries.

A ``before_flush`` hook refuses, for a version that is published or superseded in the database,
any change to its content columns and any insert, update or delete of its sections, duties, the duties' links to functions,
requirements, competency requirements and KPI targets. The only change allowed is the status
moving from published to superseded (and the row's lock counter with it). Services check first
and give a friendlier message; this is the guarantee behind them.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import event, inspect, select

from app.core.errors import ServiceError
from app.extensions import db
from app.jobs.models import (
    FROZEN_STATUSES,
    CompetencyRequirement,
    Duty,
    DutyFunction,
    DutySection,
    JobDescriptionVersion,
    KpiTarget,
    Requirement,
    Status,
)

# Columns of a frozen version that may still change: its status (published → superseded), the
# lock counter that changes with it.
_MUTABLE_WHEN_FROZEN = {"status", "version"}
_CHILDREN = (DutySection, Requirement, CompetencyRequirement, KpiTarget)


class FrozenVersion(ServiceError):
    status = 409


def _committed(obj, attr: str):
    """The value of ``attr`` as it is in the database (before this flush's changes)."""
    history = inspect(obj).attrs[attr].history
    if history.deleted:
        return history.deleted[0]
    if history.unchanged:
        return history.unchanged[0]
    return getattr(obj, attr)


def _version_id_of(obj) -> int | None:
    if isinstance(obj, DutyFunction):
        duty_id = _committed(obj, "duty_id")
        duty = db.session.get(Duty, duty_id) if duty_id is not None else None
        return _version_id_of(duty) if duty is not None else None
    if isinstance(obj, Duty):
        section_id = _committed(obj, "section_id")
        if section_id is None:
            return None
        section = db.session.get(DutySection, section_id)
        return _committed(section, "version_id") if section is not None else None
    return _committed(obj, "version_id")


def _frozen_ids(session, version_ids) -> set[int]:
    ids = {vid for vid in version_ids if vid is not None}
    if not ids:
        return set()
    with session.no_autoflush:
        rows = session.execute(
            select(JobDescriptionVersion.id, JobDescriptionVersion.status)
            .where(JobDescriptionVersion.id.in_(ids))
            .execution_options(populate_existing=False)
        ).all()
    return {row.id for row in rows if row.status in FROZEN_STATUSES}


def _refuse():
    raise FrozenVersion(_("A published version cannot be changed. Start a new draft from it instead."))


def _check(session, flush_context, instances):
    for obj in session.dirty:
        if isinstance(obj, JobDescriptionVersion) and session.is_modified(obj, include_collections=False):
            if _committed(obj, "status") in FROZEN_STATUSES:
                state = inspect(obj)
                changed = {
                    attr.key
                    for attr in state.attrs
                    if attr.history.has_changes() and attr.key in state.mapper.column_attrs
                }
                if changed - _MUTABLE_WHEN_FROZEN or obj.status != Status.SUPERSEDED.value:
                    _refuse()
    for obj in session.deleted:
        if isinstance(obj, JobDescriptionVersion) and _committed(obj, "status") in FROZEN_STATUSES:
            _refuse()
    touched = []
    for group in (session.new, session.deleted):
        touched += [obj for obj in group if isinstance(obj, _CHILDREN + (Duty, DutyFunction))]
    touched += [
        obj
        for obj in session.dirty
        if isinstance(obj, _CHILDREN + (Duty, DutyFunction)) and session.is_modified(obj, include_collections=False)
    ]
    if not touched:
        return
    version_ids = set()
    for obj in touched:
        with session.no_autoflush:
            version_ids.add(_version_id_of(obj))
            # a new child attached to an existing version through the relationship
            parent = _parent_version(obj)
            if parent is not None and parent.id is not None:
                version_ids.add(parent.id)
    if _frozen_ids(session, version_ids):
        _refuse()


def _parent_version(obj):
    """The version ``obj`` is attached to through its relationships (a new row has no ids yet)."""
    if isinstance(obj, DutyFunction):
        obj = obj.duty
        if obj is None:
            return None
    if isinstance(obj, Duty):
        return getattr(obj.section, "version", None) if obj.section is not None else None
    return getattr(obj, "version", None)


_installed = False


def guard_published_versions() -> None:
    """Install the hook once per process."""
    global _installed
    if _installed:
        return
    from flask_sqlalchemy.session import Session

    event.listen(Session, "before_flush", _check)
    _installed = True
