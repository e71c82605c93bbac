"""Notifications on the generated company (200 departments, 2,000 positions, 10,000 employees with
an e-mail each, one in five with an account, half of those in Chinese; every position with a
published job description nobody has acknowledged yet). Prints:

- the notifications of a company-wide cycle launch (steps opened: inbox and mails), timed apart
  from the launch itself;
- the daily reminder run: one digest per person queued as notification and mail (target < 10 s);
- the outbox sending to a local SMTP server (aiosmtpd on 127.0.0.1): mails a second (target >= 20);
- the statements the bell adds to a page (target: 1).

    .venv/bin/python bench/bench_notifications.py [--postgresql]
"""

from __future__ import annotations

import socket
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import bindparam, event, func, insert, select, update  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from app import create_app  # noqa: E402
from app.appraisals import services as appraisals  # noqa: E402
from app.appraisals import signals as appraisal_signals  # noqa: E402
from app.appraisals.services import launch  # noqa: E402
from app.audit.services import acting_as  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.core.clock import frozen  # noqa: E402
from app.db import utcnow  # noqa: E402
from app.extensions import db  # noqa: E402
from app.notifications import delivery, reminders, subscribers  # noqa: E402
from app.notifications.models import Notification, OutboxMail  # noqa: E402
from app.org.models import Employee  # noqa: E402
from bench.database import upgrade  # noqa: E402
from bench.generate import generate, generate_job_descriptions  # noqa: E402
from bench.measure import on_engine, result, scaled  # noqa: E402

SEND = scaled(1000, 40)  # mails sent to the local SMTP server
PASSWORD = "Bench-Password-2026"
# 2026-11-18 09:00 in Shanghai: the cycle's self-reviews (due 11-20) are due within three days.
MORNING = datetime(2026, 11, 18, 1, 0, tzinfo=timezone.utc)


class Counter:
    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def build(url: str, instance: str):
    app = create_app(
        "test",
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "RATELIMIT_ENABLED": False,
            "BASE_URL": "https://rolebook.example.com",
        },
    )
    app.instance_path = instance
    with app.app_context():
        upgrade()
        with acting_as("bench"):
            generate()
            generate_job_descriptions(kpis=3)
            accounts()
            db.session.commit()
    return app


def accounts() -> None:
    """An account for every fifth employee (half of them reading Chinese), inserted in bulk."""
    hashed = generate_password_hash(PASSWORD, "scrypt:1024:8:1")
    now = utcnow()
    employees = db.session.execute(select(Employee.id, Employee.name).where(Employee.id % 5 == 0)).all()
    rows = [
        {
            "email": f"user{eid}@example.com",
            "name": name,
            "password_hash": hashed,
            "role": "hr" if i < 3 else "employee",
            "active": True,
            "locale": "zh_CN" if eid % 2 else "en",
            "must_change_password": False,
            "password_changed_at": now,
            "created_at": now,
            "version": 1,
        }
        for i, (eid, name) in enumerate(employees)
    ]
    db.session.execute(insert(User), rows)
    ids = dict(db.session.execute(select(User.email, User.id)).all())
    table = Employee.__table__
    db.session.execute(
        update(table).where(table.c.id == bindparam("eid")).values(user_id=bindparam("uid")),
        [{"eid": eid, "uid": ids[f"user{eid}@example.com"]} for eid, _name in employees],
    )


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def run(url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = url or f"sqlite:///{tmp}/bench.sqlite3"
        t0 = time.perf_counter()
        app = build(url, tmp)
        print(
            f"engine: {url.split(':')[0]}; company with accounts and job descriptions built in "
            f"{time.perf_counter() - t0:.1f} s"
        )
        with app.app_context(), acting_as("bench"), frozen(MORNING):
            cycle = appraisals.create_cycle(
                appraisals.CycleData(
                    name="2026-11",
                    period_type="monthly",
                    start_date=date(2026, 11, 1),
                    self_review_due=date(2026, 11, 20),
                    manager_review_due=date(2026, 11, 30),
                )
            )
            db.session.commit()

            # The launch itself (its own benchmark: bench_appraisals.py), then the notifications of
            # the steps it opened, timed apart (the subscriber runs in the launch's transaction).
            appraisal_signals.reviews_launched.disconnect(subscribers.on_reviews_launched)
            try:
                since = utcnow()
                launched, elapsed_launch = timed(lambda: launch.launch_cycle(cycle))
            finally:
                appraisal_signals.reviews_launched.connect(subscribers.on_reviews_launched)
            _none, elapsed = timed(lambda: (subscribers.on_reviews_launched(cycle, since=since), db.session.commit()))
            opened = count(Notification)
            mails = count(OutboxMail)
            result(
                "notifications: the steps a company-wide launch opened, notified",
                f"{elapsed:.2f} s",
                "< 10 s",
                elapsed < 10,
            )
            print(
                f"  {launched.created} reviews (launch alone {elapsed_launch:.2f} s), {opened} notifications "
                f"and {mails} mails of opened steps"
            )

            report, elapsed = timed(lambda: (reminders.run(), db.session.commit())[0])
            digests = count(Notification, Notification.kind == "digest")
            digest_mails = count(OutboxMail, OutboxMail.kind == "digest")
            result("notifications: daily reminder run (digests queued)", f"{elapsed:.2f} s", "< 10 s", elapsed < 10)
            print(
                f"  {report.digests} digests, {digest_mails} mails, {report.unreachable} unreachable; "
                f"{digests} digest notifications"
            )
            again, elapsed_again = timed(lambda: (reminders.run(), db.session.commit())[0])
            print(f"  the same day again: {again.digests} digests, {again.skipped} skipped, {elapsed_again:.2f} s")

            handler = Counter()
            port = free_port()
            controller = Controller(handler, hostname="127.0.0.1", port=port)
            controller.start()
            try:
                app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
                sent, elapsed = timed(lambda: delivery.deliver_due(limit=SEND))
            finally:
                controller.stop()
            rate = sent.sent / elapsed if elapsed else 0.0
            result(
                "notifications: outbox sending to a local SMTP server",
                f"{rate:.0f} mails/s",
                ">= 20 mails/s",
                rate >= 20 and handler.count == sent.sent == SEND,
            )
            print(f"  {sent.sent} mails in {elapsed:.2f} s, {handler.count} received")

        client = app.test_client()
        client.post("/login", data={"email": "user5@example.com", "password": PASSWORD})
        total, bell = bell_statements(app, client, "/tasks/")
        result("notifications: statements the bell adds to a page", f"{bell} of {total}", "<= 1", bell <= 1)


def bell_statements(app, client, url: str) -> tuple[int, int]:
    """The statements of one GET of ``url`` (warmed first), and those reading the notifications."""
    client.get(url)
    seen: list[str] = []

    def listener(conn, cursor, statement, *args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen), sum(1 for statement in seen if "FROM notifications" in statement)


def main() -> None:
    on_engine(run)


if __name__ == "__main__":
    main()
