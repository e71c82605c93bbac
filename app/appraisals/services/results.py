"""Results of a cycle (completion, band distribution, score histogram, departments), the export
of its reviews, an employee's history across cycles, and the plain-data documents that the PDF
renderer of app/documents turns into a filled-in appraisal form and a department's report.

Every function here runs a fixed number of queries whatever the size of the cycle: counts are
grouped in SQL, the histogram reads one column."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from app.appraisals.models import AppraisalCycle, CycleStatus, KpiResult, Review, Step, cycle_departments
from app.appraisals.services import scoring
from app.appraisals.services.cycles import targets_period
from app.appraisals.services.reviews import in_department, note_texts
from app.appraisals.services.templates import cycle_settings, level_label, outcome_label
from app.core import clock
from app.core.spreadsheets import Column, Sheet
from app.extensions import db
from app.org.models import Department, Employee, Position

BUCKET = 10  # histogram buckets of 10 points, 0–120
BUCKETS = 12


def _filtered(query, cycle_id: int, scope=None, department: Department | None = None):
    query = query.where(Review.cycle_id == cycle_id, Review.excluded_at.is_(None))  # excluded: counted nowhere
    if scope is not None:
        query = query.where(scope)
    if department is not None:
        query = query.where(in_department(department))
    return query


FINALISED = Review.status == Step.FINALISED.value


@dataclass
class Summary:
    """``bands``, ``histogram``, ``average`` and ``scored`` count finalised reviews only: a review
    in progress has a provisional score (from whatever was entered so far), never a result.
    ``provisional``: the reviews in progress that have such a score."""

    total: int
    by_step: dict[str, int]
    acknowledged: int
    overdue: int
    bands: list[tuple[str, int]]
    histogram: list[tuple[str, int]]
    average: float | None
    scored: int
    provisional: int = 0
    unscored: int = 0  # finalised without score (nothing to score; HR gave the reason): in no distribution

    @property
    def finalised(self) -> int:
        return self.by_step.get(Step.FINALISED.value, 0)

    @property
    def completion(self) -> float:
        return 100.0 * self.finalised / self.total if self.total else 0.0


def review_counts(cycle: AppraisalCycle, scope=None, department: Department | None = None) -> list:
    """The cycle's reviews (in ``scope``, in ``department``) counted by department and step:
    rows of (department_id, status, reviews, acknowledged, with a final score, the sum of those
    scores). One pass over the reviews, from which ``summary`` and ``by_department`` both count,
    instead of each reading every review again."""
    return db.session.execute(
        _filtered(
            select(
                Review.department_id,
                Review.status,
                func.count(),
                func.count(Review.acknowledged_at),
                func.count(Review.final_score),
                func.sum(Review.final_score),
            ),
            cycle.id,
            scope,
            department,
        ).group_by(
            Review.status, Review.department_id
        )  # the order of the index on (cycle, excluded, status, department)
    ).all()


def summary(
    cycle: AppraisalCycle,
    scope=None,
    department: Department | None = None,
    today: date | None = None,
    counts: list | None = None,
) -> Summary:
    """Completion by step, acknowledgements, overdue reviews, and of the finalised reviews the
    distribution of (calibrated) bands and the histogram of final scores: three queries, or two
    given ``counts`` (``review_counts``, shared with ``by_department``)."""
    today = today or clock.today()
    by_step = {step: 0 for step in Step.order()}
    acknowledged = provisional = unscored = 0
    if counts is None:
        counts = review_counts(cycle, scope, department)
    for _department_id, status, count, acks, scored_in_step, _score_sum in counts:
        by_step[status] = by_step.get(status, 0) + count
        acknowledged += acks
        if status != Step.FINALISED.value:
            provisional += scored_in_step
        else:
            unscored += count - scored_in_step
    # overdue: the reviews at a step whose deadline has passed (reviews.overdue_condition), counted
    # from the steps' counts: the deadlines are the cycle's
    overdue = 0
    if cycle.status == CycleStatus.RUNNING.value:
        for step, due in ((Step.SELF_REVIEW, cycle.self_review_due), (Step.MANAGER_REVIEW, cycle.manager_review_due)):
            if due is not None and due < today:
                overdue += by_step[step.value]
    effective = func.coalesce(Review.calibrated_band, Review.band)
    band_counts = dict(
        db.session.execute(
            _filtered(select(effective, func.count()), cycle.id, scope, department)
            .where(FINALISED, effective.is_not(None))
            .group_by(effective)
        ).all()
    )
    bands = [(b["band"], band_counts.get(b["band"], 0)) for b in cycle_settings(cycle)["bands"]]
    buckets = [0] * BUCKETS
    total_score, scored = 0.0, 0
    for (score,) in db.session.execute(
        _filtered(select(Review.final_score), cycle.id, scope, department).where(
            FINALISED, Review.final_score.is_not(None)
        )
    ):
        buckets[min(int(score // BUCKET), BUCKETS - 1)] += 1
        total_score += score
        scored += 1
    histogram = [(f"{i * BUCKET}–{(i + 1) * BUCKET}", n) for i, n in enumerate(buckets)]
    return Summary(
        total=sum(by_step.values()),
        by_step=by_step,
        acknowledged=acknowledged,
        overdue=overdue,
        bands=bands,
        histogram=histogram,
        average=total_score / scored if scored else None,
        scored=scored,
        provisional=provisional,
        unscored=unscored,
    )


def by_department(
    cycle: AppraisalCycle, scope=None, department: Department | None = None, counts: list | None = None
) -> list[dict]:
    """Per department (with its sub-departments rolled up): reviews, finalised, average final
    score of the finalised reviews. The breakdown starts at the department chosen, else at the
    cycle's own departments (the company's top when the cycle covers all of it), each with the
    departments one level below it, in the org chart's order. Three queries, or two given
    ``counts`` (``review_counts``, shared with ``summary``): the counts, the departments' paths,
    and the cycle's departments."""
    if counts is None:
        counts = review_counts(cycle, scope, department)
    per_department: dict[int, list] = {}
    for department_id, status, count, _acks, scored, score_sum in counts:
        entry = per_department.setdefault(department_id, [0, 0, None, 0])
        entry[0] += count
        if status == Step.FINALISED.value:
            entry[1] += count
            entry[2] = score_sum
            entry[3] = scored
    if not per_department:
        return []
    departments = {
        d.id: d for d in db.session.execute(select(Department.id, Department.name, Department.path, Department.depth))
    }
    if department is not None:
        starts = [departments[department.id]]
    else:
        chosen = [
            departments[i]
            for i in db.session.scalars(
                select(cycle_departments.c.department_id).where(cycle_departments.c.cycle_id == cycle.id)
            )
            if i in departments
        ]
        # the topmost of the cycle's departments (one chosen inside another is shown below it)
        starts = [d for d in chosen if not any(o.id != d.id and d.path.startswith(o.path) for o in chosen)]
    totals: dict[int, list[float]] = {}
    for department_id, (count, finalised, score_sum, scored) in per_department.items():
        path = departments[department_id].path if department_id in departments else f"/{department_id}/"
        start = next((s for s in starts if path.startswith(s.path)), None)
        ids = [int(p) for p in path.strip("/").split("/") if p]
        # rolled up to the start and to the one department below it on the way (when there is one);
        # a review outside every start (or every review, in a company-wide cycle) from the top down
        base = start.depth if start is not None else 0
        for ancestor in ids[base : base + 2]:
            entry = totals.setdefault(ancestor, [0, 0, 0.0, 0])
            entry[0] += count
            entry[1] += finalised
            entry[2] += score_sum or 0
            entry[3] += scored
    base_depth = {s.id: s.depth for s in starts}
    result = []
    for dep_id, (count, finalised, score_sum, scored) in totals.items():
        dep = departments.get(dep_id)
        if dep is None:
            continue
        start = next((s for s in starts if dep.path.startswith(s.path)), None)
        depth = dep.depth - (base_depth[start.id] if start is not None else 0)
        result.append(
            {
                "id": dep_id,
                "name": dep.name,
                "path": dep.path,
                "depth": depth,
                "reviews": count,
                "finalised": finalised,
                "average": float(score_sum) / scored if scored else None,
            }
        )
    result.sort(key=lambda r: r["path"])  # the org chart's and the department list's order (ORDER BY path)
    return result


