"""Sorting for list pages: ``?sort=name`` or ``?sort=-name`` over a whitelist of columns."""
from __future__ import annotations


def sort_query(query, sort: str | None, columns: dict, default: str):
    """``query`` ordered by the requested column (or ``default``), with the id as tiebreaker so
    pagination is stable. Returns the query and the sort key actually applied."""
    key = sort or default
    name = key.lstrip("-")
    if name not in columns:
        key, name = default, default.lstrip("-")
    column = columns[name]
    ordered = column.desc() if key.startswith("-") else column.asc()
    tiebreak = query.column_descriptions[0]["entity"].id
    return query.order_by(None).order_by(ordered, tiebreak), key
