"""Job-description versions: drafting, the approval workflow, acknowledgements and the named
queries of the pages. Services flush; the caller commits once.

Workflow::

    draft ──submit──▶ in review ──approve──▶ approved ──publish──▶ published ──(next publish)──▶ superseded
      ▲                  │                      │
      └─────return───────┴──────return──────────┘

A position has at most one open version (draft, in review or approved) at a time; editing a
published job description starts a new draft copied from it.
"""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import selectinload

from app.audit.services import actor
from app.core.concurrency import check_version
from app.core.errors import NotFound, ServiceError
from app.db import utcnow
from app.extensions import db
from app.jobs import lint
from app.jobs.content import (TEXT_FIELDS, clean_content, content_hash, empty_content, version_content,
                              without_ids)
from app.jobs.models import (OPEN_STATUSES, Acknowledgement, CompetencyRequirement, Duty, DutySection,
                             JobDescriptionVersion, KpiTarget, LintWaiver, Requirement, Status, VersionEvent)
from app.org.models import Assignment, Department, Employee, Position
from app.org.services import current_filter, subtree_condition

Version = JobDescriptionVersion


# --- loading ----------------------------------------------------------------------------------


def _content_options():
    return (selectinload(Version.sections).selectinload(DutySection.duties),
            selectinload(Version.requirements),
            selectinload(Version.competencies).selectinload(CompetencyRequirement.competency),
            selectinload(Version.kpi_targets).selectinload(KpiTarget.kpi))


def get_version(version_id: int, full: bool = True) -> Version:
    """A version with its content (and position) loaded in a fixed number of queries."""
    query = select(Version).where(Version.id == version_id)
    if full:
        query = query.options(*_content_options(), selectinload(Version.position).selectinload(Position.department),
                              selectinload(Version.events), selectinload(Version.waivers))
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
    return (select(Version).where(Version.position_id.in_(list(position_ids)), Version.status == Status.PUBLISHED.value)
            .options(*_content_options()))


def open_version(position_id: int) -> Version | None:
    """The position's version being worked on (draft, in review or approved), if any."""
    return db.session.scalar(select(Version).where(Version.position_id == position_id,
                                                   Version.status.in_(OPEN_STATUSES)))


def version_history(position_id: int, include_open: bool = True):
    """Named query: the versions of a position, newest first; ``include_open=False`` leaves out
    the one being worked on (for those who see only published and superseded versions)."""
    query = select(Version).where(Version.position_id == position_id)
    if not include_open:
        query = query.where(Version.status.not_in(OPEN_STATUSES))
    return query.order_by(Version.number.desc())


def versions_of(position_id: int) -> list[Version]:
    return list(db.session.scalars(version_history(position_id)))


# --- events -----------------------------------------------------------------------------------


def _event(version: Version, action: str, comment: str = "") -> None:
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
    return {"kpis": {row["kpi_id"] for row in content.get("kpis", [])},
            "competencies": {row["competency_id"] for row in content.get("competencies", [])}}


def start_draft(position: Position, user, content: dict | None = None, based_on: Version | None = None,
                action: str = "created", copied: bool = False) -> Version:
    """A new draft for ``position``: ``content`` if given, else a copy of ``based_on`` or of the
    published version, else the position's own purpose, authority and conditions. Refused while
    another version of the position is open. A copy (``copied``, or no ``content``) may keep
    KPIs and competencies archived since; new content may not choose them."""
    if position.is_archived:
        raise ServiceError(_("This position is archived."))
    existing = open_version(position.id)
    if existing is not None:
        raise ServiceError(_("Version %(num)d of this job description is already being worked on (%(status)s): "
                             "continue with it, or discard it first.", num=existing.number,
                             status=existing.status_enum.label))
    based_on = based_on or current_version(position.id)
    if content is None:
        content = without_ids(version_content(based_on)) if based_on is not None else _position_content(position)
        copied = True
    clean = clean_content(without_ids(content), keep=_library_ids(content) if copied else None)
    number = (db.session.scalar(select(func.max(Version.number)).where(Version.position_id == position.id)) or 0) + 1
    version = Version(position=position, number=number, status=Status.DRAFT.value, title=clean["title"],
                      based_on=based_on, created_by_id=getattr(user, "id", None),
                      updated_by_id=getattr(user, "id", None))
    db.session.add(version)
    _apply(version, clean)
    _event(version, action)
    db.session.flush()
    return version