# --- export -----------------------------------------------------------------------------------


def export_sheet(cycle: AppraisalCycle, scope=None, department: Department | None = None) -> Sheet:
    """Every review of the cycle (in scope) as one sheet, one row per review: who, the step, the
    scores and bands (with the 360° feedback and goals section scores when the cycle's template
    has those sections), then for every KPI of the cycle its target, actual and attainment (blank
    where the review has no such KPI). Three queries, streamed rows: the KPIs of the cycle, the
    reviews, and their KPI results in the same order."""
    settings = cycle_settings(cycle)
    sections = _export_sections(settings)
    reviewer = db.aliased(Employee)
    query = _filtered(
        select(
            Review.id,
            Employee.employee_no,
            Employee.name,
            Department.name.label("department"),
            Position.code,
            Position.title,
            reviewer.name.label("reviewer"),
            Review.status,
            Review.kpi_score,
            Review.competency_score,
            Review.feedback_score,
            Review.goals_score,
            Review.final_score,
            Review.band,
            Review.calibrated_band,
            Review.calibration_reason,
            Review.outcome,
            Review.finalised_at,
            Review.acknowledged_at,
            Review.unscored_reason,
        )
        .join(Employee, Employee.id == Review.employee_id)
        .join(Position, Position.id == Review.position_id)
        .join(Department, Department.id == Review.department_id)
        .outerjoin(reviewer, reviewer.id == Review.reviewer_id),
        cycle.id,
        scope,
        department,
    )
    query = query.order_by(Employee.employee_no, Review.id)
    in_scope = _filtered(select(Review.id), cycle.id, scope, department)
    kpis = db.session.execute(
        select(KpiResult.code, func.max(KpiResult.name), func.max(KpiResult.unit))
        .where(KpiResult.review_id.in_(in_scope))
        .group_by(KpiResult.code)
        .order_by(KpiResult.code)
    ).all()
    kpi_index = {code: i for i, (code, _name, _unit) in enumerate(kpis)}
    results_query = (
        select(KpiResult.review_id, KpiResult.code, KpiResult.target, KpiResult.actual, KpiResult.attainment)
        .join(Review, Review.id == KpiResult.review_id)
        .join(Employee, Employee.id == Review.employee_id)
        .where(KpiResult.review_id.in_(in_scope))
        .order_by(Employee.employee_no, Review.id, KpiResult.position, KpiResult.id)
    )
    steps = {step.value: step.label for step in Step}

    def rows():
        # the KPI results come in the reviews' own order: each review takes the run of its rows
        results = iter(db.session.execute(results_query))
        waiting = next(results, None)
        for r in db.session.execute(query):
            cells = [None] * (3 * len(kpis))
            while waiting is not None and waiting.review_id == r.id:
                i = 3 * kpi_index[waiting.code]
                cells[i : i + 3] = [waiting.target, waiting.actual, _round(waiting.attainment)]
                waiting = next(results, None)
            final = r.status == Step.FINALISED.value  # scores of a review in progress are provisional
            yield (
                r.employee_no,
                r.name,
                r.department,
                r.code,
                r.title,
                r.reviewer or "",
                steps[r.status],
                _round(r.kpi_score) if final else None,
                _round(r.competency_score) if final else None,
                *(_round(getattr(r, f"{name}_score")) if final else None for name, _header in sections),
                _round(r.final_score) if final else None,
                (r.band or "") if final else "",
                (r.calibrated_band or "") if final else "",
                r.calibration_reason or "",
                None if final else _round(r.final_score),
                "" if final else (r.band or ""),
                outcome_label(settings["outcomes"], r.outcome) if r.outcome else "",
                r.finalised_at,
                r.acknowledged_at,
                r.unscored_reason or "",
                *cells,
            )

    score = "0.0"
    kpi_columns = []
    for code, name, unit in kpis:
        label = f"{name} ({code})" + (f" [{unit}]" if unit else "")
        kpi_columns += [
            Column(_("%(kpi)s: target", kpi=label)),
            Column(_("%(kpi)s: actual", kpi=label)),
            Column(_("%(kpi)s: attainment %%", kpi=label), number_format=score),
        ]
    return Sheet(
        cycle.name,
        [
            Column(_("Employee number")),
            Column(_("Name")),
            Column(_("Department")),
            Column(_("Position code")),
            Column(_("Position")),
            Column(_("Reviewer")),
            Column(_("Step")),
            Column(_("KPI score"), number_format=score),
            Column(_("Competency score"), number_format=score),
            *(Column(header, number_format=score) for _name, header in sections),
            Column(_("Final score"), number_format=score),
            Column(_("Band")),
            Column(_("Calibrated band")),
            Column(_("Calibration reason")),
            Column(_("Provisional score (not finalised)"), number_format=score),
            Column(_("Provisional band (not finalised)")),
            Column(_("Outcome")),
            Column(_("Finalised")),
            Column(_("Acknowledged")),
            Column(_("Finalised without score: reason")),
            *kpi_columns,
        ],
        rows(),
    )


