from urllib.parse import urlsplit

from flask import request, url_for
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL; a larger one cannot exist


def parse_id(value) -> int | None:
    """A record id typed by someone: a whole number from 1 to MAX_ID, else None (so a crafted
    value is "not found", never an overflow in the database)."""
    text = str(value).strip() if value is not None else ""
    if not text.isascii() or not text.isdecimal():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdConverter(IntegerConverter):
    """``<int:…>`` in routes: ids beyond MAX_ID do not match (404) instead of overflowing the
    database column."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site (or a full URL of this host), else the home page."""
    if target:
        parts = urlsplit(target)
        if parts.netloc and parts.netloc != request.host:
            return url_for("core.home")
        path = parts.path + ("?" + parts.query if parts.query else "")
        if path.startswith("/") and not path.startswith("//") and "\\" not in path:
            return path
    return url_for("core.home")
