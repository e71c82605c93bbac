"""Jinja filters for numbers in the user's locale."""
from __future__ import annotations

from flask_babel import format_decimal


def number(value, digits: int = 4) -> str:
    """1200000.0 → "1,200,000"; 0.985 → "0.985"; None → "—". Up to ``digits`` decimals, no
    trailing zeros, grouped the way the user's locale groups."""
    if value is None or value == "":
        return "—"
    try:
        value = float(value)
    except (TypeError, ValueError):
        return str(value)
    return format_decimal(round(value, digits), format="#,##0." + "#" * digits)


def register(app) -> None:
    app.jinja_env.filters["number"] = number
