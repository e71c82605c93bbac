"""Context builders: database rows → the plain values a document template prints.

Everything a document shows comes from these dicts (strings, numbers, lists, dicts; dates as
ISO strings), never from ORM objects, so templates cannot trigger queries and the cache key
(``cache.document_key``) covers exactly what is printed. One builder per document type; the
appraisals work fills the same appraisal-form shape with results (see ``appraisal_form``).
"""

from __future__ import annotations

from collections import Counter

from flask import current_app

from app.appraisals.services.scoring import display
from app.jobs.content import version_document
from app.jobs.models import Status

# Which versions print with a diagonal mark across every page.
WATERMARKS = {
    Status.DRAFT.value: "draft",
    Status.IN_REVIEW.value: "draft",
    Status.APPROVED.value: "draft",
    Status.SUPERSEDED.value: "superseded",
}


def company_name() -> str:
    return current_app.config["COMPANY_NAME"]


def document_number(position_code: str, version_number: int | None) -> str:
    """A job description's document number: the position code and the version (EC-MGR-V3)."""
    return f"{position_code}-V{version_number}" if version_number else position_code


def _ref(position) -> dict | None:
    return {"code": position.code, "title": position.title} if position is not None else None


def position_header(position) -> dict:
    """The basic-information block of a position (needs its department, superior and
    subordinates loaded)."""
    return {
        "id": position.id,
        "code": position.code,
        "title": position.title,
        "department": position.department.name,
        "department_code": position.department.code,
        "superior": _ref(position.reports_to),
        "subordinates": [_ref(p) for p in position.subordinates if not p.is_archived],
        "headcount": position.headcount,
        "grade": position.grade or "",
    }


def job_description(version, position=None, document: dict | None = None) -> dict:
    """A version of a position's job description (content loaded, see jobs.services.get_version;
    or its ``version_document`` given)."""
    position = position or version.position
    document = dict(document) if document is not None else version_document(version)
    document["effective_date"] = version.effective_date.isoformat() if version.effective_date else None
    return {
        "company": company_name(),
        "document_no": document_number(position.code, version.number),
        "position": position_header(position),
        "jd": document,
        "watermark": WATERMARKS.get(version.status),
    }


def form_period(kpis: list[dict], period: str | None = None) -> str | None:
    """The period of KPI targets a blank appraisal form prints: ``period`` if the position has
    targets for it (else a ServiceError on ``period``), by default the most common period of its
    targets (ties: the shorter period). One period only, so that the weights total 100 %."""
    from flask_babel import gettext as _

    from app.core.errors import ServiceError
    from app.jobs.models import Period

    counts = Counter(kpi["period"] for kpi in kpis)
    if period:
        if period not in counts:
            raise ServiceError.field(
                "period",
                _(
                    "This position has no KPI targets for the period “%(period)s”.",
                    period=Period(period).label if period in Period.values() else period,
                ),
            )
        return period
    order = [member.value for member in Period]
    return min(counts, key=lambda p: (-counts[p], order.index(p) if p in order else len(order))) if counts else None


def appraisal_form(position, version=None, review: dict | None = None, period: str | None = None) -> dict:
    """The appraisal form of a position: its KPI targets and competencies from the job
    description in force (``version``), with a column per rating. Blank when ``review`` is None;
    the appraisals work passes ``{"employee": {...}, "reviewer": {...}, "period": str,
    "kpis": [{"actual", "attainment", "comment"}], "competencies": [{"self_rating",
    "manager_rating", "comment"}], "score", "band", "comments": {...}}`` to print a filled one
    (the lists in the order of the job description's). A blank form prints the KPI targets of one
    period (``form_period``); the other periods are named on it."""
    document = version_document(version) if version is not None else {"kpis": [], "competencies": [], "number": None}
    review = review or {}
    chosen = form_period(document["kpis"], period)
    kpis = [
        {**kpi, "actual": None, "attainment": None, "comment": ""}
        for kpi in document["kpis"]
        if kpi["period"] == chosen
    ]
    other_periods = sorted({kpi["period"] for kpi in document["kpis"]} - {chosen})
    competencies = [
        {**row, "self_rating": None, "manager_rating": None, "comment": ""} for row in document["competencies"]
    ]
    for row, filled in zip(kpis, review.get("kpis", [])):
        row.update(filled)
    for row, filled in zip(competencies, review.get("competencies", [])):
        row.update(filled)
    return {
        "company": company_name(),
        "document_no": f"{document_number(position.code, document['number'])}-PA"
        + (f"-{chosen}" if other_periods else ""),
        "position": position_header(position),
        "version_number": document["number"],
        "kpis": kpis,
        "kpi_period": chosen,
        "other_periods": other_periods,
        "competencies": competencies,
        "scale": list(range(1, 6)),
        "employee": review.get("employee", {}),
        "reviewer": review.get("reviewer", {}),
        "period": review.get("period", ""),
        "score": review.get("score"),
        "band": review.get("band", ""),
        "comments": review.get("comments", {}),
        "filled": bool(review),
    }


