"""The whole way: a page's action commits, the queue's consumer (huey, a real thread) sends the
mail to the SMTP server; the request itself never talks to SMTP."""

from __future__ import annotations

import time

from sqlalchemy import select

from app.extensions import db
from app.jobs import services as jobs
from app.notifications.models import OutboxMail
from tests import factories


def test_a_page_action_queues_the_mail_and_the_consumer_sends_it(app, ctx, smtp):
    dept = factories.create_department("OPS", "运营部")
    clerk = factories.create_position("OPS-CLK", dept, "Clerk")
    factories.create_user("hr", email="hr@example.com")
    manager = factories.create_user("manager")
    version = jobs.start_draft(clerk, manager, content=factories.jd_content("Clerk"))
    db.session.commit()
    admin = factories.create_user("admin")
    client = factories.logged_in_client(app, admin)
    queue = app.extensions["rolebook_tasks"]
    queue.huey.flush()
    smtp.stop()  # the request must not care whether SMTP answers
    started = time.monotonic()
    response = client.post(f"/jobs/versions/{version.id}/submit", data={"version": version.version})
    assert response.status_code == 302 and time.monotonic() - started < 5
    mail = db.session.scalar(select(OutboxMail).where(OutboxMail.to_address == "hr@example.com"))
    assert mail.status == "queued" and queue.pending() == 1  # the sender's wake-up, after the commit
    smtp.start()
    queue.start_consumer(workers=1)
    try:
        deadline = time.monotonic() + 30
        while not smtp.inbox.to("hr@example.com") and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        queue.stop_consumer()
    assert len(smtp.inbox.to("hr@example.com")) == 1
    db.session.expire_all()
    assert db.session.get(OutboxMail, mail.id).status == "sent"
