"""A real SMTP server (aiosmtpd) on 127.0.0.1 that the outbox sends to, and the appraisal tests'
small shop for the events and reminders."""

from __future__ import annotations

import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller

from tests.appraisals.conftest import cycle, make_cycle, review_of, shop  # noqa: F401


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """What the server received: one entry per mail with its envelope and parsed message."""

    def __init__(self, refuse: set[str] | None = None):
        self.mails: list[dict] = []
        self.refuse = refuse if refuse is not None else set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.mails.append(
            {
                "to": list(envelope.rcpt_tos),
                "from": envelope.mail_from,
                "message": message,
                "subject": str(message["subject"]),
                "text": message.get_body(("plain",)).get_content(),
                "html": message.get_body(("html",)).get_content(),
            }
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[dict]:
        return [mail for mail in self.mails if address in mail["to"]]


class SmtpServer:
    def __init__(self, port: int):
        self.port, self.inbox, self.controller = port, Inbox(), None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, ready_timeout=5, timeout=5)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(app, data_app):
    """A running SMTP server, and both apps (the requests' and the test's) set to send to it."""
    server = SmtpServer(free_port())
    server.start()
    saved = [
        (a, {k: a.config.get(k) for k in ("MAIL_SERVER", "MAIL_PORT", "BASE_URL", "MAIL_TIMEOUT")})
        for a in (app, data_app)
    ]
    for a in (app, data_app):
        a.config.update(
            MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, BASE_URL="https://rolebook.example.com", MAIL_TIMEOUT=5
        )
    yield server
    server.stop()
    for a, values in saved:
        a.config.update(values)
        a.extensions["rolebook_tasks"].huey.flush()  # the sender's wake-ups (no consumer runs in tests)