def _both_comments(row: dict) -> str:
    """The employee's and the manager's comment on a KPI or competency, one per line."""
    return "\n".join(c for c in (row["employee_comment"], row["manager_comment"]) if c)


def review_form(document: dict, feedback: dict | None = None, goals: dict | None = None) -> dict:
    """A filled-in appraisal form, from ``app.appraisals.services.results.review_document``: the review's
    own snapshot of KPI targets and competencies (not today's job description), the actuals,
    attainments, ratings, comments, score and band, in the blank form's shape; with the review's
    individual goals (``review_goals``) and 360° feedback (``review_feedback``) when its template
    has them (None: the form prints without those sections)."""
    cycle, review, scores = document["cycle"], document["review"], document["scores"]
    kpis = [
        {
            "name": k["name"],
            "unit": k["unit"],
            "period": cycle["targets_period"],
            "target": k["target"],
            "threshold": k["threshold"],
            "stretch": k["stretch"],
            "weight": k["weight"],
            "actual": k["actual"],
            "attainment": k["attainment_display"],  # rounded like the review page (scoring.display)
            "comment": _both_comments(k),
        }
        for k in document["kpis"]
    ]
    competencies = [
        {
            "name": c["name"],
            "level": c["required_level"],
            "self_rating": c["self_rating"],
            "manager_rating": c["manager_rating"],
            "comment": _both_comments(c),
        }
        for c in document["competencies"]
    ]
    return {
        "company": company_name(),
        "document_no": f"{document['position']['code']}-PA-{cycle['id']}-{review['id']}",
        "position": {
            "code": document["position"]["code"],
            "title": document["position"]["title"],
            "department": document["department"],
            "superior": document["superior"],
        },
        "version_number": None,
        "kpis": kpis,
        "competencies": competencies,
        "scale": list(range(1, document["scale_max"] + 1)),
        "employee": {"name": document["employee"]["name"], "number": document["employee"]["employee_no"]},
        "reviewer": {"name": document["reviewer"] or ""},
        "period": f"{cycle['name']} ({_iso(cycle['start_date'])} – {_iso(cycle['end_date'])})",
        "score": scores["display"]["final"],
        "band": scores["calibrated_band"] or scores["band"] or "",
        "computed_band": scores["band"]
        if scores["calibrated_band"] and scores["calibrated_band"] != scores["band"]
        else None,  # printed beside a calibrated band that differs
        "provisional": scores["provisional"],
        "comments": {
            "employee": review["self_comment"],
            "manager": review["manager_comment"],
            "hr": scores["calibration_reason"] or "",
        },
        "outcome": review["outcome"] or "",
        "goals": goals,
        "feedback": feedback,
        "filled": True,
    }


def _score(value: float | None) -> str | None:
    return display(value) if value is not None else None


