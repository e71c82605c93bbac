"""Aligned appraisal periods: a monthly cycle starts on the first day of a month, a quarterly one
on the first day of a quarter, an annual one on the first day of the year, where quarters and
years are those of the fiscal year set by ``FISCAL_YEAR_START_MONTH`` (1: the calendar year). A
custom cycle takes any dates. A misaligned date is refused with the nearest valid periods."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from app.appraisals.models import PeriodType

MONTHS = {PeriodType.MONTHLY.value: 1, PeriodType.QUARTERLY.value: 3, PeriodType.ANNUAL.value: 12}


def fiscal_start_month() -> int:
    return int(current_app.config.get("FISCAL_YEAR_START_MONTH", 1))


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def period_end(period_type: str, start: date) -> date | None:
    """The last day of the month, quarter or year that starts on ``start`` (None for custom)."""
    months = MONTHS.get(period_type)
    if months is None:
        return None
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1])) - timedelta(days=1)


def period_start(period_type: str, day: date) -> date:
    """The first day of the month, quarter or (fiscal) year holding ``day``."""
    months = MONTHS[period_type]
    offset = (day.month - fiscal_start_month()) % months
    return _add_months(date(day.year, day.month, 1), -offset)


def is_aligned(period_type: str, start: date) -> bool:
    return period_type not in MONTHS or period_start(period_type, start) == start


def nearest_periods(period_type: str, day: date) -> list[tuple[date, date]]:
    """The period holding ``day`` and the one after it: (first day, last day) each."""
    first = period_start(period_type, day)
    periods = [(first, period_end(period_type, first))]
    try:
        following = _add_months(first, MONTHS[period_type])
        periods.append((following, period_end(period_type, following)))
    except ValueError:  # past the year 9999
        pass
    return periods


def _span(period: tuple[date, date]) -> str:
    return f"{format_date(period[0], 'medium')} – {format_date(period[1], 'medium')}"


def alignment_errors(period_type: str, start: date | None, end: date | None) -> dict[str, list[str]]:
    """Field errors for a start date off the period's boundaries, or an end date other than the
    period's last day; empty when the dates fit (or the period is custom)."""
    if start is None or period_type not in MONTHS:
        return {}
    try:
        if not is_aligned(period_type, start):
            choices = " · ".join(_span(p) for p in nearest_periods(period_type, start))
            message = {
                PeriodType.MONTHLY.value: _(
                    "A monthly cycle starts on the first day of a month. Nearest: %(periods)s. "
                    "Choose “Custom” for other dates.",
                    periods=choices,
                ),
                PeriodType.QUARTERLY.value: _(
                    "A quarterly cycle starts on the first day of a quarter. Nearest: "
                    "%(periods)s. Choose “Custom” for other dates.",
                    periods=choices,
                ),
                PeriodType.ANNUAL.value: _(
                    "An annual cycle starts on the first day of the (fiscal) year. Nearest: "
                    "%(periods)s. Choose “Custom” for other dates.",
                    periods=choices,
                ),
            }[period_type]
            return {"start_date": [message]}
        last = period_end(period_type, start)
    except (ValueError, OverflowError):
        return {"start_date": [_("Enter a start date before the year 9999.")]}
    if end is not None and end != last:
        return {
            "end_date": [
                _(
                    "This period ends on %(end)s: leave the end date empty, or choose “Custom” for other dates.",
                    end=format_date(last, "medium"),
                )
            ]
        }
    return {}