def save_content(version: Version, content: dict, user, seen_version: int | None) -> None:
    """Replace the content of a draft by ``content`` (validated as a whole), refusing an edit
    based on an older state of the version."""
    _require_status(version, Status.DRAFT, _("Only a draft can be edited. Start a new draft instead."))
    check_version(version, seen_version)
    clean = clean_content(content, keep={"kpis": {t.kpi_id for t in version.kpi_targets},
                                         "competencies": {c.competency_id for c in version.competencies}})
    _apply(version, clean)
    version.updated_at = utcnow()  # the row changes with every save, so its lock counter moves
    version.updated_by_id = getattr(user, "id", None)
    db.session.flush()


def _apply(version: Version, clean: dict) -> None:
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
    version.competencies = rows(version.competencies, clean["competencies"], CompetencyRequirement,
                                ("competency_id", "level"), lambda r: get(r, "competency_id"))
    version.kpi_targets = rows(version.kpi_targets, clean["kpis"], KpiTarget,
                               ("kpi_id", "target", "threshold", "stretch", "weight", "period", "note"),
                               lambda r: (get(r, "kpi_id"), get(r, "period")))


def discard_draft(version: Version, seen_version: int | None = None) -> None:
    _require_status(version, Status.DRAFT, _("Only a draft can be discarded."))
    check_version(version, seen_version)
    db.session.delete(version)
    db.session.flush()


def _require_status(version: Version, status: Status, message: str) -> None:
    if version.status != status.value:
        raise ServiceError(message)


# --- workflow ---------------------------------------------------------------------------------


def submit(version: Version, user, seen_version: int | None = None) -> None:
    _require_status(version, Status.DRAFT, _("Only a draft can be submitted for review."))
    check_version(version, seen_version)
    if not version.duties:
        raise ServiceError(_("Add at least one duty before submitting."))
    version.status = Status.IN_REVIEW.value
    version.submitted_by_id, version.submitted_at = getattr(user, "id", None), utcnow()
    version.review_comment = ""
    _event(version, "submitted")
    db.session.flush()


def return_for_changes(version: Version, user, comment: str, seen_version: int | None = None) -> None:
    if version.status not in (Status.IN_REVIEW.value, Status.APPROVED.value):
        raise ServiceError(_("Only a version in review or approved can be returned."))
    check_version(version, seen_version)
    comment = (comment or "").strip()
    if not comment:
        raise ServiceError.field("comment", _("Say what needs to change."))
    version.status = Status.DRAFT.value
    version.review_comment = comment[:5000]
    version.approved_by_id = version.approved_at = None
    _event(version, "returned", comment[:5000])
    db.session.flush()


def approve(version: Version, user, seen_version: int | None = None) -> None:
    """Approve a version in review. Every linter finding must be fixed or waived first."""
    _require_status(version, Status.IN_REVIEW, _("Only a version in review can be approved."))
    check_version(version, seen_version)
    open_findings = lint.unwaived(lint.lint_version(version), version)
    if open_findings:
        raise ServiceError(_("%(num)d linter finding(s) are still open: fix or waive each one before approving.",
                             num=len(open_findings)))
    version.status = Status.APPROVED.value
    version.approved_by_id, version.approved_at = getattr(user, "id", None), utcnow()
    _event(version, "approved")
    db.session.flush()


