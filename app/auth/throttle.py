"""Failed logins per account, counted in the database so that every server process (and every
machine) sees the same count: five failures allowed means five in all, however many processes
answer. No extra server is needed.

An attempt is written down *before* its password is checked, on a short transaction of its own,
and then counted: of attempts that arrive together, one that sees more rows than the limit
allows is refused without a password check, whichever process it reached. A successful login removes its
own row (only failures count); a refused attempt too (so that hammering a locked account does
not keep it locked). Rows older than the window go on every attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from limits import parse
from sqlalchemy import delete, func, insert, select

from app.auth.models import LoginFailure
from app.db import utcnow
from app.extensions import db

_table = LoginFailure.__table__


@dataclass(frozen=True)
class Attempt:
    row_id: int | None  # None: refused, nothing kept
    wait_seconds: int = 0  # when refused: how long until an attempt is allowed again


def _limit():
    item = parse(current_app.config["LOGIN_LIMIT_PER_ACCOUNT"])
    return item.amount, timedelta(seconds=item.get_expiry())


def begin(account: str) -> Attempt:
    """Write down an attempt for ``account`` (a normalised e-mail); refused if the account has
    had its allowance of failures within the window."""
    amount, window = _limit()
    now = utcnow()
    since = now - window
    with db.engine.begin() as connection:
        connection.execute(delete(_table).where(_table.c.created_at < since))
        row_id = connection.execute(insert(_table).values(account=account, created_at=now)).inserted_primary_key[0]
    with db.engine.begin() as connection:
        # Every attempt of the window, this one included, whether or not its check is over. Of N
        # attempts arriving together, the k-th to commit its row sees at least k rows: no more
        # than ``amount`` of them go through, in whatever process they run.
        count, oldest = connection.execute(
            select(func.count(), func.min(_table.c.created_at)).where(
                _table.c.account == account, _table.c.created_at >= since
            )
        ).one()
        if count > amount:
            connection.execute(delete(_table).where(_table.c.id == row_id))
            wait = window - (now - oldest) if oldest is not None else window
            return Attempt(None, max(60, int(wait.total_seconds())))
    return Attempt(row_id)


def succeeded(attempt: Attempt) -> None:
    """The password was right: this attempt is no failure (gone with the login's commit)."""
    if attempt.row_id is not None:
        db.session.execute(delete(_table).where(_table.c.id == attempt.row_id))


def failures(account: str) -> int:
    """Failures of ``account`` within the window (for tests and the command line)."""
    _amount, window = _limit()
    return db.session.scalar(
        select(func.count())
        .select_from(_table)
        .where(_table.c.account == account, _table.c.created_at >= utcnow() - window)
    )
