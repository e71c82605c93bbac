"""Demo 360° feedback (issue 18): a December 2026 pilot cycle for the department of the demo
manager (王强) with an anonymous feedback template, launched ten days before the demo is
loaded so that its feedback deadline (seven days) has passed: most reviews show their
aggregated feedback, the first one has too few answers ("not enough responses"), and a few
respondents without an account never answered (HR's list). Answers go through the real service,
typed in for the pilot's paper questionnaires. The first reviews also have individual goals,
agreed by the reviewer, with a check-in each. Created only when missing."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from app.appraisals import services
from app.appraisals.models import AppraisalCycle, AppraisalTemplate, Review
from app.appraisals.services import feedback, launch
from app.appraisals.services.templates import default_settings
from app.core import clock
from app.extensions import db
from app.org.models import Employee

TEMPLATE = "试点：360° 反馈与个人目标 (360° feedback and goals pilot)"  # sorts after "Standard", the default
CYCLE = "2026年12月 360° 反馈试点 (December 2026 360° pilot)"
MANAGER = "E0003"  # 王强, manager@rolebook.demo
QUESTIONS = ["他/她最应该继续保持的做法是什么？", "他/她最需要改进的一点是什么？"]
KEEP = (
    "主动分享大促复盘经验，带动了团队。",
    "对客户问题响应及时，耐心细致。",
    "数据分析扎实，周报清楚易懂。",
    "跨部门沟通顺畅，协调仓储很有办法。",
    "做事有计划，交付准时。",
)
IMPROVE = (
    "可以更早暴露风险，不要等到最后一天。",
    "会议发言可以更简洁。",
    "多给新同事一些指导。",
    "文档整理还可以更规范。",
    "",
)


def _template() -> AppraisalTemplate:
    template = db.session.scalar(select(AppraisalTemplate).where(AppraisalTemplate.name == TEMPLATE))
    if template is None:
        template = services.create_template(
            {
                **default_settings(),
                "name": TEMPLATE,
                "kpi_weight": 50,
                "competency_weight": 15,
                "feedback": {
                    "enabled": True,
                    "anonymous": True,
                    "min_respondents": 3,
                    "max_respondents": 6,
                    "min_responses": 3,
                    "days": 7,
                    "questions": QUESTIONS,
                    "weight": 20,
                },
                "goals": {"enabled": True, "weight": 15},
            }
        )
    return template


def load_feedback() -> int:
    """The pilot cycle with its feedback; returns the number of reviews created."""
    if db.session.scalar(select(AppraisalCycle.id).where(AppraisalCycle.name == CYCLE)):
        return 0
    manager = db.session.scalar(select(Employee).where(Employee.employee_no == MANAGER))
    if manager is None or not manager.assignments:
        return 0
    department = manager.assignments[0].position.department
    launched = clock.now() - timedelta(days=10)
    with clock.frozen(launched):
        cycle = services.create_cycle(
            services.CycleData(
                name=CYCLE,
                period_type="monthly",
                start_date=date(2026, 12, 1),
                template_id=_template().id,
                department_ids=[department.id],
                manager_review_due=date(2026, 12, 31),
            )
        )
        launch.launch_cycle(cycle)
        db.session.flush()
    reviews = list(
        db.session.scalars(
            select(Review)
            .join(Employee, Employee.id == Review.employee_id)
            .where(Review.cycle_id == cycle.id)
            .order_by(Employee.employee_no)
        )
    )
    people = [r.employee for r in reviews]
    rng = random.Random(360)
    with clock.frozen(launched + timedelta(days=2)):
        for i, review in enumerate(reviews):
            colleagues = [p for p in people if p.id not in (review.employee_id, review.reviewer_id)]
            if review.reviewer_id is None or len(colleagues) < 3:
                continue
            chosen = rng.sample(colleagues, min(len(colleagues), 4))
            for person in chosen:
                feedback.nominate(review, person, "peer", "reviewer")
            answering = chosen[:2] if i == 0 else chosen[: 3 + i % 2]  # the first: too few answers
            codes = [r.code for r in review.ratings]
            for nomination in feedback.list_nominations(review):
                if nomination.respondent not in answering:
                    continue
                feedback.answer(
                    nomination,
                    {code: rng.choice((3, 4, 4, 5)) for code in codes},
                    [rng.choice(KEEP), rng.choice(IMPROVE)],
                )
        for review in reviews[:4]:
            _goals(review)
    db.session.flush()
    return len(reviews)


GOALS = (
    ("提升店铺转化率", 60, [("转化率（%）", "2.5", "3.2")], "转化率已提升到 2.8%，详情页改版见效。"),
    ("完成新人带教", 40, [("带教两名新同事上岗", None, None)], "第一位新同事已独立上岗。"),
)


def _goals(review: Review) -> None:
    """Two agreed goals with a check-in each (the clock stands two days after the launch)."""
    from app.appraisals.services import goals

    made = [
        goals.create_goal(
            review,
            goals.GoalData(
                title=title,
                weight=weight,
                key_results=[{"name": name, "start": start, "target": target} for name, start, target in results],
            ),
        )
        for title, weight, results, _comment in GOALS
    ]
    goals.agree(review, review.version)
    for goal, (_title, _weight, _results, comment) in zip(made, GOALS):
        values = [{"id": r.id, "current": "2.8", "done": False} for r in goal.key_results]
        goals.check_in(goal, values, comment, None, goal.version)