def publish(version: Version, user, effective_date: date | None, seen_version: int | None = None) -> None:
    """Publish an approved version: it becomes the position's job description from
    ``effective_date``, the previous one is superseded, and the position's purpose, authority,
    responsibility and working conditions follow the version."""
    _require_status(version, Status.APPROVED, _("Only an approved version can be published."))
    check_version(version, seen_version)
    if effective_date is None:
        raise ServiceError.field("effective_date", _("Enter the date from which this version applies."))
    previous = current_version(version.position_id)
    if previous is not None:
        if previous.effective_date and effective_date < previous.effective_date:
            raise ServiceError.field("effective_date", _(
                "The effective date cannot be before that of the version in force (%(day)s).",
                day=previous.effective_date.isoformat()))
        previous.status = Status.SUPERSEDED.value
        _event(previous, "superseded")
        db.session.flush()  # one published version per position at any moment
    version.status = Status.PUBLISHED.value
    version.effective_date = effective_date
    version.published_by_id, version.published_at = getattr(user, "id", None), utcnow()
    version.content_hash = content_hash(version_content(version))
    position = version.position
    for name in TEXT_FIELDS:
        setattr(position, name, getattr(version, name))
    _event(version, "published")
    db.session.flush()


def waive(version: Version, finding_key: str, reason: str, user, seen_version: int | None = None) -> None:
    if not version.is_open:
        raise ServiceError(_("Findings can only be waived on a version that is being worked on."))
    check_version(version, seen_version)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError.field("reason", _("Give the reason for accepting this finding."))
    keys = {finding.key for finding in lint.lint_version(version)}
    if finding_key not in keys:
        raise ServiceError(_("This finding no longer applies."))
    if any(w.finding_key == finding_key for w in version.waivers):
        raise ServiceError(_("This finding is already waived."))
    version.waivers.append(LintWaiver(finding_key=finding_key, reason=reason[:2000], user_id=getattr(user, "id", None)))
    _event(version, "waived", f"{finding_key}: {reason[:2000]}")
    db.session.flush()


# --- acknowledgements -------------------------------------------------------------------------


def acknowledge(version: Version, employee: Employee | None, seen_version: int | None = None) -> Acknowledgement:
    """``employee`` (None for an account without an employee record) acknowledges ``version``."""
    if version.status != Status.PUBLISHED.value:
        raise ServiceError(_("Only the version in force can be acknowledged."))
    check_version(version, seen_version)
    if employee is None:
        raise ServiceError(_("Only the holders of this position acknowledge its job description."))
    holds = db.session.scalar(select(func.count()).where(
        Assignment.employee_id == employee.id, Assignment.position_id == version.position_id, current_filter()))
    if not holds:
        raise ServiceError(_("Only the holders of this position acknowledge its job description."))
    existing = db.session.scalar(select(Acknowledgement).where(
        Acknowledgement.version_id == version.id, Acknowledgement.employee_id == employee.id))
    if existing is not None:
        return existing
    ack = Acknowledgement(version=version, employee=employee)
    db.session.add(ack)
    db.session.flush()
    return ack


def acknowledgement_of(version: Version, employee: Employee | None) -> Acknowledgement | None:
    if employee is None:
        return None
    return db.session.scalar(select(Acknowledgement).where(Acknowledgement.version_id == version.id,
                                                           Acknowledgement.employee_id == employee.id))


def outstanding_acknowledgements(department: Department | None = None):
    """Named query: the current assignments whose holder has not acknowledged the version in
    force of their position (``versions_by_position`` gives the versions of a page)."""
    acked = exists().where(Acknowledgement.version_id == Version.id,
                           Acknowledgement.employee_id == Assignment.employee_id)
    query = (select(Assignment)
             .join(Version, and_(Version.position_id == Assignment.position_id,
                                 Version.status == Status.PUBLISHED.value))
             .join(Position, Position.id == Assignment.position_id)
             .where(current_filter(), ~acked)
             .options(selectinload(Assignment.employee),
                      selectinload(Assignment.position).selectinload(Position.department))
             .order_by(Version.published_at.desc(), Assignment.id))
    if department is not None:
        query = query.join(Department, Department.id == Position.department_id).where(subtree_condition(department))
    return query


# --- the list page ----------------------------------------------------------------------------

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


