"""Jinja filters for numbers: ``number`` for reading (grouped the user's way), ``plain`` for the
value of an input (every digit, never grouped: what was typed is what is sent back)."""

from __future__ import annotations

from app.core.numbers import grouped, plain


def number(value, digits: int = 4) -> str:
    """1200000 → "1,200,000"; 0.985 → "0.985"; 99999999999999.9999 in full; None → "—". Every
    stored decimal (up to ``digits``), no trailing zeros, grouped the way the user's locale
    groups. For reading only (pages, PDFs): an input's value is ``plain``."""
    return grouped(value, digits)


def register(app) -> None:
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["plain"] = plain
