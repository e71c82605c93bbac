"""The bell (one query), the notifications page (filter, mark read, mark all read, open), the
preferences on the account page, and GET /api/v1/notifications: each user sees only their own."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.notifications import services as notifications
from app.notifications.models import Notification, NotificationPreference
from tests import factories


def _notify(user, kind="jd_approved", position="OPS-CLK Clerk", link="/jobs/versions/1", **params):
    notifications.send([notifications.to_user(user, kind, {"position": position, **params}, link)])
    db.session.commit()


def test_the_bell_shows_the_unread_count_with_one_query(app, ctx, count_queries):
    user = factories.create_user("employee")
    client = factories.logged_in_client(app, user)
    page = client.get("/").get_data(as_text=True)
    assert 'data-testid="bell"' in page and 'data-testid="bell-count"' not in page
    for _ in range(3):
        _notify(user)
    with count_queries() as queries:
        page = client.get("/").get_data(as_text=True)
    assert re.search(r'data-testid="bell-count">3<', page)
    bell = [q for q in queries if "FROM notifications" in q]
    assert len(bell) == 1, bell


def test_the_notifications_page_filters_marks_read_and_opens_the_record(app, ctx):
    user, other = factories.create_user("employee"), factories.create_user("employee")
    _notify(user, "jd_approved", link="/jobs/review")
    _notify(user, "jd_returned", comment="Shorter <b>duties</b>")
    _notify(other, "jd_approved", position="SECRET")
    client = factories.logged_in_client(app, user)
    page = client.get("/notifications").get_data(as_text=True)
    assert page.count('data-testid="notification"') == 2 and "SECRET" not in page
    assert "Shorter &lt;b&gt;duties&lt;/b&gt;" in page
    assert "2 unread" in page
    only = client.get("/notifications?kind=jd_returned").get_data(as_text=True)
    assert only.count('data-testid="notification"') == 1 and "Shorter" in only
    approved = db.session.scalar(
        select(Notification).where(Notification.user_id == user.id, Notification.kind == "jd_approved")
    )
    opened = client.get(f"/notifications/{approved.id}/open")
    assert opened.status_code == 302 and opened.headers["Location"] == "/jobs/review"
    assert db.session.get(Notification, approved.id).read_at is not None
    unread = client.get("/notifications?state=unread").get_data(as_text=True)
    assert unread.count('data-testid="notification"') == 1
    theirs = db.session.scalar(select(Notification.id).where(Notification.user_id == other.id))
    assert client.get(f"/notifications/{theirs}/open").status_code == 404
    assert client.post(f"/notifications/{theirs}/read").status_code == 404
    assert client.post("/notifications/read-all").status_code == 302
    assert db.session.scalar(select(Notification.read_at).where(Notification.user_id == other.id)) is None
    assert all(n.read_at for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id)))
    assert 'data-testid="bell-count"' not in client.get("/notifications").get_data(as_text=True)


def test_a_notification_never_redirects_off_site(app, ctx):
    user = factories.create_user("employee")
    _notify(user, link="https://evil.example.com/")
    found = db.session.scalar(select(Notification.id))
    response = factories.logged_in_client(app, user).get(f"/notifications/{found}/open")
    assert response.headers["Location"] == "/"  # the home page, not the other site


def test_preferences_are_chosen_on_the_account_page_and_audited(app, ctx):
    user = factories.create_user("manager")
    client = factories.logged_in_client(app, user)
    page = client.get("/account").get_data(as_text=True)
    assert 'id="notifications"' in page and "Reminders: job descriptions still to acknowledge" in page
    form = {
        "jd_workflow": "app",
        "jd_published": "email",
        "review_steps": "email",
        "reminder_due": "app",
        "reminder_ack": "email",
        "reminder_drafts": "email",
    }
    response = client.post("/account/notifications", data=form, follow_redirects=True)
    assert "Your notification preferences are saved." in response.get_data(as_text=True)
    stored = {
        p.kind: p.email
        for p in db.session.scalars(select(NotificationPreference).where(NotificationPreference.user_id == user.id))
    }
    assert stored["jd_workflow"] is False and stored["reminder_due"] is False and stored["jd_published"] is True
    assert re.search(r'value="app"[^>]*checked|checked[^>]*value="app"', client.get("/account").get_data(as_text=True))
    bad = client.post("/account/notifications", data={**form, "jd_workflow": "pigeon"}, follow_redirects=True)
    assert "Choose e-mail or in the app for each kind of notification." in bad.get_data(as_text=True)
    from app.audit.models import AuditEvent

    assert db.session.scalar(select(AuditEvent.entity).where(AuditEvent.entity == "notification_preferences"))


def test_the_pages_speak_chinese(app, ctx):
    user = factories.create_user("hr", locale="zh_CN")
    _notify(user, "jd_published", day="2026-12-01")
    page = factories.logged_in_client(app, user).get("/notifications").get_data(as_text=True)
    assert "新的岗位说明书自 2026-12-01 起生效" in page and "全部标为已读" in page


def test_the_api_lists_my_notifications_only(app, ctx):
    user, other = factories.create_user("employee"), factories.create_user("employee")
    _notify(user, "jd_approved")
    _notify(user, "jd_returned", comment="More detail")
    _notify(other, "jd_approved", position="SECRET")
    client = factories.logged_in_client(app, user)
    body = client.get("/api/v1/notifications").get_json()
    assert body["total"] == 2 and body["unread"] == 2
    assert [item["kind"] for item in body["items"]] == ["jd_returned", "jd_approved"]
    assert body["items"][0]["text"] == "OPS-CLK Clerk: the job description was returned for changes: More detail"
    assert "SECRET" not in str(body)
    assert client.get("/api/v1/notifications?kind=jd_approved").get_json()["total"] == 1
    bad = client.get("/api/v1/notifications?kind=nonsense")
    assert bad.status_code == 422 and "kind" in bad.get_json()["errors"]
    assert app.test_client().get("/api/v1/notifications").status_code == 401
