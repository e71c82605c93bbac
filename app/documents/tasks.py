"""The background tasks that make long documents: a big position manual, a big cycle's results,
a job description too long to lay out in a request now (see app/tasks, and ``services`` for what
is long)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.appraisals.access import can_view_cycle, can_view_cycles, review_scope
from app.core.errors import NotFound, ServiceError
from app.documents import services
from app.documents.access import can_print_company_manual, can_print_manual
from app.org.services import get_department
from app.tasks.services import Result, handler

MANUAL = "manual"
APPRAISAL_RESULTS = "appraisal_results"
JOB_DESCRIPTION = "job_description"


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


def results_params(cycle, department, lang: str) -> dict:
    return {"cycle_id": cycle.id, "department_id": department.id if department is not None else None, "lang": lang}


@handler(APPRAISAL_RESULTS, _l("Appraisal results"))
def make_appraisal_results(params: dict, owner) -> Result:
    """The results of the reviews the owner may read now (their rights when the task runs)."""
    from app.appraisals.services import get_cycle

    cycle = get_cycle(params["cycle_id"])
    if not (can_view_cycles(owner) and can_view_cycle(owner, cycle)):
        raise ServiceError(_("You may not print these results."))
    department = get_department(params["department_id"]) if params.get("department_id") else None
    pdf = services.appraisal_results_pdf(cycle, department, review_scope(owner), params.get("lang") or "en")
    return Result(pdf.path if pdf.path is not None else pdf.data, pdf.filename, "application/pdf")


def job_description_params(version, lang: str) -> dict:
    return {"version_id": version.id, "lang": lang}


@handler(JOB_DESCRIPTION, _l("Job description"))
def make_job_description(params: dict, owner) -> Result:
    """A version's job description, if the owner may still read it when the task runs."""
    from app.jobs.access import can_view_version

    try:
        version = services.printable_version(params["version_id"])
    except NotFound:
        raise ServiceError(_("This job description no longer exists.")) from None
    if not can_view_version(owner, version):
        raise ServiceError(_("You may not print this job description."))
    pdf = services.job_description_pdf(version, params.get("lang") or "en")
    return Result(pdf.path if pdf.path is not None else pdf.data, pdf.filename, "application/pdf")
