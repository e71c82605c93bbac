"""The organisation as a whole: the headcount report (编制表) and the org chart, with the
pages' data, scope and rules (everyone who sees the structure sees them)."""

from __future__ import annotations

from app.api.common import Blueprint, department_filter
from app.api.org_schemas import SVG, ChartArgs, HeadcountArgs, HeadcountOut
from app.auth.permissions import requires
from app.org import chart as charts
from app.org.access import can_view_org
from app.org.headcount import headcount_report

blp = Blueprint(
    "organisation",
    __name__,
    url_prefix="/api/v1",
    description="The headcount report (编制表) and the org chart of the company or a department's subtree.",
)


@blp.route("/headcount")
@blp.response(200, HeadcountOut)
@requires(can_view_org)
@blp.arguments(HeadcountArgs, location="query")
def headcount(args):
    """Read the headcount report

    Per department in tree order, each active position's authorised headcount against its
    current primary holders, with subtotals per department (`own`) and per subtree (`subtree`),
    as on the Headcount page; `department_id` limits it to that department and those below it.
    """
    return headcount_report(department_filter(args.get("department_id")))


@blp.route("/org-chart.svg")
@blp.response(200, SVG, content_type="image/svg+xml", description="The org chart as an SVG file.")
@requires(can_view_org)
@blp.arguments(ChartArgs, location="query")
def org_chart_svg(args):
    """Draw the org chart

    Positions laid out by Graphviz with holders, filled/authorised counts and vacancies, dotted
    lines dashed: the file of the chart page's download, reusable as it is in documents. 503 when
    Graphviz is missing or takes too long.
    """
    department = department_filter(args.get("department_id"))
    depth = args.get("depth")
    if depth is None:
        depth = None if department is not None else charts.COMPANY_DEPTH
    svg = charts.org_chart_svg(department.id if department is not None else None, depth or None)
    return charts.svg_response(svg)
