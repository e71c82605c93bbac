"""Demo appraisals for the seed organisation: a finished quarterly cycle (2026 Q3, closed, every
review finalised and most acknowledged) and a running monthly cycle (November 2026) at every
step, so the results and charts show something at once. Q3 was the pilot: only the positions
with a job description in force were appraised (the reviews the launch made for the others are
removed), so no finalised Q3 review is empty; in November a review without KPIs or competencies
(no job description) goes no further than the manager review. The demo employee (陈静) has her
self-review to do; the demo manager (王强) has manager reviews to do. Numbers are plausible and
deterministic (a performance factor per employee). Each cycle is created only when missing."""

from __future__ import annotations

import hashlib
import random
from datetime import date

from sqlalchemy import select

from app.appraisals import services
from app.appraisals.models import AppraisalCycle, ImprovementPlan, Review
from app.appraisals.services import flow, improvement, launch
from app.extensions import db
from app.org.models import Employee

QUARTER = dict(
    name="2026年第三季度考核 (2026 Q3)",
    period_type="quarterly",
    start=date(2026, 7, 1),
    self_due=date(2026, 10, 10),
    manager_due=date(2026, 10, 20),
)
MONTH = dict(
    name="2026年11月月度考核 (November 2026)",
    period_type="monthly",
    start=date(2026, 11, 1),
    self_due=date(2026, 11, 20),
    manager_due=date(2026, 12, 5),
)
DEMO_EMPLOYEE = "E0015"  # 陈静, employee@rolebook.demo: her self-review is to do
# November: where each review stands (employee number → step); the rest follow STAGES in turn.
NOVEMBER_STAGES = {
    DEMO_EMPLOYEE: "self_review",
    "E0010": "manager_review",
    "E0020": "manager_review",
    "E0023": "manager_review",  # 王强's to do
    "E0007": "manager_review",
    "E0025": "self_draft",
    "E0004": "finalised",
    "E0003": "manager_review",
}
STAGES = (
    "acknowledged",
    "finalised",
    "calibration",
    "manager_review",
    "acknowledged",
    "self_draft",
    "manager_review",
    "finalised",
    "self_review",
)
SELF_COMMENTS = (
    "本期按计划完成了主要工作，大促期间加班保障了发货和客服响应。",
    "部分指标未达标，主要是流量下滑，下期会加强推广和选品。",
    "积极配合团队完成任务，学习了生意参谋的数据分析方法。",
    "本期工作量较大，整体完成情况良好，希望得到更多培训机会。",
)
MANAGER_COMMENTS = (
    "工作认真负责，指标完成较好，继续保持。",
    "执行力强，但数据分析还需提高，建议参加内部培训。",
    "与团队协作良好，客户反馈积极。",
    "部分指标未达成，需要制定改进计划并每周跟进。",
)


def _rng(employee_no: str, salt: str) -> random.Random:
    seed = int(hashlib.sha256(f"{employee_no}:{salt}".encode()).hexdigest()[:12], 16)
    return random.Random(seed)


def _factor(employee_no: str) -> float:
    """The employee's steady level of performance: 0.9 to 1.15 of the targets (thresholds sit
    at about 75 % of the targets, so the weakest still score)."""
    return 0.9 + 0.25 * _rng(employee_no, "factor").random()


# Units of KPIs that count things (shops signed, visitors): whole numbers.
COUNT_UNITS = {"家", "访客", "人", "个", "件", "单"}
# Units of scores on a bounded scale (the shop's DSR, out of 5): its maximum.
SCALE_UNITS = {"分": 5.0}


def _actual(result, factor: float, rng: random.Random) -> float:
    ratio = factor * rng.uniform(0.93, 1.07)
    scale_max = SCALE_UNITS.get(result.unit)
    target = float(result.target)  # a Decimal: the demo's made-up figures need no exactness
    if scale_max is not None and target <= scale_max:
        # A rating out of 5 moves little around its target (4.8 → about 4.6 to 5), never past 5.
        ratio = 1 + (ratio - 1) / 4
    value = target * ratio if result.direction == "higher" else target / ratio
    if result.unit == "%" and target <= 100:
        value = min(value, 100.0)
    if scale_max is not None:
        value = min(value, scale_max)
    if abs(target) >= 1000:
        return round(value, -2)
    if result.unit in COUNT_UNITS:
        return float(max(round(value), 0))
    return round(value, 2 if abs(target) < 10 else 1)


def _rating(factor: float, required: int, rng: random.Random, scale_max: int) -> int:
    """Around 4 of 5 (exceeds expectations) for a steady performer, a level above the requirement
    at most for the best, lower for the weaker."""
    level = max(required, 3) + 0.7 + (factor - 0.98) * 6 + rng.choice((-0.5, 0, 0, 0.5))
    return int(min(max(round(level), 1), scale_max))


# The demo company's practice (on its standard template, before the cycles are launched): at
# most 20 % A and at least 5 % D, a bonus coefficient and a salary adjustment per band.
PRACTICE = {
    "A": {"guide_max": "20", "bonus": "1.5", "salary_raise": "8"},
    "B": {"guide_max": "50", "bonus": "1.2", "salary_raise": "5"},
    "C": {"bonus": "1", "salary_raise": "2"},
    "D": {"guide_min": "5", "bonus": "0.5", "salary_raise": "0"},
}


def _practice() -> None:
    """The guideline and rewards on the template the demo cycles use, when it has none yet."""
    template = services.default_template()
    data = services.template_data(template)
    if any(len(band) > 2 for band in data["bands"]):
        return
    data["bands"] = [{**band, **PRACTICE.get(band["band"], {})} for band in data["bands"]]
    services.update_template(template, data, template.version)


