"""The background task that makes a big position manual (see app/tasks)."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.errors import ServiceError
from app.documents import services
from app.documents.access import can_print_company_manual, can_print_manual
from app.org.services import get_department
from app.tasks.services import Result, handler

MANUAL = "manual"


def manual_params(department, lang: str) -> dict:
    return {"department_id": department.id if department is not None else None, "lang": lang}


@handler(MANUAL, _l("Position manual"))
def make_manual(params: dict, owner) -> Result:
    department = get_department(params["department_id"]) if params.get("department_id") else None
    allowed = can_print_manual(owner, department) if department is not None else can_print_company_manual(owner)
    if not allowed:  # rights changed since the task was queued
        raise ServiceError(_("You may not print this manual."))
    pdf = services.manual_pdf(department, params.get("lang") or "en")
    return Result(pdf.path if pdf.path is not None else pdf.data, pdf.filename, "application/pdf")
