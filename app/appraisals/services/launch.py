"""Launching a cycle: one review per active employee in scope, with the snapshot of their job
description, in bulk.

A fixed handful of queries whatever the size of the company (departments in scope, candidate
employees, reviews already there, the reporting lines, the holders, published KPI targets and
competencies), then bulk inserts in chunks; no ORM object per employee. ``progress(done, total)``
is called after each chunk, so a background job can report it (see ``launch_cycle``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, insert, or_, select, text

from app.appraisals import signals
from app.appraisals.models import (
    AppraisalCycle,
    CompetencyRating,
    CycleStatus,
    Exclusion,
    KpiResult,
    Review,
    SelfReviewMode,
    SelfReviewState,
    Step,
)
from app.appraisals.services import bulk
from app.appraisals.services.cycles import targets_period
from app.appraisals.services.reviewers import stalled_condition
from app.appraisals.services.templates import cycle_settings, frozen_settings
from app.audit.services import record
from app.auth.models import User
from app.core.errors import ServiceError
from app.db import utcnow
from app.extensions import db
from app.jobs.models import CompetencyRequirement, JobDescriptionVersion, KpiTarget, Status
from app.org.models import Assignment, Department, Employee, EmployeeStatus, Position
from app.org.services import subtree_condition
from app.targets.services import position_targets

CHUNK = 1000  # reviews per insert batch (and per progress report)
BACKGROUND_ABOVE = 300  # launches of more reviews than this belong in a background job
MAX_CHAIN = 200  # a reporting line longer than this can only be a loop


@dataclass
class LaunchResult:
    created: int
    existing: int  # reviews the cycle already had (a second launch adds only the missing ones)
    without_jd: int
    without_reviewer: int
    stalled: int = 0  # reviews of the cycle that cannot move as things stand (see app.appraisals.services.reviewers)
    excluded: int = 0  # of ``created``, the reviews of employees HR excluded before the launch


def scope_department_ids(cycle: AppraisalCycle) -> list[int] | None:
    """Ids of the departments in scope, or None for the whole company."""
    if not cycle.departments:
        return None
    if not cycle.include_subdepartments:
        return [d.id for d in cycle.departments]
    condition = or_(*[subtree_condition(d) for d in cycle.departments])
    return list(db.session.scalars(select(Department.id).where(condition)))


def candidates(cycle: AppraisalCycle) -> list[tuple[int, int, int]]:
    """(employee id, position id, department id) of the active employees in scope whose primary
    assignment covers the whole period, by employee id (one per employee)."""
    query = (
        select(Assignment.employee_id, Assignment.position_id, Position.department_id)
        .join(Position, Position.id == Assignment.position_id)
        .join(Employee, Employee.id == Assignment.employee_id)
        .where(
            Assignment.is_primary.is_(True),
            Assignment.start_date <= cycle.start_date,
            or_(Assignment.end_date.is_(None), Assignment.end_date >= cycle.end_date),
            Employee.status != EmployeeStatus.LEFT.value,
        )
        .order_by(Assignment.employee_id, Assignment.start_date.desc())
    )
    departments = scope_department_ids(cycle)
    if departments is not None:
        query = query.where(Position.department_id.in_(departments))
    seen, rows = set(), []
    for employee_id, position_id, department_id in db.session.execute(query):
        if employee_id not in seen:
            seen.add(employee_id)
            rows.append((employee_id, position_id, department_id))
    return rows


def pending_reviews(cycle: AppraisalCycle) -> int:
    """How many reviews a launch of ``cycle`` would create now."""
    existing = set(db.session.scalars(select(Review.employee_id).where(Review.cycle_id == cycle.id)))
    return sum(1 for row in candidates(cycle) if row[0] not in existing)


class ReviewerFinder:
    """The reviewer of a position's holder: a holder of the position it reports to, walking up
    past vacant posts (and past the reviewee themselves), on ``day``. Two queries in all."""

    def __init__(self, day):
        self.superior = dict(db.session.execute(select(Position.id, Position.reports_to_id)).all())
        holders: dict[int, list[int]] = {}
        for position_id, employee_id in db.session.execute(
            select(Assignment.position_id, Assignment.employee_id)
            .join(Employee, Employee.id == Assignment.employee_id)
            .where(
                Assignment.start_date <= day,
                or_(Assignment.end_date.is_(None), Assignment.end_date >= day),
                Employee.status != EmployeeStatus.LEFT.value,
            )
            .order_by(Assignment.is_primary.desc(), Assignment.employee_id)
        ):
            holders.setdefault(position_id, []).append(employee_id)
        self.holders = holders

    def reviewer(self, employee_id: int, position_id: int) -> int | None:
        current = self.superior.get(position_id)
        for _step in range(MAX_CHAIN):
            if current is None:
                return None
            for holder in self.holders.get(current, ()):
                if holder != employee_id:
                    return holder
            current = self.superior.get(current)
        return None


def _snapshots(period: str) -> tuple[dict[int, int], dict[int, list[dict]], dict[int, list[dict]]]:
    """({position id: published version id}, {version id: KPI rows}, {version id: competency rows})."""
    versions = dict(
        db.session.execute(
            select(JobDescriptionVersion.position_id, JobDescriptionVersion.id).where(
                JobDescriptionVersion.status == Status.PUBLISHED.value
            )
        ).all()
    )
    published = select(JobDescriptionVersion.id).where(JobDescriptionVersion.status == Status.PUBLISHED.value)
    kpis: dict[int, list[dict]] = {}
    for row in db.session.execute(
        select(
            KpiTarget.version_id,
            KpiTarget.kpi_id,
            KpiTarget.target,
            KpiTarget.threshold,
            KpiTarget.stretch,
            KpiTarget.weight,
            KpiTarget.period,
            KpiTarget.kpi_code.label("code"),
            KpiTarget.kpi_name.label("name"),
            KpiTarget.kpi_unit.label("unit"),
            KpiTarget.kpi_direction.label("direction"),
        )
        .where(KpiTarget.version_id.in_(published), KpiTarget.period == period)
        .order_by(KpiTarget.version_id, KpiTarget.position)
    ):
        kpis.setdefault(row.version_id, []).append(
            {
                "kpi_id": row.kpi_id,
                "code": row.code,
                "name": row.name,
                "unit": row.unit or "",
                "direction": row.direction,
                "target": row.target,
                "threshold": row.threshold,
                "stretch": row.stretch,
                "weight": row.weight,
                "period": row.period,
            }
        )
    competencies: dict[int, list[dict]] = {}
    for row in db.session.execute(
        select(
            CompetencyRequirement.version_id,
            CompetencyRequirement.competency_id,
            CompetencyRequirement.level,
            CompetencyRequirement.competency_code.label("code"),
            CompetencyRequirement.competency_name.label("name"),
            CompetencyRequirement.competency_description.label("description"),
        )
        .where(CompetencyRequirement.version_id.in_(published))
        .order_by(CompetencyRequirement.version_id, CompetencyRequirement.position)
    ):
        competencies.setdefault(row.version_id, []).append(
            {
                "competency_id": row.competency_id,
                "code": row.code,
                "name": row.name,
                "description": row.description or "",
                "required_level": row.level,
            }
        )
    return versions, kpis, competencies


def _planned(target: dict, planned: dict) -> dict:
    """A job description's KPI row with the plan's target for its KPI, if any: threshold and
    stretch keep their proportion to the target."""
    value = planned.get(target["kpi_id"])
    if value is None:
        return target
    standing = target["target"]
    ratio = value / standing if standing else None

    def scaled(bound):
        return None if bound is None or ratio is None else (bound * ratio).quantize(Decimal("0.0001"))

    return {**target, "target": value, "threshold": scaled(target["threshold"]), "stretch": scaled(target["stretch"])}


class Overlap(ServiceError):
    """The launch would give people a second review for an overlapping period of the same
    template; ``people`` lists them: [{"employee_no", "name", "cycle"}…]."""

    status = 409

    def __init__(self, message: str, people: list[dict]):
        super().__init__(message, {"confirm_overlap": [message]})
        self.people = people


OVERLAP_LIST = 50  # people named in the refusal (the message gives the total)


def overlapping_people(cycle: AppraisalCycle, employee_ids: set[int]) -> list[dict]:
    """Of ``employee_ids``, those who already have a review (not excluded) in another launched
    cycle of the same template whose period overlaps ``cycle``'s: two queries."""
    others = (
        select(Review.employee_id, AppraisalCycle.name)
        .join(AppraisalCycle, AppraisalCycle.id == Review.cycle_id)
        .where(
            AppraisalCycle.id != cycle.id,
            AppraisalCycle.template_id == cycle.template_id,
            AppraisalCycle.status != CycleStatus.DRAFT.value,
            Review.excluded_at.is_(None),
            AppraisalCycle.start_date <= cycle.end_date,
            AppraisalCycle.end_date >= cycle.start_date,
        )
        .order_by(AppraisalCycle.start_date)
    )
    clashes: dict[int, str] = {}
    for employee_id, name in db.session.execute(others):
        if employee_id in employee_ids:
            clashes.setdefault(employee_id, name)
    if not clashes:
        return []
    rows = db.session.execute(
        select(Employee.id, Employee.employee_no, Employee.name)
        .where(Employee.id.in_(sorted(clashes)[:1000]))
        .order_by(Employee.employee_no)
    )
    people = [{"employee_no": r.employee_no, "name": r.name, "cycle": clashes[r.id]} for r in rows]
    return people + [{}] * (len(clashes) - len(people))  # counted, not named, past the first thousand