def _export_sections(settings: dict) -> list[tuple[str, str]]:
    """The optional sections of the cycle's template, each with a score column in the export:
    (name: the review's ``<name>_score``, header), in the order of the columns."""
    headers = (("feedback", _("Feedback score")), ("goals", _("Goals score")))
    return [(name, header) for name, header in headers if (settings.get(name) or {}).get("enabled")]


def _round(value: float | None) -> float | None:
    """Scores in exports: one decimal, like the pages."""
    return None if value is None else float(scoring.display(value))


# --- history ----------------------------------------------------------------------------------


def employee_history(employee_id: int, scope=None) -> list[Review]:
    """The employee's reviews across cycles, oldest first (two queries with their cycles)."""
    from sqlalchemy.orm import selectinload

    query = (
        select(Review)
        .join(AppraisalCycle, AppraisalCycle.id == Review.cycle_id)
        .where(Review.employee_id == employee_id, Review.excluded_at.is_(None))
        .options(selectinload(Review.cycle), selectinload(Review.position))
        .order_by(AppraisalCycle.start_date, AppraisalCycle.id)
    )
    if scope is not None:
        query = query.where(scope)
    return list(db.session.scalars(query))


# --- documents for the PDF renderer -----------------------------------------------------------


def review_document(review: Review) -> dict:
    """A filled-in appraisal form as plain data (no ORM objects), for
    ``app.documents.render_pdf("appraisals/review.html", review_document(review), lang)``.
    Needs the review loaded with ``services.get_review``; runs no query of its own."""
    from app.appraisals.services.flow import event_label
    from app.appraisals.services.reviews import compute

    cycle = review.cycle
    settings = cycle_settings(cycle)
    scores = compute(review, settings)
    return {
        "cycle": {
            "id": cycle.id,
            "name": cycle.name,
            "period_type": cycle.period_type,
            "start_date": cycle.start_date,
            "end_date": cycle.end_date,
            "targets_period": targets_period(cycle),
        },
        "review": {
            "id": review.id,
            "status": review.status,
            "step": review.step.label,
            "notes": note_texts(review),
            "self_comment": review.self_comment,
            "manager_comment": review.manager_comment,
            "outcome": outcome_label(settings["outcomes"], review.outcome) if review.outcome else None,
            "self_submitted_at": review.self_submitted_at,
            "manager_submitted_at": review.manager_submitted_at,
            "finalised_at": review.finalised_at,
            "acknowledged_at": review.acknowledged_at,
        },
        "employee": {"employee_no": review.employee.employee_no, "name": review.employee.name},
        "position": {"code": review.position.code, "title": review.position.title},
        "superior": {"code": review.position.reports_to.code, "title": review.position.reports_to.title}
        if review.position.reports_to is not None
        else None,
        "department": review.department.name,
        "reviewer": review.reviewer.name if review.reviewer else None,
        "reviewer_no": review.reviewer.employee_no if review.reviewer else None,
        "weights": {"kpi": review.kpi_weight, "competency": review.competency_weight},
        "kpis": [
            {
                "code": r.code,
                "name": r.name,
                "unit": r.unit,
                "direction": r.direction,
                "target": r.target,
                "threshold": r.threshold,
                "stretch": r.stretch,
                "weight": r.weight,
                "self_actual": r.self_actual,
                "actual": r.actual,
                "attainment": a.value,
                "attainment_display": scoring.display(a.value) if a.value is not None else None,
                "rule": a.rule,
                "employee_comment": r.employee_comment,
                "manager_comment": r.manager_comment,
            }
            for r, a in zip(review.kpi_results, scores.attainments)
        ],
        "competencies": [
            {
                "code": r.code,
                "name": r.name,
                "required_level": r.required_level,
                "weight": r.weight,
                "self_rating": r.self_rating,
                "manager_rating": r.manager_rating,
                "manager_rating_label": level_label(settings["scale"][r.manager_rating - 1])
                if r.manager_rating and r.manager_rating <= len(settings["scale"])
                else None,
                "employee_comment": r.employee_comment,
                "manager_comment": r.manager_comment,
            }
            for r in review.ratings
        ],
        "scale_max": settings["scale_max"],
        "scores": {
            "kpi": scores.kpi,
            "competency": scores.competency,
            "final": scores.final,
            "band": scores.band,
            "calibrated_band": review.calibrated_band,
            "provisional": not review.is_finalised,
            "calibration_reason": review.calibration_reason,
            "display": {
                "kpi": scoring.display(scores.kpi),
                "competency": scoring.display(scores.competency),
                "final": scoring.display(scores.final),
            },
        },
        "history": [
            {"action": event_label(e.action), "comment": e.comment, "by": e.actor_label, "at": e.at}
            for e in review.events
        ],
    }