def _fill_a_plan() -> None:
    """The first improvement plan the Q3 results opened, filled in by its owner with a check-in."""
    plan = db.session.scalar(select(ImprovementPlan).order_by(ImprovementPlan.id).limit(1))
    if plan is None or plan.objectives:
        return
    improvement.update_plan(
        plan,
        improvement.PlanData(
            objectives="1. 店铺转化率恢复到 2.5% 以上；\n2. 每周完成一次竞品与活动复盘并提交报告；\n3. 客服响应时长控制在 30 秒以内。",
            support="主管每周一对一辅导；参加生意参谋数据分析内部培训；提供一名资深运营做搭档。",
            start_date=plan.start_date,
            end_date=plan.end_date,
            checkin_dates=[date.fromisoformat(d) for d in plan.checkin_dates],
        ),
        plan.version,
    )
    improvement.add_checkin(
        plan, plan.start_date, "已与员工确认改进目标和每周复盘安排，员工表示理解并认可。", plan.version
    )


def _outcome(score: float | None, probation: bool) -> str:
    if probation:
        return "probation_review"
    if score is None:
        return "no_action"
    if score >= 104:
        return "promotion_candidate"
    if score >= 95:
        return "reward"
    return "no_action" if score >= 75 else "improvement_plan"


def _advance(review: Review, stage: str, settings: dict, salt: str) -> None:
    """Take ``review`` to ``stage`` through the real services."""
    if stage == "self_review":
        return
    number = review.employee.employee_no
    factor, rng = _factor(number), _rng(number, salt)
    kpis = [{"id": r.id, "actual": _actual(r, factor, rng), "comment": ""} for r in review.kpi_results]
    ratings = [
        {"id": r.id, "rating": _rating(factor + 0.05, r.required_level, rng, settings["scale_max"]), "comment": ""}
        for r in review.ratings
    ]
    # Staff without an account start at the manager review (their self-review skipped): HR types
    # in the paper self-review they handed in, on their behalf.
    flow.save_self_review(
        review,
        flow.StepData(kpis=kpis, ratings=ratings, comment=rng.choice(SELF_COMMENTS)),
        review.version,
        submit=stage != "self_draft",
        on_behalf=review.self_review_state is not None,
    )
    if stage in ("self_draft", "manager_review"):
        return
    manager_ratings = [
        {"id": r.id, "rating": _rating(factor, r.required_level, rng, settings["scale_max"])} for r in review.ratings
    ]
    flow.save_manager_review(
        review, flow.StepData(ratings=manager_ratings, comment=rng.choice(MANAGER_COMMENTS)), review.version
    )
    flow.save_manager_review(
        review,
        flow.StepData(outcome=_outcome(review.final_score, review.employee.status == "probation")),
        review.version,
        submit=True,
    )
    if stage == "calibration":
        return
    band = None
    if review.band == "A" and rng.random() < 0.3:
        band = "B"  # HR keeps the share of A in line with the other departments
    flow.calibrate(
        review, band, "与公司整体分布校准：本期 A 档名额有限。" if band else "", review.version, finalise=True
    )
    if stage == "acknowledged":
        flow.acknowledge(review, review.version)


def _cycle(spec: dict) -> AppraisalCycle | None:
    """The cycle of ``spec``, created and launched now; None when it already exists."""
    if db.session.scalar(select(AppraisalCycle.id).where(AppraisalCycle.name == spec["name"])):
        return None
    cycle = services.create_cycle(
        services.CycleData(
            name=spec["name"],
            period_type=spec["period_type"],
            start_date=spec["start"],
            self_review_due=spec["self_due"],
            manager_review_due=spec["manager_due"],
        )
    )
    launch.launch_cycle(cycle)
    db.session.flush()
    return cycle


def _empty(review: Review) -> bool:
    """No KPI and no competency to rate (the position had no job description at the launch)."""
    return not review.kpi_results and not review.ratings


def _reviews(cycle: AppraisalCycle) -> list[Review]:
    ids = db.session.scalars(
        select(Review.id)
        .join(Employee, Employee.id == Review.employee_id)
        .where(Review.cycle_id == cycle.id)
        .order_by(Employee.employee_no)
    ).all()
    return [services.get_review(review_id) for review_id in ids]


def load_appraisals() -> int:
    """Both demo cycles (each only when missing); returns the number of reviews created."""
    created = 0
    _practice()
    quarter = _cycle(QUARTER)
    if quarter is not None:
        settings = services.cycle_settings(quarter)
        reviews = []
        for review in _reviews(quarter):
            if _empty(review):
                db.session.delete(review)  # the pilot appraised positions with a job description only
            else:
                reviews.append(review)
        db.session.flush()
        for i, review in enumerate(reviews):
            _advance(
                review,
                "finalised" if i % 5 == 3 or review.employee.employee_no == DEMO_EMPLOYEE else "acknowledged",
                settings,
                "q3",
            )
        services.close_cycle(quarter)
        _fill_a_plan()
        created += len(reviews)
    month = _cycle(MONTH)
    if month is not None:
        settings = services.cycle_settings(month)
        reviews = _reviews(month)
        for i, review in enumerate(reviews):
            number = review.employee.employee_no
            stage = NOVEMBER_STAGES.get(number, STAGES[i % len(STAGES)])
            if (review.reviewer_id is None or _empty(review)) and stage not in ("self_review", "self_draft"):
                # nobody above: waits for HR to name a reviewer; no job description: nothing to
                # score, the manager's written review is still to come
                stage = "manager_review"
            _advance(review, stage, settings, "2026-11")
        created += len(reviews)
    db.session.flush()
    return created
