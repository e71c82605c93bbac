"""The search results page (the top bar's box sends its query here)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from app.auth.permissions import requires
from app.org.access import can_view_org
from app.search import services

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.route("")
@requires(can_view_org)  # everyone logged in; each kind is then filtered by its domain's rules
def results():
    query, groups = services.search(current_user, request.args.get("q"))
    return render_template(
        "search/results.html", query=query, groups=groups, max_query=services.MAX_QUERY, max_terms=services.MAX_TERMS
    )
