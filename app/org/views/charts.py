"""Org chart pages: the chart of the whole company or of a department's subtree, inline with
zoom and pan, and the same chart as an SVG file."""

from __future__ import annotations

from flask import abort, render_template, request, url_for

from app.auth.permissions import requires
from app.core.urls import MAX_ID
from app.org import chart as charts
from app.org import services
from app.org.access import can_view_org
from app.org.views import bp
from app.org.views._helpers import int_arg

COMPANY_DEPTH = charts.COMPANY_DEPTH
DEPTH_CHOICES = range(1, 7)


def _chart_args() -> tuple[int | None, int | None, str]:
    """(department id, depth, depth as chosen: "", "all" or a number). A malformed department
    is ignored, an unknown one is a 404; a malformed depth falls back to the default."""
    department_id = int_arg("department")
    if department_id is not None and not 0 < department_id <= MAX_ID:
        abort(404)
    choice = request.args.get("depth", "").strip().lower()
    if choice == "all":
        return department_id, None, choice
    depth = int_arg("depth")
    if depth is not None and 1 <= depth <= 50:
        return department_id, depth, str(depth)
    return department_id, (None if department_id else COMPANY_DEPTH), ""


def _position_link(position_id: int) -> str:
    return url_for("org.position_detail", position_id=position_id)


def _department_link(department_id: int) -> str:
    return url_for("org.chart", department=department_id)


@bp.route("/chart")
@requires(can_view_org)
def chart():
    department_id, depth, depth_choice = _chart_args()
    error = None
    try:
        chart, svg = charts.cached_page_chart(department_id, depth, _position_link, _department_link)
    except charts.ChartError as exc:  # dot missing or too slow: keep the toolbar, say why
        chart, svg, error = charts.build_chart(department_id, depth), "", exc.message
    return render_template(
        "org/chart.html",
        chart=chart,
        svg=svg,
        error=error,
        depth=depth,
        depth_choice=depth_choice,
        depth_choices=DEPTH_CHOICES,
        default_depth=None if department_id else COMPANY_DEPTH,
        department_choices=services.department_choices(),
    )


@bp.route("/chart.svg")
@requires(can_view_org)
def chart_svg():
    """The chart as a file, without links, so it can be reused in documents and slides."""
    department_id, depth, _choice = _chart_args()
    svg = charts.org_chart_svg(department_id, depth)
    name = f"org-chart-{department_id}.svg" if department_id else "org-chart.svg"
    response = charts.svg_response(svg)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
