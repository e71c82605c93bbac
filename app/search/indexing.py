"""Keeping the search index in step with the records, in one place: a flush hook.

After every flush, the records of the watched models that were created, deleted, or changed in a
searched field are written again into ``search_entries`` (deleted ones removed), in the same
transaction: the index commits or rolls back with the change, whatever service made it. Bulk
writes that bypass the ORM, and databases filled before the index existed, are brought up to date
with ``flask search rebuild`` (``rebuild``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import delete, event, insert, inspect, select

from app.extensions import db
from app.jobs.models import Duty, DutySection, JobDescriptionVersion, Kpi, Requirement, Status
from app.org.models import Department, Employee, EmployeeStatus, Position
from app.search.models import KINDS, SearchEntry

CHUNK = 500
entries = SearchEntry.__table__

# The model, the kind it feeds and the fields whose change matters (new and deleted rows always do).
WATCHED = {
    Department: ("department", ("code", "name", "archived_at")),
    Position: ("position", ("code", "title", "archived_at", "department_id")),
    Employee: ("employee", ("name", "employee_no", "email", "status")),
    JobDescriptionVersion: ("job_description", ("status",)),
    Kpi: ("kpi", ("code", "name", "definition", "archived_at")),
}


def _lines(*values) -> str:
    return "\n".join(str(value) for value in values if value)


def _chunks(ids: Iterable[int]) -> Iterable[list[int]]:
    ids = sorted(set(ids))
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _departments(ids):
    for row in db.session.execute(
        select(Department.id, Department.code, Department.name, Department.archived_at).where(Department.id.in_(ids))
    ):
        yield {
            "record_id": row.id,
            "position_id": None,
            "title": row.name,
            "detail": row.code,
            "archived": row.archived_at is not None,
            "words": _lines(row.code, row.name),
        }


def _positions(ids):
    query = (
        select(Position.id, Position.code, Position.title, Position.archived_at, Department.name)
        .join(Department, Department.id == Position.department_id)
        .where(Position.id.in_(ids))
    )
    for row in db.session.execute(query):
        yield {
            "record_id": row.id,
            "position_id": row.id,
            "title": f"{row.code} {row.title}",
            "detail": row.name,
            "archived": row.archived_at is not None,
            "words": _lines(row.code, row.title),
        }


def _employees(ids):
    query = select(Employee.id, Employee.employee_no, Employee.name, Employee.email, Employee.status).where(
        Employee.id.in_(ids)
    )
    for row in db.session.execute(query):
        yield {
            "record_id": row.id,
            "position_id": None,
            "title": row.name,
            "detail": " · ".join(value for value in (row.employee_no, row.email) if value),
            "archived": row.status == EmployeeStatus.LEFT.value,
            "words": _lines(row.name, row.employee_no, row.email),
        }


def _job_descriptions(position_ids):
    """The version in force of each position: its duties (with their standards and section
    headings) and its requirements."""
    versions = db.session.execute(
        select(
            JobDescriptionVersion.id,
            JobDescriptionVersion.position_id,
            Position.code,
            Position.title,
            Position.archived_at,
        )
        .join(Position, Position.id == JobDescriptionVersion.position_id)
        .where(
            JobDescriptionVersion.position_id.in_(position_ids), JobDescriptionVersion.status == Status.PUBLISHED.value
        )
    ).all()
    if not versions:
        return
    version_ids = [row.id for row in versions]
    texts: dict[int, list[str]] = defaultdict(list)
    for row in db.session.execute(
        select(DutySection.version_id, DutySection.heading, Duty.text, Duty.standard)
        .join(Duty, Duty.section_id == DutySection.id, isouter=True)
        .where(DutySection.version_id.in_(version_ids))
        .order_by(DutySection.version_id, DutySection.position, Duty.position)
    ):
        lines = texts[row.version_id]
        if row.heading and row.heading not in lines:
            lines.append(row.heading)
        lines.extend(value for value in (row.text, row.standard) if value)
    for row in db.session.execute(
        select(Requirement.version_id, Requirement.text)
        .where(Requirement.version_id.in_(version_ids))
        .order_by(Requirement.version_id, Requirement.position)
    ):
        texts[row.version_id].append(row.text)
    for row in versions:
        yield {
            "record_id": row.id,
            "position_id": row.position_id,
            "title": f"{row.code} {row.title}",
            "detail": "",
            "archived": row.archived_at is not None,
            "words": _lines(*texts[row.id]),
        }


def _kpis(ids):
    for row in db.session.execute(
        select(Kpi.id, Kpi.code, Kpi.name, Kpi.definition, Kpi.archived_at).where(Kpi.id.in_(ids))
    ):
        yield {
            "record_id": row.id,
            "position_id": None,
            "title": row.name,
            "detail": row.code,
            "archived": row.archived_at is not None,
            "words": _lines(row.code, row.name, row.definition),
        }


BUILDERS = {
    "department": _departments,
    "position": _positions,
    "employee": _employees,
    "job_description": _job_descriptions,
    "kpi": _kpis,
}
SOURCES = {
    "department": Department.id,
    "position": Position.id,
    "employee": Employee.id,
    "job_description": Position.id,
    "kpi": Kpi.id,
}


def refresh(kind: str, ids: Iterable[int]) -> int:
    """Write the entries of these records again (job descriptions: by position id); records that
    no longer exist lose theirs. Returns the number of entries written."""
    written = 0
    key = entries.c.position_id if kind == "job_description" else entries.c.record_id
    for part in _chunks(ids):
        db.session.execute(delete(entries).where(entries.c.kind == kind, key.in_(part)))
        rows = [{"kind": kind, **row} for row in BUILDERS[kind](part)]
        if rows:
            db.session.execute(insert(entries), rows)
        written += len(rows)
    return written


def rebuild() -> dict[str, int]:
    """The whole index again, from the records: {kind: entries}."""
    db.session.execute(delete(entries))
    counts = {}
    for kind in KINDS:
        ids = db.session.scalars(select(SOURCES[kind])).all()
        counts[kind] = refresh(kind, ids)
    return counts


def _changed(obj, fields) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _stale(session) -> dict[str, set[int]]:
    stale: dict[str, set[int]] = defaultdict(set)
    for obj in (*session.new, *session.deleted, *session.dirty):
        watched = WATCHED.get(type(obj))
        if watched is None:
            continue
        kind, fields = watched
        if obj in session.dirty and obj not in session.deleted and not _changed(obj, fields):
            continue
        if isinstance(obj, JobDescriptionVersion):
            stale["job_description"].add(obj.position_id)
            continue
        stale[kind].add(obj.id)
        if isinstance(obj, Position):
            stale["job_description"].add(obj.id)  # its job description's title
    return stale


def _after_flush(session, flush_context) -> None:
    stale = _stale(session)
    if stale.get("department"):
        stale["position"] |= set(
            session.scalars(select(Position.id).where(Position.department_id.in_(stale["department"])))
        )  # their positions show its name
    for kind, ids in stale.items():
        ids.discard(None)
        if ids:
            refresh(kind, ids)


_watching = False


def keep_index() -> None:
    """Install, once per process, the flush hook that keeps the index up to date."""
    global _watching
    if _watching:
        return
    from flask_sqlalchemy.session import Session

    event.listen(Session, "after_flush", _after_flush)
    _watching = True