def results_document(cycle: AppraisalCycle, department: Department | None = None, scope=None) -> dict:
    """A department's (or the whole cycle's) results as plain data, for
    ``app.documents.render_pdf("appraisals/results.html", results_document(cycle, department), lang)``:
    the summary, the departments below, and every review sorted by final score."""
    counts = review_counts(cycle, scope, department)
    result = summary(cycle, scope, department, counts=counts)
    reviewer = db.aliased(Employee)
    query = _filtered(
        select(
            Employee.employee_no,
            Employee.name,
            Position.title,
            Department.name.label("department"),
            reviewer.name.label("reviewer"),
            Review.status,
            Review.final_score,
            Review.band,
            Review.calibrated_band,
            Review.outcome,
        )
        .join(Employee, Employee.id == Review.employee_id)
        .join(Position, Position.id == Review.position_id)
        .join(Department, Department.id == Review.department_id)
        .outerjoin(reviewer, reviewer.id == Review.reviewer_id),
        cycle.id,
        scope,
        department,
    )
    settings = cycle_settings(cycle)
    steps = {step.value: step.label for step in Step}
    # The finalised reviews by final score, then those in progress (provisional scores) by score.
    order = (case((FINALISED, 0), else_=1), Review.final_score.desc().nulls_last(), Employee.employee_no)
    rows = [
        {
            "employee_no": r.employee_no,
            "name": r.name,
            "position": r.title,
            "department": r.department,
            "reviewer": r.reviewer,
            "step": steps[r.status],
            "final_score": r.final_score,
            "final_display": scoring.display(r.final_score),
            "band": r.band,
            "calibrated_band": r.calibrated_band,
            "provisional": r.status != Step.FINALISED.value,
            "outcome": outcome_label(settings["outcomes"], r.outcome) if r.outcome else None,
        }
        for r in db.session.execute(query.order_by(*order))
    ]
    departments = [
        {**d, "average_display": scoring.display(d["average"]) if d["average"] is not None else None}
        for d in by_department(cycle, scope, department, counts=counts)
    ]
    return {
        "cycle": {
            "id": cycle.id,
            "name": cycle.name,
            "start_date": cycle.start_date,
            "end_date": cycle.end_date,
            "status": cycle.status,
            "closed": cycle.status == CycleStatus.CLOSED.value,
        },
        "department": {"id": department.id, "name": department.name} if department is not None else None,
        "summary": {
            "total": result.total,
            "by_step": {steps[k]: v for k, v in result.by_step.items()},
            "finalised": result.finalised,
            "completion": result.completion,
            "acknowledged": result.acknowledged,
            "overdue": result.overdue,
            "average": result.average,
            "average_display": scoring.display(result.average),
            "scored": result.scored,
            "provisional": result.provisional,
            "unscored": result.unscored,
            "bands": result.bands,
            "histogram": result.histogram,
        },
        "departments": departments,
        "reviews": rows,
    }
