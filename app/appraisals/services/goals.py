"""Individual goals of a review (issue 18): objectives with key results (a figure from a start
value to a target, or done / not done), due dates and weights, set by the employee or the
reviewer, agreed by the reviewer (or HR) at the start of the cycle (the weights must then add up
to 100), followed by check-ins with a comment, and scored as a section of the template.

A key result's progress is 100 × (current − start) / (target − start), kept within 0–100 (0
before any check-in), or 100 when done and 0 when not; a goal's progress is the mean of its key
results'; the goals section is the mean of the goals' progress weighted by their weights, once
the goals are agreed (before, the section is left out and the other weights rescaled)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.appraisals.models import Goal, GoalCheckIn, KeyResult, Review, Step
from app.appraisals.services.templates import GOALS_DEFAULTS, bounded_text, cycle_settings
from app.core.concurrency import check_version
from app.core.errors import NotFound, ServiceError
from app.core.numbers import NumberError, parse_number
from app.db import utcnow
from app.extensions import db

MAX_GOALS = 10
MAX_KEY_RESULTS = 5


def goals_settings(review: Review) -> dict:
    return {**GOALS_DEFAULTS, **(cycle_settings(review.cycle).get("goals") or {})}


def enabled(review: Review) -> bool:
    return bool(goals_settings(review)["enabled"]) and not review.cycle.is_draft


def list_goals(review: Review) -> list[Goal]:
    return list(
        db.session.scalars(
            select(Goal)
            .where(Goal.review_id == review.id)
            .options(selectinload(Goal.key_results), selectinload(Goal.check_ins))
            .order_by(Goal.position, Goal.id)
        )
    )


def get_goal(review: Review, goal_id: int) -> Goal:
    goal = db.session.get(Goal, goal_id)
    if goal is None or goal.review_id != review.id:
        raise NotFound(_("No such goal on this review."))
    return goal


# --- validation -------------------------------------------------------------------------------


@dataclass
class GoalData:
    title: str = ""
    weight: object = None
    due_date: date | None = None
    kpi_code: str | None = None
    key_results: list[dict] = field(default_factory=list)  # {name, start, target, due_date}


def _given(value) -> bool:
    return value is not None and str(value).strip() != ""


def _figure(value, errors: dict, path: str) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_number(value, required=True)
    except NumberError as error:
        errors.setdefault(path, []).append(error.message)
        return None


def _clean(review: Review, data: GoalData) -> dict:
    errors: dict[str, list[str]] = {}
    title = bounded_text(data.title, 200, errors, "title")
    if not title:
        errors.setdefault("title", []).append(_("Enter the objective."))
    weight = None
    try:
        weight = parse_number(data.weight, required=True, low=0, high=100, decimals=2, integer_digits=3)
    except NumberError as error:
        errors.setdefault("weight", []).append(error.message)
    codes = {r.code for r in review.kpi_results}
    kpi_code = (data.kpi_code or "").strip() or None
    if kpi_code is not None and kpi_code not in codes:
        errors.setdefault("kpi_code", []).append(_("Choose a KPI of this review's job description."))
    rows = [r for r in data.key_results if any(_given(r.get(k)) for k in ("name", "start", "target"))]
    if not rows:
        errors.setdefault("key_results", []).append(_("Give at least one key result."))
    if len(rows) > MAX_KEY_RESULTS:
        errors.setdefault("key_results", []).append(_("At most %(num)d key results.", num=MAX_KEY_RESULTS))
    results = []
    for i, row in enumerate(rows[:MAX_KEY_RESULTS]):
        name = bounded_text(row.get("name"), 200, errors, f"key_results.{i}.name")
        if not name:
            errors.setdefault(f"key_results.{i}.name", []).append(_("Name the key result."))
        start = _figure(row.get("start"), errors, f"key_results.{i}.start")
        target = _figure(row.get("target"), errors, f"key_results.{i}.target")
        given = [_given(row.get(k)) for k in ("start", "target")]
        if given[0] != given[1]:
            errors.setdefault(f"key_results.{i}.target", []).append(
                _("Give both a start value and a target, or neither (done / not done).")
            )
        elif start is not None and target is not None and start == target:
            errors.setdefault(f"key_results.{i}.target", []).append(_("The target must differ from the start value."))
        results.append({"name": name, "start": start, "target": target, "due_date": row.get("due_date")})
    if errors:
        raise ServiceError(
            _("The goal has %(num)d problem(s): see the marked fields.", num=sum(len(v) for v in errors.values())),
            errors,
        )
    return {"title": title, "weight": weight, "due_date": data.due_date, "kpi_code": kpi_code, "key_results": results}


def _require_editable(review: Review) -> None:
    if not enabled(review):
        raise ServiceError(_("This review's template has no individual goals."))
    if review.status == Step.FINALISED.value or review.excluded_at is not None:
        raise ServiceError(_("This review is finalised or removed: its goals no longer change."))
    if review.goals_agreed_at is not None:
        raise ServiceError(_("The goals are agreed: only check-ins may follow."))


def _apply(goal: Goal, clean: dict) -> None:
    goal.title, goal.weight, goal.due_date, goal.kpi_code = (
        clean["title"],
        clean["weight"],
        clean["due_date"],
        clean["kpi_code"],
    )
    goal.key_results = [
        KeyResult(
            position=i, name=r["name"], start=r["start"], target=r["target"], current=r["start"], due_date=r["due_date"]
        )
        for i, r in enumerate(clean["key_results"])
    ]


def create_goal(review: Review, data: GoalData) -> Goal:
    _require_editable(review)
    clean = _clean(review, data)
    count = len(list_goals(review))
    if count >= MAX_GOALS:
        raise ServiceError(_("At most %(num)d goals.", num=MAX_GOALS))
    goal = Goal(review_id=review.id, position=count)
    _apply(goal, clean)
    db.session.add(goal)
    db.session.flush()
    return goal


def update_goal(goal: Goal, data: GoalData, seen_version: int | None) -> None:
    check_version(goal, seen_version)
    _require_editable(goal.review)
    _apply(goal, _clean(goal.review, data))
    db.session.flush()


def delete_goal(goal: Goal, seen_version: int | None) -> None:
    check_version(goal, seen_version)
    _require_editable(goal.review)
    db.session.delete(goal)
    db.session.flush()


def agree(review: Review, seen_version: int | None) -> None:
    """The reviewer (or HR) agrees the goals: at least one, weights adding up to 100."""
    check_version(review, seen_version)
    _require_editable(review)
    goals = list_goals(review)
    if not goals:
        raise ServiceError.field("goals", _("Set at least one goal before agreeing."))
    total = sum((Decimal(g.weight) for g in goals), Decimal(0))
    if total != 100:
        raise ServiceError.field(
            "weight", _("The goals' weights must add up to 100 (now %(sum)s).", sum=format(total.normalize(), "f"))
        )
    review.goals_agreed_at = utcnow()
    db.session.flush()


def check_in(goal: Goal, values: list[dict], comment: str, actor_id: int | None, seen_version: int | None) -> None:
    """A check-in: the key results' current values (or done) and a comment; rescored at once."""
    from app.appraisals.services.reviews import score_review

    check_version(goal, seen_version)
    review = goal.review
    if review.goals_agreed_at is None:
        raise ServiceError(_("Check-ins begin once the goals are agreed."))
    if review.status == Step.FINALISED.value or review.excluded_at is not None:
        raise ServiceError(_("This review is finalised or removed: its goals no longer change."))
    errors: dict[str, list[str]] = {}
    text = bounded_text(comment, 2000, errors, "comment")
    if not text:
        errors.setdefault("comment", []).append(_("Say how the goal is going."))
    by_id = {r.id: r for r in goal.key_results}
    changes = []
    for i, value in enumerate(values):
        result = by_id.get(value.get("id"))
        if result is None:
            errors.setdefault(f"key_results.{i}.id", []).append(_("No such key result on this goal."))
            continue
        if result.is_binary:
            changes.append((result, None, bool(value.get("done"))))
        else:
            current = _figure(value.get("current"), errors, f"key_results.{i}.current")
            changes.append((result, current if current is not None else result.current, result.done))
    if errors:
        raise ServiceError(
            _("The check-in has %(num)d problem(s): see the marked fields.", num=sum(len(v) for v in errors.values())),
            errors,
        )
    for result, current, done in changes:
        result.current, result.done = current, done
    goal.check_ins.append(
        GoalCheckIn(
            comment=text,
            actor_id=actor_id,
            snapshot=[
                {"id": r.id, "current": None if r.current is None else format(Decimal(r.current), "f"), "done": r.done}
                for r in goal.key_results
            ],
        )
    )
    db.session.flush()
    score_review(review)
    db.session.flush()


# --- scores -----------------------------------------------------------------------------------


def key_result_progress(result: KeyResult) -> float:
    if result.is_binary:
        return 100.0 if result.done else 0.0
    if result.current is None or result.start is None or result.target == result.start:
        return 0.0
    ratio = (Decimal(result.current) - Decimal(result.start)) / (Decimal(result.target) - Decimal(result.start))
    return float(min(max(ratio, Decimal(0)), Decimal(1)) * 100)


def goal_progress(goal: Goal) -> float | None:
    results = goal.key_results
    return sum(key_result_progress(r) for r in results) / len(results) if results else None


def section_score(review: Review, settings: dict) -> float | None:
    """The goals section's score (None: no goals section, or the goals are not agreed yet)."""
    goals = settings.get("goals") or {}
    if not goals.get("enabled") or not float(goals.get("weight") or 0) or review.goals_agreed_at is None:
        return None
    pairs = [(goal_progress(g), float(g.weight or 0)) for g in list_goals(review)]
    pairs = [(p, w) for p, w in pairs if p is not None]
    total = sum(w for _p, w in pairs)
    if not pairs or total <= 0:
        return None
    return sum(p * w for p, w in pairs) / total
