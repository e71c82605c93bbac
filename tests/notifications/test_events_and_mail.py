"""Events notify the people concerned, in the same transaction; mails reach a real SMTP server
in the recipient's language with a link back; an outage loses nothing and sends nothing twice;
a refused address is kept apart; bad settings are explained to the admins."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select

from app.core.clock import frozen
from app.core.unit_of_work import unit_of_work
from app.db import utcnow
from app.extensions import db
from app.jobs import lint
from app.jobs import services as jobs
from app.notifications import delivery
from app.notifications import services as notifications
from app.notifications.models import Notification, OutboxMail, RefusedAddress
from tests import factories


def _inbox(user) -> list[Notification]:
    return list(
        db.session.scalars(select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))
    )


def _outbox(address: str) -> list[OutboxMail]:
    return list(db.session.scalars(select(OutboxMail).where(OutboxMail.to_address == address).order_by(OutboxMail.id)))


@pytest.fixture
def office(ctx):
    dept = factories.create_department("OPS", "运营部")
    boss = factories.create_position("OPS-MGR", dept, "Operations manager")
    clerk = factories.create_position("OPS-CLK", dept, "Clerk", reports_to=boss, headcount=3)
    hr = factories.create_user("hr", email="hr@example.com", name="Hannah HR")
    hr_zh = factories.create_user("hr", email="hr-zh@example.com", name="陈静", locale="zh_CN")
    manager = factories.create_user("manager", email="boss@example.com", name="Bo Boss")
    holder = factories.create_user("employee", email="clerk@example.com", name="Cleo Clerk")
    factories.create_employee("E1", "Bo Boss", position=boss, user=manager)
    factories.create_employee("E2", "Cleo Clerk", position=clerk, user=holder)
    factories.create_employee("E3", "Mail Only", position=clerk, email="mailonly@example.com")
    factories.create_employee("E4", "No Address", position=clerk)
    return dict(dept=dept, boss=boss, clerk=clerk, hr=hr, hr_zh=hr_zh, manager=manager, holder=holder)


def _draft(office, position="clerk"):
    version = jobs.start_draft(office[position], office["manager"], content=factories.jd_content("Clerk"))
    db.session.commit()
    return version


def test_a_submitted_job_description_notifies_hr_in_their_language_and_the_mails_arrive(office, smtp):
    version = _draft(office)
    jobs.submit(version, office["manager"])
    db.session.commit()
    assert [n.kind for n in _inbox(office["hr"])] == ["jd_submitted"]
    assert [n.kind for n in _inbox(office["hr_zh"])] == ["jd_submitted"]
    assert _inbox(office["manager"]) == []  # not the one who submitted
    report = delivery.deliver_due()
    assert report.sent == 2
    (english,) = smtp.inbox.to("hr@example.com")
    (chinese,) = smtp.inbox.to("hr-zh@example.com")
    assert english["subject"] == "[RoleBook] Job description submitted"
    assert "OPS-CLK Clerk: a job description was submitted for review by Bo Boss." in english["text"]
    link = f"https://rolebook.example.com/jobs/versions/{version.id}"
    assert link in english["text"] and f'href="{link}"' in english["html"]
    assert chinese["subject"] != english["subject"] and "提交" in chinese["subject"]
    assert "Bo Boss" in chinese["text"] and link in chinese["text"]
    assert chinese["message"]["Content-Language"] == "zh-CN"
    assert english["from"] == "rolebook@localhost"
    (sent,) = _outbox("hr@example.com")
    assert sent.status == "sent" and sent.body_text.split() == english["text"].split()  # kept as sent


def test_return_approval_and_publication_reach_the_submitter_and_the_holders(office, smtp):
    version = _draft(office)
    jobs.submit(version, office["manager"])
    jobs.return_for_changes(version, office["hr"], "Add <the> cash duties & sign")
    db.session.commit()
    (returned,) = _inbox(office["manager"])
    assert returned.kind == "jd_returned" and returned.params["comment"] == "Add <the> cash duties & sign"
    jobs.submit(version, office["manager"])
    for finding in lint.lint_version(version):
        jobs.waive(version, finding.key, "test", office["hr"])
    jobs.approve(version, office["hr"])
    jobs.publish(version, office["hr"], date(2026, 12, 1))
    db.session.commit()
    assert [n.kind for n in _inbox(office["manager"])] == ["jd_returned", "jd_approved", "jd_published"]
    assert [n.kind for n in _inbox(office["holder"])] == ["jd_published"]
    assert [m.kind for m in _outbox("mailonly@example.com")] == ["jd_published"]  # no account: mail only
    delivery.deliver_due()
    html = smtp.inbox.to("boss@example.com")[0]["html"]
    assert "Add &lt;the&gt; cash duties &amp; sign" in html  # user text escaped in the HTML part
    assert "Add <the> cash duties & sign" in smtp.inbox.to("boss@example.com")[0]["text"]
    published = smtp.inbox.to("clerk@example.com")[0]
    assert "applies from 2026-12-01. Read and acknowledge it." in published["text"]
    assert f"https://rolebook.example.com/jobs/positions/{office['clerk'].id}" in published["text"]


def test_a_change_that_is_rolled_back_leaves_no_notification_and_no_mail(office, smtp):
    version = _draft(office)
    with pytest.raises(RuntimeError), unit_of_work():
        jobs.submit(version, office["manager"])
        raise RuntimeError("the request failed after the service")
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMail)) == 0


def test_choosing_in_app_only_keeps_the_notification_and_drops_the_mail(office, smtp):
    notifications.set_preferences(office["hr"], ["jd_published", "review_steps"])  # not jd_workflow
    db.session.commit()
    jobs.submit(_draft(office), office["manager"])
    db.session.commit()
    assert [n.kind for n in _inbox(office["hr"])] == ["jd_submitted"]
    assert _outbox("hr@example.com") == []
    assert len(_outbox("hr-zh@example.com")) == 1


def test_an_outage_loses_nothing_and_sends_each_mail_exactly_once(office, smtp):
    version = _draft(office)
    jobs.submit(version, office["manager"])
    db.session.commit()
    smtp.stop()  # the server is down (connection refused)
    report = delivery.deliver_due()
    assert report.sent == 0 and report.error_code == "connect"
    mails = _outbox("hr@example.com") + _outbox("hr-zh@example.com")
    assert {(m.status, m.attempts, m.error_code) for m in mails} == {("queued", 1, "connect")}
    first_retry = mails[0].next_attempt_at
    assert first_retry > utcnow() + timedelta(seconds=20)
    assert delivery.deliver_due().sent == 0  # not due yet: nothing tried
    with frozen(utcnow() + timedelta(minutes=1)):
        assert delivery.deliver_due().error_code == "connect"  # still down: the wait doubles
    db.session.expire_all()
    again = db.session.get(OutboxMail, mails[0].id)
    assert again.attempts == 2 and again.next_attempt_at - first_retry > timedelta(seconds=50)
    smtp.start()  # back after ten minutes
    with frozen(utcnow() + timedelta(minutes=10)):
        assert delivery.deliver_due().sent == 2
        assert delivery.deliver_due().sent == 0
    assert len(smtp.inbox.mails) == 2
    assert len(smtp.inbox.to("hr@example.com")) == 1 and len(smtp.inbox.to("hr-zh@example.com")) == 1
    db.session.expire_all()
    assert {m.status for m in db.session.scalars(select(OutboxMail))} == {"sent"}


def test_two_senders_at_once_never_send_the_same_mail(office, smtp):
    for i in range(30):
        factories.create_user("hr", email=f"hr{i}@example.com")
    jobs.submit(_draft(office), office["manager"])
    db.session.commit()
    flask_app = current_app._get_current_object()
    reports = []

    def sender():
        with flask_app.app_context():
            reports.append(delivery.deliver_due())

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.sent for r in reports) == 32
    assert sorted(a for m in smtp.inbox.mails for a in m["to"]) == sorted(
        ["hr@example.com", "hr-zh@example.com"] + [f"hr{i}@example.com" for i in range(30)]
    )


def test_a_refused_address_is_marked_listed_and_not_mailed_again(office, smtp, app):
    smtp.inbox.refuse.add("hr-zh@example.com")
    jobs.submit(_draft(office), office["manager"])
    db.session.commit()
    report = delivery.deliver_due()
    assert (report.sent, report.refused) == (1, 1)
    (refused,) = _outbox("hr-zh@example.com")
    assert refused.status == "refused" and refused.last_error.startswith("550")
    assert db.session.scalar(select(RefusedAddress.address)) == "hr-zh@example.com"
    admin = factories.create_user("admin")
    page = factories.logged_in_client(app, admin).get("/admin/outbox").get_data(as_text=True)
    assert "Addresses refused by the mail server" in page and "hr-zh@example.com" in page
    version = _draft(office, "boss")
    jobs.submit(version, office["manager"])  # a second event: in the inbox, but no mail
    db.session.commit()
    assert len(_outbox("hr-zh@example.com")) == 1
    assert len(_inbox(office["hr_zh"])) == 2


def test_bad_smtp_settings_keep_the_mails_queued_and_tell_the_admin(office, smtp, app, data_app):
    jobs.submit(_draft(office), office["manager"])
    db.session.commit()
    wrong = smtp.port + 1 if smtp.port < 65000 else smtp.port - 1
    for a in (app, data_app):
        a.config["MAIL_PORT"] = wrong
    assert delivery.deliver_due().error_code == "connect"
    admin = factories.create_user("admin")
    client = factories.logged_in_client(app, admin)
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert "Mail cannot be sent right now." in page
    assert "check ROLEBOOK_MAIL_SERVER and ROLEBOOK_MAIL_PORT" in page
    checked = client.post("/admin/outbox/check", follow_redirects=True).get_data(as_text=True)
    assert "The mail server could not be reached" in checked
    assert {m.status for m in db.session.scalars(select(OutboxMail))} == {"queued"}
    for a in (app, data_app):
        a.config["MAIL_PORT"] = smtp.port
    assert "The mail server accepted the connection." in client.post(
        "/admin/outbox/check", follow_redirects=True
    ).get_data(as_text=True)
    with frozen(utcnow() + timedelta(minutes=5)):
        assert delivery.deliver_due().sent == 2


def test_without_a_mail_server_the_mails_stay_in_the_outbox_for_the_admins(office, app):
    assert not app.config["MAIL_SERVER"]
    jobs.submit(_draft(office), office["manager"])
    db.session.commit()
    assert delivery.deliver_due().sent == 0
    mail = _outbox("hr@example.com")[0]
    assert mail.status == "queued"
    admin = factories.create_user("admin")
    client = factories.logged_in_client(app, admin)
    listing = client.get("/admin/outbox").get_data(as_text=True)
    assert "No mail server is set (ROLEBOOK_MAIL_SERVER)" in listing
    shown = client.get(f"/admin/outbox/{mail.id}").get_data(as_text=True)
    assert "a job description was submitted for review by Bo Boss" in shown
    assert factories.logged_in_client(app, office["hr"]).get("/admin/outbox").status_code == 403


def test_a_failed_mail_is_sent_again_by_an_admin_and_audited(office, smtp, app):
    smtp.inbox.refuse.add("hr@example.com")
    jobs.submit(_draft(office), office["manager"])
    db.session.commit()
    delivery.deliver_due()
    mail = _outbox("hr@example.com")[0]
    assert mail.status == "refused"
    smtp.inbox.refuse.clear()
    admin = factories.create_user("admin")
    client = factories.logged_in_client(app, admin)
    assert client.post(f"/admin/outbox/{mail.id}/retry").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(RefusedAddress)) == 0
    assert delivery.deliver_due().sent == 1
    assert len(smtp.inbox.to("hr@example.com")) == 1
    from app.audit.models import AuditEvent

    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.entity == "outbox_mails")) == "send_again"


def test_a_mail_left_sending_by_a_dead_process_is_not_sent_twice_behind_anyones_back(office, smtp):
    jobs.submit(_draft(office), office["manager"])
    db.session.commit()
    mail = _outbox("hr@example.com")[0]
    mail.status, mail.claimed_at = "sending", utcnow() - timedelta(minutes=20)
    db.session.commit()
    delivery.deliver_due()
    db.session.expire_all()
    assert db.session.get(OutboxMail, mail.id).status == "failed"
    assert db.session.get(OutboxMail, mail.id).error_code == "interrupted"
    assert smtp.inbox.to("hr@example.com") == []


def test_a_malformed_sender_is_the_settings_fault_and_keeps_the_mails_queued(office, smtp, app, data_app):
    jobs.submit(_draft(office), office["manager"])
    db.session.commit()
    for a in (app, data_app):
        a.config["MAIL_DEFAULT_SENDER"] = "RoleBook <not an address>"
    try:
        report = delivery.deliver_due()
        assert report.error_code == "sender" and report.sent == 0
        assert {(m.status, m.error_code) for m in db.session.scalars(select(OutboxMail))} == {("queued", "sender")}
        assert db.session.scalar(select(func.count()).select_from(RefusedAddress)) == 0  # no recipient blamed
        admin = factories.create_user("admin")
        page = factories.logged_in_client(app, admin).get("/admin/outbox").get_data(as_text=True)
        assert "check ROLEBOOK_MAIL_SENDER" in page
    finally:
        for a in (app, data_app):
            a.config["MAIL_DEFAULT_SENDER"] = "RoleBook <rolebook@localhost>"
