"""The approval workflow (submit, return, approve, publish, waive a linter finding) and the
acknowledgements of the version in force."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from app.core.concurrency import check_version
from app.core.errors import ServiceError
from app.db import utcnow
from app.extensions import db
from app.jobs import lint, signals
from app.jobs.content import TEXT_FIELDS, content_hash, version_content
from app.jobs.models import Acknowledgement, JobDescriptionVersion, LintWaiver, Status
from app.jobs.services.drafting import current_version, record_event, require_status
from app.org.models import Assignment, Department, Employee, Position
from app.org.services import current_filter, subtree_condition

Version = JobDescriptionVersion


def submit(version: Version, user, seen_version: int | None = None) -> None:
    require_status(version, Status.DRAFT, _("Only a draft can be submitted for review."))
    check_version(version, seen_version)
    if not version.duties:
        raise ServiceError(_("Add at least one duty before submitting."))
    version.status = Status.IN_REVIEW.value
    version.submitted_by_id, version.submitted_at = getattr(user, "id", None), utcnow()
    version.review_comment = ""
    record_event(version, "submitted")
    db.session.flush()
    signals.submitted.send(version, by=user)


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
    record_event(version, "returned", comment[:5000])
    db.session.flush()
    signals.returned.send(version, by=user, comment=comment[:5000])


def approve(version: Version, user, seen_version: int | None = None) -> None:
    """Approve a version in review. Every linter finding must be fixed or waived first."""
    require_status(version, Status.IN_REVIEW, _("Only a version in review can be approved."))
    check_version(version, seen_version)
    open_findings = lint.unwaived(lint.lint_version(version), version)
    if open_findings:
        raise ServiceError(
            _(
                "%(num)d linter finding(s) are still open: fix or waive each one before approving.",
                num=len(open_findings),
            )
        )
    version.status = Status.APPROVED.value
    version.approved_by_id, version.approved_at = getattr(user, "id", None), utcnow()
    record_event(version, "approved")
    db.session.flush()
    signals.approved.send(version, by=user)


def publish(version: Version, user, effective_date: date | None, seen_version: int | None = None) -> None:
    """Publish an approved version: it becomes the position's job description from
    ``effective_date``, the previous one is superseded, and the position's purpose, authority,
    responsibility and working conditions follow the version."""
    require_status(version, Status.APPROVED, _("Only an approved version can be published."))
    check_version(version, seen_version)
    if effective_date is None:
        raise ServiceError.field("effective_date", _("Enter the date from which this version applies."))
    previous = current_version(version.position_id)
    if previous is not None:
        if previous.effective_date and effective_date < previous.effective_date:
            raise ServiceError.field(
                "effective_date",
                _(
                    "The effective date cannot be before that of the version in force (%(day)s).",
                    day=previous.effective_date.isoformat(),
                ),
            )
        previous.status = Status.SUPERSEDED.value
        record_event(previous, "superseded")
        db.session.flush()  # one published version per position at any moment
    version.status = Status.PUBLISHED.value
    version.effective_date = effective_date
    version.published_by_id, version.published_at = getattr(user, "id", None), utcnow()
    version.content_hash = content_hash(version_content(version))
    position = version.position
    for name in TEXT_FIELDS:
        setattr(position, name, getattr(version, name))
    record_event(version, "published")
    db.session.flush()
    signals.published.send(version, by=user)


def publish_many(version_ids: list[int], user, effective_date: date | None) -> list[Version]:
    """Publish these approved versions, each from ``effective_date``: all or nothing. Refused
    whole, naming the versions at fault, when one is not approved (any more) or its position's
    version in force applies from a later date. Returns the versions."""
    from app.core.bulk import refusal
    from app.jobs.services.drafting import _content_options

    versions = list(
        db.session.scalars(  # with their content: publishing fingerprints it
            select(Version)
            .where(Version.id.in_(list(version_ids)))
            .options(*_content_options(), selectinload(Version.position))
            .order_by(Version.id)
        )
    )

    def name(version: Version) -> str:
        return f"{version.position.code} {version.title} (v{version.number})"

    waiting = [v for v in versions if v.status != Status.APPROVED.value]
    if waiting:
        raise refusal(_("Only approved versions can be published; these are not:"), [name(v) for v in waiting])
    if effective_date is None:
        raise ServiceError.field("effective_date", _("Enter the date from which this version applies."))
    later = set(
        db.session.scalars(
            select(Version.position_id).where(
                Version.position_id.in_([v.position_id for v in versions]),
                Version.status == Status.PUBLISHED.value,
                Version.effective_date > effective_date,
            )
        )
    )
    if later:
        raise refusal(
            _("The version in force of these positions applies from a later date:"),
            [name(v) for v in versions if v.position_id in later],
        )
    for version in versions:
        publish(version, user, effective_date)
    return versions


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
    record_event(version, "waived", f"{finding_key}: {reason[:2000]}")
    db.session.flush()


# --- acknowledgements -------------------------------------------------------------------------


def acknowledge(version: Version, employee: Employee | None, seen_version: int | None = None) -> Acknowledgement:
    """``employee`` (None for an account without an employee record) acknowledges ``version``."""
    if version.status != Status.PUBLISHED.value:
        raise ServiceError(_("Only the version in force can be acknowledged."))
    check_version(version, seen_version)
    if employee is None:
        raise ServiceError(_("Only the holders of this position acknowledge its job description."))
    holds = db.session.scalar(
        select(func.count()).where(
            Assignment.employee_id == employee.id, Assignment.position_id == version.position_id, current_filter()
        )
    )
    if not holds:
        raise ServiceError(_("Only the holders of this position acknowledge its job description."))
    existing = db.session.scalar(
        select(Acknowledgement).where(
            Acknowledgement.version_id == version.id, Acknowledgement.employee_id == employee.id
        )
    )
    if existing is not None:
        return existing
    ack = Acknowledgement(version=version, employee=employee)
    db.session.add(ack)
    db.session.flush()
    return ack


def acknowledgement_of(version: Version, employee: Employee | None) -> Acknowledgement | None:
    if employee is None:
        return None
    return db.session.scalar(
        select(Acknowledgement).where(
            Acknowledgement.version_id == version.id, Acknowledgement.employee_id == employee.id
        )
    )


def unacknowledged(department: Department | None = None):
    """The current assignments whose holder has not acknowledged the version in force of their
    position, in no order and without their position unless for a department: what the list of
    ``outstanding_acknowledgements`` counts.

    Shaped for a list that has every holder of the company on it after a company-wide
    publication: the holders and their dates come from an index of their own
    (ix_assignments_position_id_dates_employee_id), the versions with their position from
    ix_jd_versions_status_published_at, and no acknowledgement is an outer join that finds none."""
    query = (
        select(Assignment)
        .join(Version, and_(Version.position_id == Assignment.position_id, Version.status == Status.PUBLISHED.value))
        .outerjoin(
            Acknowledgement,
            and_(Acknowledgement.version_id == Version.id, Acknowledgement.employee_id == Assignment.employee_id),
        )
        .where(current_filter(), Acknowledgement.id.is_(None))
    )
    if department is not None:
        query = (
            query.join(Position, Position.id == Assignment.position_id)
            .join(Department, Department.id == Position.department_id)
            .where(subtree_condition(department))
        )
    return query


def outstanding_acknowledgements(department: Department | None = None):
    """Named query: ``unacknowledged`` with their position (callers select its columns), the
    newest version first and its holders together, in assignment order (``versions_by_position``
    gives the versions of a page). The versions come in the order of their index, so that a page
    stops after its rows instead of sorting them all."""
    query = unacknowledged(department)
    if department is None:
        query = query.join(Position, Position.id == Assignment.position_id)
    return query.options(
        selectinload(Assignment.employee), selectinload(Assignment.position).selectinload(Position.department)
    ).order_by(Version.published_at.desc(), Version.id.desc(), Assignment.id)
