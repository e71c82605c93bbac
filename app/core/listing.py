"""What every list page shares: sorting (``?sort=name`` or ``?sort=-name`` over a whitelist of
columns) and the page shown (``?page=``)."""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user
from sqlalchemy import func, select

from app.extensions import db

MAX_PAGE = 999_999_999  # no list has more pages; a bigger number would overflow OFFSET


def sort_query(query, sort: str | None, columns: dict, default: str):
    """``query`` ordered by the requested column (or ``default``), with the id as tiebreaker so
    pagination is stable. Returns the query and the sort key actually applied. A column given as
    None keeps the query's own order (e.g. positions head first), ascending only."""
    key = sort or default
    name = key.lstrip("-")
    if name not in columns:
        key, name = default, default.lstrip("-")
    column = columns[name]
    tiebreak = query.column_descriptions[0]["entity"].id
    if column is None:
        return query.order_by(tiebreak), name
    ordered = column.desc() if key.startswith("-") else column.asc()
    return query.order_by(None).order_by(ordered, tiebreak), key


def per_page() -> int:
    """Rows of a list page: ``?per_page=`` if it is one of PER_PAGE_CHOICES, else the size the
    user chose last (kept on the account when chosen: ``auth.services.set_per_page``), else PER_PAGE."""
    choices = current_app.config["PER_PAGE_CHOICES"]
    asked = request.args.get("per_page", "")
    if asked.isdecimal() and int(asked) in choices:
        return int(asked)
    chosen = getattr(current_user, "per_page", None)
    return chosen if chosen in choices else current_app.config["PER_PAGE"]


def page_of(query, counted=None):
    """The page of ``query`` that ``?page=`` asks for, ``per_page()`` rows. A page past the last
    one shows the last page (after deleting the only row of a last page, or following an old
    link), however large its number; a malformed, zero or negative one shows the first.
    ``counted``: the same rows without what only orders them (a join to a recursive ranking,
    say), counted instead of ``query`` so that the count does not pay for the order."""
    size = per_page()
    try:
        number = min(max(int(request.args.get("page", "1")), 1), MAX_PAGE)
    except ValueError:
        number = 1

    def paginate(page_number: int):
        if counted is None:
            return db.paginate(query, page=page_number, per_page=size, error_out=False)
        page = db.paginate(query, page=page_number, per_page=size, error_out=False, count=False)
        page.total = db.session.scalar(select(func.count()).select_from(counted.order_by(None).subquery()))
        return page

    page = paginate(number)
    if not page.items and page.page > 1 and page.total:
        page = paginate(page.pages)
    return page
