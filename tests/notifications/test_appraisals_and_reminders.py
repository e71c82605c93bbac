"""Appraisal steps notify whoever acts next; the daily reminder is one digest per person per day
at the company's hour; people with neither account nor e-mail are listed for HR; the reminders
on demand (bulk actions) reach each person once a day."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from app.appraisals.models import Review, Step
from app.appraisals.services import cycle_settings, flow
from app.core.clock import frozen
from app.core.unit_of_work import unit_of_work
from app.db import utcnow
from app.extensions import db
from app.jobs import services as jobs
from app.notifications import reminders
from app.notifications import services as notifications
from app.notifications.mail import bodies
from app.notifications.models import Notification, OutboxMail, ReminderDigest
from tests import factories
from tests.notifications.conftest import review_of

# 2026-11-18 08:30 in Shanghai: the self-reviews (due 11-20) are due within three days.
NOV_18_MORNING = datetime(2026, 11, 18, 0, 30, tzinfo=timezone.utc)


def _kinds(user) -> list[str]:
    return list(
        db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id).order_by(Notification.id))
    )


def test_a_launch_opens_the_first_step_for_each_person(cycle, shop):
    assert "review_self_review" in _kinds(shop.employee_user)  # 张伟 logs in: his self-review
    managed = [
        n
        for n in db.session.scalars(
            select(Notification).where(
                Notification.user_id == shop.manager_user.id, Notification.kind == "review_manager_review"
            )
        )
    ]
    names = {n.params["employee"] for n in managed}
    assert {"李娜", "孙丽"} <= names  # no account: the self-review is skipped, the reviewer acts
    assert managed[0].link.startswith("/appraisals/reviews/")


def test_each_step_notifies_whoever_acts_next(cycle, shop):
    from tests.appraisals.conftest import fill_manager, fill_self

    review = review_of(cycle, shop.zhang)
    fill_self(review)
    assert _kinds(shop.manager_user).count("review_manager_review") >= 1
    waiting = db.session.scalars(
        select(Notification).where(
            Notification.user_id == shop.manager_user.id, Notification.kind == "review_manager_review"
        )
    ).all()
    assert "张伟" in {n.params["employee"] for n in waiting}
    fill_manager(review)
    review = db.session.get(Review, review.id)
    other = next(b["band"] for b in cycle_settings(cycle)["bands"] if b["band"] != review.band)
    flow.calibrate(review, other, "Calibrated against the department", review.version, finalise=True)
    db.session.commit()
    (calibrated,) = db.session.scalars(
        select(Notification).where(Notification.user_id == shop.manager_user.id, Notification.kind == "band_calibrated")
    ).all()
    assert calibrated.params["new"] == other and calibrated.params["employee"] == "张伟"
    assert _kinds(shop.employee_user)[-1] == "review_finalised"


def test_the_daily_digest_is_one_per_person_per_day_and_lists_what_waits(cycle, shop, app):
    zhang_mail = shop.employee_user.email
    with frozen(NOV_18_MORNING):
        report = reminders.run()
        db.session.commit()
        assert report.unreachable >= 2  # 李娜 and 赵敏: no account, no e-mail
        digest = db.session.scalar(
            select(Notification).where(Notification.user_id == shop.employee_user.id, Notification.kind == "digest")
        )
        kinds = [item["kind"] for item in digest.params["items"]]
        assert "due_soon" in kinds and "ack_outstanding" in kinds
        (mail,) = db.session.scalars(
            select(OutboxMail).where(OutboxMail.to_address == zhang_mail, OutboxMail.kind == "digest")
        ).all()
        assert mail.subject == "[RoleBook] Your reminders for 2026-11-18"
        text, _html = bodies(mail)  # rendered by the sender; here as the outbox page shows it
        assert "is due on 2026-11-20" in text and "still to be acknowledged" in text
        again = reminders.run()
        db.session.commit()
        assert again.digests == 0 and again.skipped == report.digests
        assert (
            db.session.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.user_id == shop.employee_user.id, Notification.kind == "digest")
            )
            == 1
        )
        names = [p.name for p in reminders.unreachable_people()]
        assert "李娜" in names and "赵敏" in names
    hr_page = factories.logged_in_client(app, shop.hr_user).get("/notifications/unreachable")
    assert hr_page.status_code == 200
    assert factories.logged_in_client(app, shop.employee_user).get("/notifications/unreachable").status_code == 403


def test_overdue_steps_and_waiting_drafts_are_in_the_next_days_digest(cycle, shop):
    draft = jobs.start_draft(shop.art, shop.manager_user, content=factories.jd_content("美工"))
    jobs.submit(draft, shop.manager_user)
    draft.submitted_at = utcnow() - timedelta(days=30)
    db.session.commit()
    with frozen(NOV_18_MORNING + timedelta(days=4)):
        reminders.run()
        db.session.commit()
        digest = db.session.scalar(
            select(Notification).where(Notification.user_id == shop.employee_user.id, Notification.kind == "digest")
        )
        assert "overdue" in [item["kind"] for item in digest.params["items"]]
        hr_digest = db.session.scalar(
            select(Notification).where(Notification.user_id == shop.hr_user.id, Notification.kind == "digest")
        )
        assert {
            "kind": "drafts_waiting",
            "params": {"count": 1, "days": 7},
            "link": "/jobs/review",
        } in hr_digest.params["items"]


def test_a_person_who_wants_reminders_in_the_app_only_gets_no_mail(cycle, shop):
    notifications.set_preferences(shop.employee_user, ["jd_workflow", "jd_published", "review_steps"])
    db.session.commit()
    with frozen(NOV_18_MORNING):
        reminders.run()
        db.session.commit()
    assert "digest" in _kinds(shop.employee_user)
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(OutboxMail)
            .where(OutboxMail.to_address == shop.employee_user.email, OutboxMail.kind == "digest")
        )
        == 0
    )


def test_the_periodic_tick_runs_once_from_the_hour_in_the_company_time_zone(cycle, shop):
    seven = datetime(2026, 11, 17, 23, 59, tzinfo=timezone.utc)  # 07:59 in Shanghai
    with frozen(seven), unit_of_work():
        assert reminders.run_if_due() is None
    with frozen(seven + timedelta(minutes=1)), unit_of_work():
        assert reminders.run_if_due() is not None
    with frozen(seven + timedelta(hours=3)), unit_of_work():
        assert reminders.run_if_due() is None
    assert (
        db.session.scalar(
            select(func.count()).select_from(ReminderDigest).where(ReminderDigest.recipient == reminders.RUN_MARK)
        )
        == 1
    )


def test_reminders_on_demand_reach_each_person_once_a_day(cycle, shop):
    assignments = db.session.scalars(jobs.outstanding_acknowledgements()).all()
    first = notifications.remind_acknowledgement(assignments)
    db.session.commit()
    assert first.reminded == 1 and sorted(first.unreachable) == ["李娜", "赵敏"]
    assert _kinds(shop.employee_user).count("ack_requested") == 1
    second = notifications.remind_acknowledgement(assignments)
    db.session.commit()
    assert second.reminded == 0 and second.already_today == 1
    reviews = db.session.scalars(
        select(Review).where(Review.cycle_id == cycle.id, Review.status == Step.MANAGER_REVIEW.value)
    ).all()
    assert len(reviews) >= 2
    sent = notifications.remind_reviewers(reviews)
    db.session.commit()
    assert sent.reminded == 1  # 王强 reviews them all: one reminder
    assert _kinds(shop.manager_user).count("review_reminder") == 1
    assert notifications.remind_reviewers(reviews).already_today == 1


def test_the_owner_hears_when_background_work_is_finished(ctx):
    from app.tasks import services as tasks

    owner = factories.create_user("hr")
    tasks.HANDLERS["notify-test"] = tasks.Handler("notify-test", lambda params, owner: None, "Test work")
    try:
        task = factories.create_task(owner, kind="notify-test", title="Company manual")
        owner_id, task_id = owner.id, task.id
        tasks.run(task_id)  # (ends the session, as a consumer does)
    finally:
        tasks.HANDLERS.pop("notify-test")
    (finished,) = db.session.scalars(select(Notification).where(Notification.user_id == owner_id)).all()
    assert finished.kind == "task_finished" and finished.params == {"title": "Company manual"}
    assert finished.link == f"/tasks/{task_id}"


def test_the_owner_of_an_improvement_plan_is_reminded_of_a_check_in_due(cycle, shop):
    from datetime import date

    from app.appraisals.models import ImprovementPlan

    plan = ImprovementPlan(
        employee_id=shop.zhang.id,
        position_id=shop.ops.id,
        owner_id=shop.wang.id,
        start_date=date(2026, 11, 1),
        end_date=date(2027, 1, 31),
        objectives="转化率回升。",
        checkin_dates=["2026-11-10", "2026-11-20", "2026-12-20"],
    )
    db.session.add(plan)
    db.session.commit()
    with frozen(NOV_18_MORNING):
        reminders.run()
        db.session.commit()
    digest = db.session.scalar(
        select(Notification).where(Notification.user_id == shop.manager_user.id, Notification.kind == "digest")
    )
    items = [item for item in digest.params["items"] if item["kind"] == "plan_checkin_due"]
    assert [item["params"]["day"] for item in items] == ["2026-11-20"]  # the next one, within 3 days
    assert items[0]["params"]["employee"] == "张伟" and f"/appraisals/plans/{plan.id}" in items[0]["link"]
    plan.status = "successful"
    db.session.commit()
    with frozen(NOV_18_MORNING):
        pending, _unreachable = reminders.collect(date(2026, 11, 19))
    assert not any(item["kind"] == "plan_checkin_due" for entry in pending.values() for item in entry.items)
