"""Who hears of what: the domains' signals turned into notifications, written in the same
transaction as the change (the domains send their signals after flushing; nothing commits here)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.appraisals import signals as appraisal_signals
from app.appraisals.models import AppraisalCycle, FeedbackNomination, Review, Step
from app.appraisals.services.feedback import due_date
from app.auth.models import Role, User
from app.extensions import db
from app.jobs import signals as job_signals
from app.notifications.mail import path_for
from app.notifications.services import people, send, to_employee, to_person, to_user
from app.org.models import Assignment, Employee
from app.org.services import current_filter
from app.tasks import signals as task_signals


def _position(version) -> str:
    position = version.position
    return f"{position.code} {position.title}".strip()


def _not_actor(users, by) -> list:
    actor_id = getattr(by, "id", None)
    return [user for user in users if user is not None and user.active and user.id != actor_id]


def hr_users() -> list[User]:
    """HR's accounts (the admins when there is no HR account): who reviews job descriptions."""
    users = list(
        db.session.scalars(select(User).where(User.role == Role.HR.value, User.active.is_(True)).order_by(User.id))
    )
    if not users:
        users = list(
            db.session.scalars(
                select(User).where(User.role == Role.ADMIN.value, User.active.is_(True)).order_by(User.id)
            )
        )
    return users


def on_submitted(version, by=None, **extra) -> None:
    link = path_for("jobs.version", version_id=version.id)
    params = {"position": _position(version), "by": getattr(by, "display_name", "") or "—"}
    send([to_user(user, "jd_submitted", params, link) for user in _not_actor(hr_users(), by)])


def on_returned(version, by=None, comment: str = "", **extra) -> None:
    link = path_for("jobs.version", version_id=version.id)
    params = {"position": _position(version), "comment": comment}
    send([to_user(user, "jd_returned", params, link) for user in _not_actor([version.submitted_by], by)])


def on_approved(version, by=None, **extra) -> None:
    link = path_for("jobs.version", version_id=version.id)
    send(
        [
            to_user(user, "jd_approved", {"position": _position(version)}, link)
            for user in _not_actor([version.submitted_by], by)
        ]
    )


def on_published(version, by=None, **extra) -> None:
    """The holders of the position are asked to acknowledge; whoever submitted it hears too."""
    link = path_for("jobs.position", position_id=version.position_id)
    params = {
        "position": _position(version),
        "day": version.effective_date.isoformat() if version.effective_date else "",
    }
    holders = (
        db.session.scalars(
            select(Employee)
            .join(Assignment, Assignment.employee_id == Employee.id)
            .where(Assignment.position_id == version.position_id, current_filter())
            .options(selectinload(Employee.user))
            .order_by(Employee.id)
        )
        .unique()
        .all()
    )
    actor_id = getattr(by, "id", None)
    outgoing = [
        to_employee(employee, "jd_published", params, link)
        for employee in holders
        if employee.user_id is None or employee.user_id != actor_id
    ]
    reached = {o.user.id for o in outgoing if o.user is not None}
    outgoing += [
        to_user(user, "jd_published", params, link)
        for user in _not_actor([version.submitted_by], by)
        if user.id not in reached
    ]
    send(outgoing)


STEP_KINDS = {
    Step.SELF_REVIEW.value: "review_self_review",
    Step.MANAGER_REVIEW.value: "review_manager_review",
    Step.FINALISED.value: "review_finalised",
}


def _review_outgoing(review: Review, step: str):
    kind = STEP_KINDS.get(step)
    person = review.reviewer if step == Step.MANAGER_REVIEW.value else review.employee
    if kind is None or person is None or review.excluded_at is not None:
        return None
    return to_employee(
        person,
        kind,
        {"cycle": review.cycle.name, "employee": review.employee.name},
        path_for("appraisals.review", review_id=review.id),
    )


def on_step_opened(review, step: str = "", **extra) -> None:
    found = _review_outgoing(review, step)
    if found is not None:
        send([found])


