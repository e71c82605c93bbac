"""Loading versions, their workflow history, and drafting: starting a draft, saving its content,
discarding it."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.audit.services import actor
from app.core.concurrency import check_version
from app.core.errors import NotFound, ServiceError
from app.db import utcnow
from app.extensions import db
from app.jobs.content import TEXT_FIELDS, clean_content, empty_content, version_content, without_ids
from app.jobs.models import (
    OPEN_STATUSES,
    Competency,
    CompetencyRequirement,
    Duty,
    DutyFunction,
    DutySection,
    JobDescriptionVersion,
    Kpi,
    KpiTarget,
    Requirement,
    Status,
    VersionEvent,
)
from app.org.models import DepartmentFunction, Position

Version = JobDescriptionVersion


def _content_options():
    """The rows of a version's content; KPI and competency labels are the version's own copies,
    so the libraries are not loaded."""
    return (
        selectinload(Version.sections).selectinload(DutySection.duties).selectinload(Duty.function_links),
        selectinload(Version.requirements),
        selectinload(Version.competencies),
        selectinload(Version.kpi_targets),
    )


def get_version(version_id: int, full: bool = True) -> Version:
    """A version with its content (and position) loaded in a fixed number of queries."""
    query = select(Version).where(Version.id == version_id)
    if full:
        query = query.options(
            *_content_options(),
            selectinload(Version.position).selectinload(Position.department),
            selectinload(Version.events),
            selectinload(Version.waivers),
        )
    version = db.session.scalar(query)
    if version is None:
        raise NotFound(_("No such job-description version."))
    return version


def current_version(position_id: int, full: bool = False) -> Version | None:
    """The published version of a position (its job description in force), if any."""
    query = select(Version).where(Version.position_id == position_id, Version.status == Status.PUBLISHED.value)
    if full:
        query = query.options(*_content_options())
    return db.session.scalar(query)


def published_versions(position_ids):
    """Named query: the versions in force of these positions, with their content (for printing
    many at once, e.g. a position manual, in a fixed number of queries)."""
    return (
        select(Version)
        .where(Version.position_id.in_(list(position_ids)), Version.status == Status.PUBLISHED.value)
        .options(*_content_options())
    )


def open_version(position_id: int) -> Version | None:
    """The position's version being worked on (draft, in review or approved), if any."""
    return db.session.scalar(
        select(Version).where(Version.position_id == position_id, Version.status.in_(OPEN_STATUSES))
    )


def version_history(position_id: int, include_open: bool = True):
    """Named query: the versions of a position, newest first; ``include_open=False`` leaves out
    the one being worked on (for those who see only published and superseded versions)."""
    query = select(Version).where(Version.position_id == position_id)
    if not include_open:
        query = query.where(Version.status.not_in(OPEN_STATUSES))
    return query.order_by(Version.number.desc())


def versions_of(position_id: int, include_open: bool = True) -> list[Version]:
    return list(db.session.scalars(version_history(position_id, include_open)))


# --- events -----------------------------------------------------------------------------------


def record_event(version: Version, action: str, comment: str = "") -> None:
    actor_id, actor_label, _ip = actor()
    version.events.append(VersionEvent(action=action, comment=comment, actor_id=actor_id, actor_label=actor_label))


EVENT_LABELS = {
    "created": lambda: _("Draft started"),
    "imported": lambda: _("Draft imported from pasted text"),
    "submitted": lambda: _("Submitted for review"),
    "returned": lambda: _("Returned for changes"),
    "approved": lambda: _("Approved"),
    "published": lambda: _("Published"),
    "superseded": lambda: _("Superseded by a newer version"),
    "waived": lambda: _("Linter finding waived"),
}


def event_label(action: str) -> str:
    label = EVENT_LABELS.get(action)
    return label() if label else action


# --- drafting ---------------------------------------------------------------------------------


def _position_content(position: Position) -> dict:
    content = empty_content(position.title)
    for name in TEXT_FIELDS:
        content[name] = getattr(position, name, "") or ""
    return content


def _library_ids(content: dict) -> dict:
    return {
        "kpis": {row["kpi_id"] for row in content.get("kpis", [])},
        "competencies": {row["competency_id"] for row in content.get("competencies", [])},
    }


def department_functions(position: Position) -> dict[int, DepartmentFunction]:
    """{id: function} of the functions of ``position``'s department: what its duties may serve."""
    return {
        f.id: f
        for f in db.session.scalars(
            select(DepartmentFunction).where(DepartmentFunction.department_id == position.department_id)
        )
    }


def _keep_known_functions(content: dict, known) -> dict:
    """``content`` with links to functions no longer of the department left out (a copy of an
    older version, after the position moved or a function was removed)."""
    for section in content.get("sections") or []:
        for duty in section.get("duties") or []:
            if isinstance(duty, dict) and isinstance(duty.get("functions"), list):
                duty["functions"] = [f for f in duty["functions"] if f in known]
    return content


