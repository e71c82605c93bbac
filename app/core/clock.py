"""The one clock of the application: "now" in UTC and "today" in the company's time zone.

Timestamps are stored in UTC; the calendar day of a deadline, a printed document, an export's
file name or a headcount report is the day in the company's time zone (``ROLEBOOK_TIMEZONE``,
default Asia/Shanghai), so that every page, PDF and export agrees on what "today" is. Nothing
else in the application calls ``date.today()`` or ``datetime.now()``.

Tests fix the clock with ``frozen(moment)`` instead of patching the standard library.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date, datetime, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, has_app_context

DEFAULT_TIMEZONE = "Asia/Shanghai"

_fixed: datetime | None = None


def now() -> datetime:
    """The current moment, timezone-aware, in UTC."""
    if _fixed is not None:
        return _fixed
    return datetime.now(timezone.utc)


def zone() -> tzinfo:
    """The company's time zone (the configuration's TIMEZONE)."""
    name = current_app.config.get("TIMEZONE") if has_app_context() else None
    return zone_named(name or DEFAULT_TIMEZONE)


def zone_named(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(
            f"Unknown time zone {name!r} (ROLEBOOK_TIMEZONE): use an IANA name such as Asia/Shanghai"
        ) from error


def local(moment: datetime | None = None) -> datetime:
    """``moment`` (default: now) in the company's time zone; naive values are taken as UTC."""
    moment = now() if moment is None else moment
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone())


def today() -> date:
    """The calendar day in the company's time zone."""
    return local().date()


def local_day(moment: datetime | None) -> date | None:
    """The company-local calendar day of a stored (UTC) timestamp."""
    return None if moment is None else local(moment).date()


def local_text(moment: datetime | None) -> str:
    """A timestamp as plain local text for exports: "2026-12-07 07:30" (no UTC offset, no "T")."""
    return "" if moment is None else local(moment).strftime("%Y-%m-%d %H:%M")


def day_start(day: date) -> datetime:
    """The UTC moment at which the company-local ``day`` begins (for "since"/"until" filters)."""
    return datetime.combine(day, datetime.min.time(), zone()).astimezone(timezone.utc)


@contextlib.contextmanager
def frozen(moment: datetime) -> Iterator[None]:
    """Stop the clock at ``moment`` (aware; naive is read as UTC) for the duration (tests)."""
    global _fixed
    previous = _fixed
    _fixed = (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    try:
        yield
    finally:
        _fixed = previous