def check_overlaps(cycle: AppraisalCycle, confirm: bool, newcomers: set[int] | None = None) -> list[dict]:
    """Refuse (``Overlap``) a launch that would review someone twice for overlapping periods of
    the same template, unless HR confirms it; returns the people concerned. ``newcomers``: the
    employees the launch would review (found here when not given)."""
    if newcomers is None:
        existing = set(db.session.scalars(select(Review.employee_id).where(Review.cycle_id == cycle.id)))
        excluded = set(db.session.scalars(select(Exclusion.employee_id).where(Exclusion.cycle_id == cycle.id)))
        newcomers = {row[0] for row in candidates(cycle)} - existing - excluded
    people = overlapping_people(cycle, newcomers)
    if people and not confirm:
        named = [p for p in people if p][:OVERLAP_LIST]
        listed = "、".join(f"{p['name']} ({p['employee_no']}, {p['cycle']})" for p in named)
        more = len(people) - len(named)
        message = _(
            "%(num)d employee(s) already have a review of this template for an overlapping period: "
            "%(names)s. Exclude them, or confirm that they get a second review.",
            num=len(people),
            names=listed + (f" … +{more}" if more else ""),
        )
        raise Overlap(message, named)
    return people


def _with_login() -> set[int]:
    """Ids of the employees who have an active account to log in with."""
    return set(
        db.session.scalars(select(Employee.id).join(User, User.id == Employee.user_id).where(User.active.is_(True)))
    )


