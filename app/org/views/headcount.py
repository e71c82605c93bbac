"""The headcount report (编制表): a page and its XLSX download, for the whole company or one
department's subtree. Everyone who sees the structure may see it (no personal data in it)."""

from __future__ import annotations

from flask import abort, current_app, render_template, request
from flask_babel import gettext as _

from app.auth.permissions import requires
from app.core.spreadsheets import xlsx_response
from app.core.urls import MAX_ID
from app.extensions import db
from app.org import services
from app.org.access import can_view_org
from app.org.headcount import headcount_report, headcount_sheets
from app.org.models import Department
from app.org.views import bp
from app.org.views._helpers import int_arg


def _department_filter() -> Department | None:
    """``?department=<id>``: None when absent, blank or not an integer; 404 when no such department."""
    if not request.args.get("department", "").strip():
        return None
    department_id = int_arg("department")
    if department_id is None:
        return None
    department = db.session.get(Department, department_id) if 0 < department_id <= MAX_ID else None
    if department is None:
        abort(404)
    return department


@bp.route("/headcount")
@requires(can_view_org)
def headcount():
    department = _department_filter()
    return render_template(
        "org/headcount.html",
        report=headcount_report(department),
        department=department,
        department_choices=services.department_choices(),
    )


@bp.route("/headcount.xlsx")
@requires(can_view_org)
def headcount_xlsx():
    department = _department_filter()
    report = headcount_report(department)
    scope = department.name if department is not None else current_app.config["COMPANY_NAME"]
    filename = f"{_('Headcount plan')}-{scope}-{report.day.isoformat()}.xlsx"
    return xlsx_response(filename, headcount_sheets(report))
