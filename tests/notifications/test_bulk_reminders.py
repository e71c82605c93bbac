"""Reminders as bulk actions: the selected employees reminded to acknowledge their job
description, the reviewers of the selected overdue reviews reminded; once a day per person, one
audit event, what happened shown, HR only."""

from __future__ import annotations

from sqlalchemy import select

from app.appraisals.models import Review, Step
from app.audit.models import AuditEvent
from app.extensions import db
from app.notifications.models import Notification
from tests.factories import logged_in_client


def _kinds(user) -> list[str]:
    return list(db.session.scalars(select(Notification.kind).where(Notification.user_id == user.id)))


def _select(client, key, ids=(), op="add", next_url="/"):
    return client.post(f"/bulk/{key}/select", data={"op": op, "id": [str(i) for i in ids], "next": next_url})


def test_hr_reminds_the_selected_employees_to_acknowledge(app, cycle, shop):
    hr = logged_in_client(app, shop.hr_user)
    page = hr.get("/org/employees").get_data(as_text=True)
    assert 'data-testid="bulk-check"' in page
    _select(hr, "org.employees", [shop.zhang.id, shop.li.id, shop.wang.id], next_url="/org/employees")
    assert 'data-testid="bulk-action-remind"' in hr.get("/org/employees").get_data(as_text=True)
    assert "Remind 3 employees" in hr.get("/bulk/org.employees/remind").get_data(as_text=True)
    done = hr.post("/bulk/org.employees/remind", data={"count": "3"}, follow_redirects=True)
    page = done.get_data(as_text=True)
    assert done.status_code == 200 and "1 reminded" in page and "李娜" in page  # 李娜: no account, no e-mail
    assert "1 selected had nothing to be reminded of" in page  # 王强: no job description
    assert _kinds(shop.employee_user).count("ack_requested") == 1
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "bulk", AuditEvent.entity == "employees"))
    _select(hr, "org.employees", [shop.zhang.id])
    again = hr.post("/bulk/org.employees/remind", data={"count": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "0 reminded; 1 already reminded today" in again
    assert _kinds(shop.employee_user).count("ack_requested") == 1


def test_hr_reminds_the_reviewers_of_overdue_reviews_once(app, cycle, shop):
    hr = logged_in_client(app, shop.hr_user)
    waiting = db.session.scalars(
        select(Review.id).where(Review.cycle_id == cycle.id, Review.status == Step.MANAGER_REVIEW.value)
    ).all()
    assert waiting
    page = hr.get("/appraisals/overdue").get_data(as_text=True)
    assert 'data-testid="bulk-check"' in page
    _select(hr, "appraisals.overdue", op="all", next_url="/appraisals/overdue")
    confirm = hr.get("/bulk/appraisals.overdue/remind").get_data(as_text=True)
    assert "Remind the reviewers of" in confirm
    count = confirm.split('name="count"')[1].split('value="')[1].split('"')[0]
    done = hr.post("/bulk/appraisals.overdue/remind", data={"count": count}, follow_redirects=True)
    assert done.status_code == 200 and "1 reminded" in done.get_data(as_text=True)  # 王强 reviews them all
    assert _kinds(shop.manager_user).count("review_reminder") == 1


def test_only_hr_reminds(app, cycle, shop):
    manager = logged_in_client(app, shop.manager_user)
    _select(manager, "org.employees", [shop.zhang.id])
    assert manager.get("/bulk/org.employees/remind").status_code == 403
    assert manager.post("/bulk/org.employees/remind", data={"count": "1"}).status_code == 403
    assert 'data-testid="bulk-check"' not in manager.get("/appraisals/overdue").get_data(as_text=True)
    assert _kinds(shop.employee_user).count("ack_requested") == 0