def on_band_calibrated(review, **extra) -> None:
    if review.reviewer is None:
        return
    send(
        [
            to_employee(
                review.reviewer,
                "band_calibrated",
                {
                    "cycle": review.cycle.name,
                    "employee": review.employee.name,
                    "old": review.band or "—",
                    "new": review.calibrated_band or review.band or "—",
                },
                path_for("appraisals.review", review_id=review.id),
            )
        ]
    )


def on_reviews_launched(cycle, since=None, **extra) -> None:
    """The first step of every review a launch created: the employees' self-reviews, and the
    reviewers' manager reviews where the self-review is skipped (columns, not ORM rows: a
    company-wide launch opens thousands)."""
    query = (
        select(Review.id, Review.status, Review.employee_id, Review.reviewer_id)
        .where(Review.cycle_id == cycle.id, Review.excluded_at.is_(None))
        .order_by(Review.id)
    )
    if since is not None:
        query = query.where(Review.created_at >= since)
    rows = db.session.execute(query).all()
    found = people({row.employee_id for row in rows} | {row.reviewer_id for row in rows if row.reviewer_id})
    outgoing = []
    for row in rows:
        kind = STEP_KINDS.get(row.status)
        person_id = row.reviewer_id if row.status == Step.MANAGER_REVIEW.value else row.employee_id
        if kind is None or person_id is None:
            continue
        outgoing.append(
            to_person(
                found[person_id],
                kind,
                {"cycle": cycle.name, "employee": found[row.employee_id].name},
                path_for("appraisals.review", review_id=row.id),
            )
        )
    send(outgoing)


def on_feedback_requested(sender, nomination_ids=(), **extra) -> None:
    """Each respondent of the 360° feedback requests just approved: what to answer, and by when."""
    if not nomination_ids:
        return
    rows = db.session.execute(
        select(FeedbackNomination.id, FeedbackNomination.respondent_id, Review.employee_id, Review.cycle_id)
        .join(Review, Review.id == FeedbackNomination.review_id)
        .where(FeedbackNomination.id.in_(list(nomination_ids)))
    ).all()
    cycles = {
        c.id: c
        for c in db.session.scalars(select(AppraisalCycle).where(AppraisalCycle.id.in_({row.cycle_id for row in rows})))
    }
    found = people({row.respondent_id for row in rows} | {row.employee_id for row in rows})
    outgoing = []
    for row in rows:
        due = due_date(cycles[row.cycle_id])
        outgoing.append(
            to_person(
                found[row.respondent_id],
                "feedback_requested",
                {
                    "cycle": cycles[row.cycle_id].name,
                    "employee": found[row.employee_id].name,
                    "day": due.isoformat() if due else "",
                },
                path_for("appraisals.feedback_form", nomination_id=row.id),
            )
        )
    send(outgoing)


def on_task_finished(task, **extra) -> None:
    """The owner of a finished background task (they may have left its page meanwhile)."""
    from app.tasks.services import kind_label

    owner = task.owner
    if owner is not None and owner.active:
        send(
            [
                to_user(
                    owner,
                    "task_finished",
                    {"title": task.title or kind_label(task.kind)},
                    path_for("tasks.detail", task_id=task.id),
                )
            ]
        )


def connect() -> None:
    """Subscribe (once per process: blinker keeps the receivers, weakly, so module functions)."""
    job_signals.submitted.connect(on_submitted)
    job_signals.returned.connect(on_returned)
    job_signals.approved.connect(on_approved)
    job_signals.published.connect(on_published)
    appraisal_signals.step_opened.connect(on_step_opened)
    appraisal_signals.band_calibrated.connect(on_band_calibrated)
    appraisal_signals.reviews_launched.connect(on_reviews_launched)
    appraisal_signals.feedback_requested.connect(on_feedback_requested)
    task_signals.finished.connect(on_task_finished)