def list_job_descriptions(search: str = "", department: Department | None = None, state: str = "",
                          within_positions=None):
    """Named query for the job-descriptions page: active positions, filtered by the state of
    their job description (``versions_by_position`` gives the versions of a page)."""
    query = (select(Position).join(Position.department).where(Position.archived_at.is_(None))
             .options(selectinload(Position.department)))
    if search:
        query = query.where(Position.title.icontains(search, autoescape=True)
                            | Position.code.icontains(search, autoescape=True))
    if department is not None:
        query = query.where(subtree_condition(department))
    if within_positions is not None:
        query = query.where(Position.id.in_(within_positions))
    condition = _state_condition(state)
    if condition is not None:
        query = query.where(condition)
    return query.order_by(Position.code)


def versions_by_position(position_ids) -> dict[int, dict[str, Version]]:
    """{position id: {"current": version in force, "open": version being worked on}} in one query."""
    ids = list(position_ids)
    result: dict[int, dict[str, Version]] = {pid: {} for pid in ids}
    if not ids:
        return result
    for version in db.session.scalars(select(Version).where(
            Version.position_id.in_(ids), Version.status.in_(OPEN_STATUSES + (Status.PUBLISHED.value,)))):
        result[version.position_id]["current" if version.status == Status.PUBLISHED.value else "open"] = version
    return result


def review_queue():
    """Named query: the versions waiting for HR (in review first, then approved to publish)."""
    return (select(Version).where(Version.status.in_((Status.IN_REVIEW.value, Status.APPROVED.value)))
            .options(selectinload(Version.position).selectinload(Position.department),
                     selectinload(Version.submitted_by))
            .order_by(Version.status.desc(), Version.submitted_at))


def counts_by_state() -> dict[str, int]:
    rows = db.session.execute(select(Version.status, func.count()).group_by(Version.status)).all()
    return {status: count for status, count in rows}


# --- the home page's to-do list ---------------------------------------------------------------


def tasks_for(user) -> list[dict]:
    """What the user has to do about job descriptions: {"title", "count", "endpoint", "args", "kind"}."""
    from app.auth.permissions import can_draft_jd, can_review_jd

    tasks = []
    employee = getattr(user, "employee", None)
    if employee is not None:
        acked = exists().where(Acknowledgement.version_id == Version.id, Acknowledgement.employee_id == employee.id)
        pending = db.session.scalars(
            select(Version.position_id).join(Assignment, and_(Assignment.position_id == Version.position_id,
                                                               Assignment.employee_id == employee.id,
                                                               current_filter()))
            .where(Version.status == Status.PUBLISHED.value, ~acked)).all()
        for position_id in pending:
            tasks.append({"title": _("Read and acknowledge your job description"), "count": None,
                          "endpoint": "jobs.position", "args": {"position_id": position_id}, "kind": "primary"})
    returned = db.session.scalars(select(Version).where(
        Version.status == Status.DRAFT.value, Version.review_comment != "",
        Version.created_by_id == getattr(user, "id", None)).options(selectinload(Version.position))).all()
    for version in returned:
        if can_draft_jd(user, version.position):
            tasks.append({"title": _("HR returned %(title)s for changes", title=version.title), "count": None,
                          "endpoint": "jobs.version", "args": {"version_id": version.id}, "kind": "warning"})
    if can_review_jd(user):
        counts = counts_by_state()
        waiting = counts.get(Status.IN_REVIEW.value, 0) + counts.get(Status.APPROVED.value, 0)
        if waiting:
            tasks.append({"title": _("Job descriptions waiting for review or publication"), "count": waiting,
                          "endpoint": "jobs.review_queue", "args": {}, "kind": "warning"})
        outstanding = db.session.scalar(select(func.count()).select_from(outstanding_acknowledgements().subquery()))
        if outstanding:
            tasks.append({"title": _("Acknowledgements outstanding"), "count": outstanding,
                          "endpoint": "jobs.acknowledgements", "args": {}, "kind": "secondary"})
    return tasks


def coverage() -> dict[str, int]:
    """Active positions, and how many have a job description in force (for HR's home page)."""
    positions = db.session.scalar(select(func.count()).select_from(Position).where(Position.archived_at.is_(None)))
    published = db.session.scalar(select(func.count()).select_from(Version).join(Position).where(
        Version.status == Status.PUBLISHED.value, Position.archived_at.is_(None)))
    return {"positions": positions or 0, "published": published or 0}
