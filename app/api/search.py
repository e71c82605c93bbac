"""Search across departments, positions, employees, job descriptions and KPIs, grouped by kind:
the same search as the top bar's box, the same access rules."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from app.api.common import Blueprint
from app.api.search_schemas import SearchArgs, SearchOut
from app.auth.permissions import requires
from app.org.access import can_view_org
from app.search import services

blp = Blueprint(
    "search_api",
    __name__,
    url_prefix="/api/v1/search",
    description="Search (搜索): one query over the organisation, job descriptions and KPIs.",
)


def _url(hit: services.Hit) -> str:
    if hit.kind == "department":
        return url_for("org.department_detail", department_id=hit.record_id)
    if hit.kind == "position":
        return url_for("org.position_detail", position_id=hit.record_id)
    if hit.kind == "employee":
        return url_for("org.employee_detail", employee_id=hit.record_id)
    if hit.kind == "job_description":
        return url_for("jobs.position", position_id=hit.position_id)
    return url_for("jobs.kpis", q=hit.detail)


@blp.route("")
@blp.response(200, SearchOut)
@requires(can_view_org)
@blp.arguments(SearchArgs, location="query")
def search(args):
    """Search

    Every word must match. Results the user may not see are left out, as on the pages.
    """
    return _answer(args)


@blp.route("", methods=["POST"])
@blp.response(200, SearchOut)
@requires(can_view_org)
@blp.arguments(SearchArgs)
def search_post(args):
    """Search, the query in the body

    The same search for a query too long for a URL (a pasted paragraph): only its first 200
    characters and 8 words are searched, and `truncated` says so.
    """
    return _answer(args)


def _answer(args) -> dict:
    kinds = tuple(args["kind"]) or services.KINDS  # an empty list in a body names no kind: every kind
    query, groups = services.search(current_user, args["q"], args["per_kind"], kinds)
    return {
        "query": query.text,
        "terms": query.terms,
        "truncated": query.truncated,
        "groups": [
            {
                "kind": group.kind,
                "label": group.label,
                "total": group.total,
                "items": [
                    {
                        "kind": hit.kind,
                        "id": hit.record_id,
                        "position_id": hit.position_id,
                        "title": hit.title,
                        "detail": hit.detail,
                        "archived": hit.archived,
                        "snippet": hit.snippet,
                        "title_html": str(hit.title_html),
                        "snippet_html": str(hit.snippet_html),
                        "url": _url(hit),
                    }
                    for hit in group.hits
                ],
            }
            for group in groups
        ],
    }