def review_goals(review) -> dict | None:
    """A review's individual goals as printed (None when its template has none): each goal with
    its weight, due date, aligned KPI, progress, key results (start, target, current value or
    done, progress) and check-ins (day and comment, as the review page shows them), and the
    goals section's score (None until the goals are agreed)."""
    from app.appraisals.services import goals as goal_service
    from app.appraisals.services.templates import cycle_settings
    from app.core import clock

    if not goal_service.enabled(review):
        return None
    settings = cycle_settings(review.cycle)
    kpi_names = {k.code: k.name for k in review.kpi_results}
    return {
        "agreed_on": _iso(clock.local_day(review.goals_agreed_at)),
        "score": _score(goal_service.section_score(review, settings)),
        "weight": goal_service.goals_settings(review)["weight"],
        "goals": [
            {
                "title": goal.title,
                "weight": goal.weight,
                "due_date": _iso(goal.due_date),
                "kpi": kpi_names.get(goal.kpi_code, goal.kpi_code) if goal.kpi_code else "",
                "progress": _score(goal_service.goal_progress(goal)),
                "key_results": [
                    {
                        "name": result.name,
                        "binary": result.is_binary,
                        "start": result.start,
                        "target": result.target,
                        "current": result.current,
                        "done": result.done,
                        "progress": display(goal_service.key_result_progress(result)),
                    }
                    for result in goal.key_results
                ],
                "check_ins": [{"on": _iso(clock.local_day(c.at)), "comment": c.comment} for c in goal.check_ins],
            }
            for goal in goal_service.list_goals(review)
        ],
    }


def review_feedback(review) -> dict | None:
    """A review's 360° feedback as printed (None when its template has none): exactly what its
    page shows everybody (``feedback.view``: the answers only once the feedback is closed and,
    in an anonymous template, only when at least the minimum came in; means per competency and
    the comments sorted, never who wrote what), plus how many were asked. The names of a
    template that is not anonymous are left out too: a printed form travels further than a page."""
    from app.appraisals.models import NominationStatus
    from app.appraisals.services import feedback as feedback_service

    if not feedback_service.enabled(review):
        return None
    shown = feedback_service.view(review)
    asked = sum(1 for n in feedback_service.list_nominations(review) if n.status == NominationStatus.APPROVED.value)
    return {
        "state": shown.state,  # "open", "not_enough" or "released"
        "anonymous": shown.anonymous,
        "due": _iso(shown.due),
        "asked": asked,
        "answered": shown.responses,
        "min_responses": shown.min_responses,
        "score": _score(shown.score),
        "weight": feedback_service.feedback_settings(review.cycle)["weight"],
        "competencies": [
            {"name": c["name"], "mean": _score(c["mean"]), "count": c["count"]} for c in shown.competencies
        ],
        "questions": [{"question": q["question"], "answers": list(q["texts"])} for q in shown.comments],
    }


def appraisal_results(document: dict, charts: dict) -> dict:
    """A cycle's (or one department's) results, from ``app.appraisals.services.results.results_document``,
    with the charts as SVG text drawn from the same numbers."""
    cycle = document["cycle"]
    return {
        "company": company_name(),
        "document_no": f"PA-{cycle['id']}" + (f"-{document['department']['id']}" if document["department"] else ""),
        "cycle": {**cycle, "start_date": _iso(cycle["start_date"]), "end_date": _iso(cycle["end_date"])},
        "department": document["department"],
        "summary": document["summary"],
        "departments": document["departments"],
        "reviews": document["reviews"],
        "charts": charts,
    }


def _iso(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else (value or "")


def improvement_plan(plan) -> dict:
    """An improvement plan as plain values: who, the review it came from, what it asks, the
    support, the dates, the check-ins and how it ended."""
    review = plan.review
    return {
        "company": company_name(),
        "document_no": f"PIP-{plan.id}",
        "employee": {"name": plan.employee.name, "number": plan.employee.employee_no},
        "position": plan.position.title if plan.position else "",
        "owner": plan.owner.name if plan.owner else "",
        "review": {
            "cycle": review.cycle.name,
            "band": review.effective_band or "",
            "score": display(review.final_score) if review.final_score is not None else None,
        }
        if review is not None
        else None,
        "objectives": plan.objectives,
        "support": plan.support,
        "start_date": _iso(plan.start_date),
        "end_date": _iso(plan.end_date),
        "checkin_dates": list(plan.checkin_dates or []),
        "checkins": [{"on": _iso(c.held_on), "comment": c.comment, "by": c.author_label} for c in plan.checkins],
        "status": plan.status_enum.label,
        "closed": plan.is_closed,
        "closing_comment": plan.closing_comment,
    }
