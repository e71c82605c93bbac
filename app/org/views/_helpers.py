"""What the organisation's view modules share."""

from __future__ import annotations

from flask import request

from app.core.urls import parse_id
from app.extensions import db
from app.org.models import Department


def int_arg(name: str) -> int | None:
    """A whole number in the query string, None when missing or malformed. It may be out of any
    id's range: callers tell "malformed" (ignored) from "no such record" (404)."""
    try:
        return int(request.args.get(name, ""))
    except ValueError:
        return None


def department_arg(name: str = "department") -> Department | None:
    """The department named by a query argument; unknown or malformed ids are ignored."""
    department_id = parse_id(request.args.get(name))
    return db.session.get(Department, department_id) if department_id else None


def blank_choice(choices, label: str = "—"):
    return [("", label)] + list(choices)