def launch_cycle(
    cycle: AppraisalCycle, progress: Callable[[int, int], None] | None = None, confirm_overlap: bool = False
) -> LaunchResult:
    """Launch ``cycle`` (or, when it is running, add the reviews still missing): one review per
    active employee in scope whose primary assignment covers the period, reviewed by the holder
    of the position above theirs (past vacancies), with the job description's KPI targets of the
    cycle's period, its competencies and the template's weights copied in. Launching twice
    creates nothing twice. Flushes; the caller commits.

    For more than ``BACKGROUND_ABOVE`` reviews the pages and the API run it as a background task
    (``app.appraisals.tasks``), passing ``progress``; it works the same synchronously."""
    if cycle.status == CycleStatus.CLOSED.value:
        raise ServiceError(_("This cycle is closed: nothing more can be launched."))
    existing = set(db.session.scalars(select(Review.employee_id).where(Review.cycle_id == cycle.id)))
    people = [row for row in candidates(cycle) if row[0] not in existing]
    exclusions = {e.employee_id: e for e in db.session.scalars(select(Exclusion).where(Exclusion.cycle_id == cycle.id))}
    check_overlaps(cycle, confirm_overlap, {row[0] for row in people} - set(exclusions))
    if cycle.is_draft:
        cycle.settings = frozen_settings(cycle.template)
        cycle.status, cycle.launched_at = CycleStatus.RUNNING.value, utcnow()
        db.session.flush()
    settings = cycle_settings(cycle)
    total = len(people)
    finder = ReviewerFinder(cycle.end_date)
    versions, kpis, competencies = _snapshots(targets_period(cycle))
    # Targets handed down by an approved plan for exactly the cycle's period replace the job
    # description's standing ones (threshold and stretch scaled with them); the review notes it.
    planned = position_targets({row[1] for row in people}, cycle.start_date, cycle.end_date)
    with_login = _with_login()
    mode = settings.get("self_review", SelfReviewMode.REQUIRED.value)
    now = utcnow()
    created = without_jd = without_reviewer = 0
    if progress:
        progress(0, total)
    for start in range(0, total, CHUNK):
        chunk = people[start : start + CHUNK]
        rows = []
        for employee_id, position_id, department_id in chunk:
            version_id = versions.get(position_id)
            reviewer_id = finder.reviewer(employee_id, position_id)
            notes = []
            if version_id is None:
                notes.append("no_jd")
                without_jd += 1
            else:
                if not kpis.get(version_id):
                    notes.append("no_kpis")
                if not competencies.get(version_id):
                    notes.append("no_competencies")
            if any(target["kpi_id"] in planned.get(position_id, {}) for target in kpis.get(version_id, ())):
                notes.append("plan_targets")
            if reviewer_id is None:
                notes.append("no_reviewer")
                without_reviewer += 1
            # The self-review is skipped when the template says so, or the employee cannot log in.
            skipped = (
                SelfReviewState.SKIPPED_TEMPLATE.value
                if mode == SelfReviewMode.SKIPPED.value
                else SelfReviewState.SKIPPED_NO_ACCOUNT.value
                if employee_id not in with_login
                else None
            )
            exclusion = exclusions.get(employee_id)
            rows.append(
                {
                    "cycle_id": cycle.id,
                    "employee_id": employee_id,
                    "position_id": position_id,
                    "department_id": department_id,
                    "reviewer_id": reviewer_id,
                    "jd_version_id": version_id,
                    "status": Step.MANAGER_REVIEW.value if skipped else Step.SELF_REVIEW.value,
                    "self_review_state": skipped,
                    "kpi_weight": settings["kpi_weight"],
                    "competency_weight": settings["competency_weight"],
                    "notes": notes,
                    "self_comment": "",
                    "manager_comment": "",
                    "calibration_reason": "",
                    "created_at": now,
                    "updated_at": now,
                    "excluded_at": now if exclusion else None,
                    "exclusion_reason": exclusion.reason if exclusion else None,
                    "exclusion_comment": exclusion.comment if exclusion else "",
                    "unscored_reason": "",
                    "version": 1,
                }
            )
        table = Review.__table__
        if bulk.is_postgresql():
            # Ids reserved first, then COPY: no RETURNING round trip, no statement to parse.
            for row, review_id in zip(rows, bulk.reserve_ids(table, len(rows))):
                row["id"] = review_id
            bulk.insert_rows(table, rows)
            ids = {row["employee_id"]: row["id"] for row in rows}
        else:
            # One multi-row statement per batch (the ORM would split rows by their None values);
            # RETURNING gives each new id with its employee, whatever the order.
            ids = dict(db.session.execute(insert(table).returning(table.c.employee_id, table.c.id), rows).all())
        kpi_rows, rating_rows = [], []
        for row in rows:
            review_id, version_id = ids[row["employee_id"]], row["jd_version_id"]
            for i, target in enumerate(kpis.get(version_id, ())):
                target = _planned(target, planned.get(row["position_id"], {}))
                kpi_rows.append(
                    {**target, "review_id": review_id, "position": i, "employee_comment": "", "manager_comment": ""}
                )
            for i, competency in enumerate(competencies.get(version_id, ())):
                rating_rows.append(
                    {
                        **competency,
                        "review_id": review_id,
                        "position": i,
                        "weight": 1,
                        "employee_comment": "",
                        "manager_comment": "",
                    }
                )
        bulk.insert_rows(KpiResult.__table__, kpi_rows)
        bulk.insert_rows(CompetencyRating.__table__, rating_rows)
        created += len(rows)
        if progress:
            progress(created, total)
    if created > BACKGROUND_ABOVE and db.engine.dialect.name == "postgresql":
        # A bulk load: refresh the planner's statistics now rather than at the next autovacuum,
        # so the results pages of the new cycle get good plans from the start.
        db.session.execute(text("ANALYZE appraisal_reviews, appraisal_kpi_results, appraisal_competency_ratings"))
    for exclusion in exclusions.values():  # now excluded reviews (restorable like any other)
        db.session.delete(exclusion)
    if exclusions:
        db.session.flush()
    if created:
        signals.reviews_launched.send(cycle, since=now)
        # One audit event for the whole launch: the rows were inserted in bulk, past the flush hook.
        record(
            "launch",
            "appraisal_cycles",
            cycle.id,
            {"reviews_created": created, "excluded": len(exclusions)},
            label=cycle.name,
        )
    stalled = (
        db.session.scalar(
            select(func.count())
            .select_from(Review)
            .where(Review.cycle_id == cycle.id, Review.excluded_at.is_(None), stalled_condition())
        )
        or 0
    )
    return LaunchResult(
        created=created,
        existing=len(existing),
        without_jd=without_jd,
        without_reviewer=without_reviewer,
        stalled=stalled,
        excluded=sum(1 for row in people if row[0] in exclusions),
    )