def start_draft(
    position: Position,
    user,
    content: dict | None = None,
    based_on: Version | None = None,
    action: str = "created",
    copied: bool = False,
) -> Version:
    """A new draft for ``position``: ``content`` if given, else a copy of ``based_on`` or of the
    published version, else the position's own purpose, authority and conditions. Refused while
    another version of the position is open. A copy (``copied``, or no ``content``) may keep
    KPIs and competencies archived since; new content may not choose them."""
    if position.is_archived:
        raise ServiceError(_("This position is archived."))
    existing = open_version(position.id)
    if existing is not None:
        raise ServiceError(
            _(
                "Version %(num)d of this job description is already being worked on (%(status)s): "
                "continue with it, or discard it first.",
                num=existing.number,
                status=existing.status_enum.label,
            )
        )
    based_on = based_on or current_version(position.id)
    if content is None:
        content = without_ids(version_content(based_on)) if based_on is not None else _position_content(position)
        copied = True
    known = department_functions(position)
    content = without_ids(content)
    if copied:
        _keep_known_functions(content, known)
    clean = clean_content(content, keep=_library_ids(content) if copied else None, functions=known)
    number = (db.session.scalar(select(func.max(Version.number)).where(Version.position_id == position.id)) or 0) + 1
    version = Version(
        position=position,
        number=number,
        status=Status.DRAFT.value,
        title=clean["title"],
        based_on=based_on,
        created_by_id=getattr(user, "id", None),
        updated_by_id=getattr(user, "id", None),
    )
    db.session.add(version)
    _apply(version, clean, known)
    record_event(version, action)
    db.session.flush()
    return version


def save_content(version: Version, content: dict, user, seen_version: int | None) -> None:
    """Replace the content of a draft by ``content`` (validated as a whole), refusing an edit
    based on an older state of the version."""
    require_status(version, Status.DRAFT, _("Only a draft can be edited. Start a new draft instead."))
    check_version(version, seen_version)
    known = department_functions(version.position)
    clean = clean_content(
        content,
        keep={
            "kpis": {t.kpi_id for t in version.kpi_targets},
            "competencies": {c.competency_id for c in version.competencies},
        },
        functions=known,
    )
    _apply(version, clean, known)
    version.updated_at = utcnow()  # the row changes with every save, so its lock counter moves
    version.updated_by_id = getattr(user, "id", None)
    db.session.flush()


def link_functions(duty: Duty, function_ids: list[int], known: dict[int, DepartmentFunction]) -> None:
    """Link ``duty`` to these functions, in order, keeping the rows of links it already has and
    copying each function's label (what a frozen version keeps showing)."""
    old = {link.function_id: link for link in duty.function_links}
    links = []
    for i, function_id in enumerate(function_ids):
        link = old.pop(function_id, None) or DutyFunction(function_id=function_id)
        link.position, link.function_label = i, known[function_id].label
        links.append(link)
    if [(link.function_id, link.position) for link in links] != [
        (link.function_id, link.position) for link in duty.function_links
    ]:
        duty.function_links = links


def _apply(version: Version, clean: dict, known: dict[int, DepartmentFunction] | None = None) -> None:
    """Write ``clean`` content into ``version``, keeping rows whose id is submitted (so the
    audit trail shows edits as edits), creating the others and deleting those left out."""
    version.title = clean["title"]
    for name in TEXT_FIELDS:
        setattr(version, name, clean[name])

    old_sections = {s.id: s for s in version.sections if s.id is not None}
    old_duties = {d.id: d for s in version.sections for d in s.duties if d.id is not None}
    sections = []
    for i, data in enumerate(clean["sections"]):
        section = old_sections.pop(data["id"], None) or DutySection()
        section.position, section.heading = i, data["heading"]
        duties = []
        for j, item in enumerate(data["duties"]):
            duty = old_duties.pop(item["id"], None) or Duty()
            duty.position, duty.text, duty.frequency = j, item["text"], item["frequency"]
            duty.standard, duty.weight = item["standard"], item["weight"]
            if item.get("functions") is not None:
                link_functions(duty, item["functions"], known or {})
            duties.append(duty)
        section.duties = duties
        sections.append(section)
    version.sections = sections

    def rows(collection, items, model, fields, natural_key=None):
        """Rows for ``items``, reusing existing rows: by the submitted id, or for tables with a
        unique natural key (a KPI and period, a competency) by that key alone, so that no save
        ever inserts or updates a row onto a key another row still holds."""
        if natural_key is not None:
            old = {natural_key(row): row for row in collection}
            pick = lambda item: old.pop(natural_key(item), None)  # noqa: E731
        else:
            old = {row.id: row for row in collection if row.id is not None}
            pick = lambda item: old.pop(item["id"], None)  # noqa: E731
        result = []
        for i, item in enumerate(items):
            row = pick(item) or model()
            row.position = i
            for name in fields:
                setattr(row, name, item[name])
            result.append(row)
        return result

    def get(obj, name):
        return obj[name] if isinstance(obj, dict) else getattr(obj, name)

    version.requirements = rows(version.requirements, clean["requirements"], Requirement, ("kind", "text", "required"))
    version.competencies = rows(
        version.competencies,
        clean["competencies"],
        CompetencyRequirement,
        ("competency_id", "level"),
        lambda r: get(r, "competency_id"),
    )
    version.kpi_targets = rows(
        version.kpi_targets,
        clean["kpis"],
        KpiTarget,
        ("kpi_id", "target", "threshold", "stretch", "weight", "period", "note"),
        lambda r: (get(r, "kpi_id"), get(r, "period")),
    )
    # What the version shows of the libraries is copied now (clean_content loaded these rows, so
    # ``get`` finds them in the session): later edits of the library leave this version alone.
    for target in version.kpi_targets:
        target.snapshot(db.session.get(Kpi, target.kpi_id))
    for row in version.competencies:
        row.snapshot(db.session.get(Competency, row.competency_id))


def discard_draft(version: Version, seen_version: int | None = None) -> None:
    require_status(version, Status.DRAFT, _("Only a draft can be discarded."))
    check_version(version, seen_version)
    db.session.delete(version)
    db.session.flush()


def require_status(version: Version, status: Status, message: str) -> None:
    if version.status != status.value:
        raise ServiceError(message)
