"""Printed documents as PDF: a position's job description (any version the user may read), its
blank appraisal form, and position manuals (a department's subtree, or the whole company); the
job description also as a Word document (.docx), with the same access rules.

A manual expected to be longer than ``PDF_SYNC_MAX_PAGES`` pages (about 4 + 2 per position) and
not printed before answers 202 with a background task to follow at ``Location``
(``GET /api/v1/tasks/<id>``); its ``result_url`` gives the file once it is done."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import fields, validate

from app.api.common import ID, Blueprint
from app.api.document_schemas import DOCX, PDF, DocumentArgs, JobDescriptionPdfArgs, TaskOut
from app.api.tasks import TASK_LOCATION, task_accepted
from app.auth.permissions import requires
from app.core.errors import NotFound
from app.documents import services
from app.documents.access import can_print_company_manual, can_print_manuals
from app.documents.responses import (
    docx_response,
    job_description_or_task,
    manual_department,
    manual_or_task,
    pdf_response,
    requested_language,
)
from app.documents.word import MIMETYPE as DOCX_MIMETYPE
from app.jobs import services as jobs
from app.jobs.access import can_use_job_descriptions, can_view_position_jd, can_view_version
from app.jobs.models import Period
from app.org import services as org_services

blp = Blueprint(
    "printouts",
    __name__,
    url_prefix="/api/v1",
    description="Printed documents (PDF): job descriptions, appraisal forms, position manuals; "
    "job descriptions also as Word documents.",
)


def _visible_position(position_id: int):
    """The position if the user sees its job description; 404 otherwise, as if it did not exist."""
    position = org_services.get_position(position_id)
    if not can_view_position_jd(current_user, position):
        raise NotFound(_("No such job description."))
    return position


def _version_of(position, version_id: int | None, content: bool = True):
    """The version asked for, or the one in force; 404 unless it is the position's and the user
    may read it. Without ``content``, the version's row only (what printing a PDF needs first:
    one printed before is sent without its content, see ``services.job_description_pdf``)."""
    if version_id is None:
        current = jobs.current_version(position.id, full=content)
        if current is None:
            raise NotFound(_("This position has no job description in force."))
        version = current
    elif content:
        version = jobs.get_version(version_id)
    else:
        try:
            version = services.printable_version(version_id)
        except NotFound:
            raise NotFound(_("No such job description.")) from None
    if version.position_id != position.id or not can_view_version(current_user, version):
        raise NotFound(_("No such job description."))
    return version


@blp.route(f"/positions/<{ID}:position_id>/job-description.pdf")
@blp.response(200, PDF, content_type="application/pdf", description="The job description as PDF.")
@blp.alt_response(
    202,
    schema=TaskOut,
    headers=TASK_LOCATION,
    success=True,
    description="The job description is long for the server's load now: a background task makes it.",
)
@requires(can_use_job_descriptions)
@blp.arguments(JobDescriptionPdfArgs, location="query")
def job_description_pdf(args, position_id: int):
    """Print a position's job description

    The version in force, or `version` (drafts and versions in review print with a DRAFT mark).
    Published versions are cached: the ETag answers If-None-Match with 304. One not printed before
    and longer than the server lays out in a request now (`PDF_SYNC_MAX_PAGES`, fewer when it is
    busy) answers 202 with the task that makes it.
    """
    version = _version_of(_visible_position(position_id), args.get("version"), content=False)
    pdf, task = job_description_or_task(version, requested_language(args.get("lang", "")))
    if task is None:
        return pdf_response(pdf)
    return task_accepted(task)


@blp.route(f"/positions/<{ID}:position_id>/job-description.docx")
@blp.response(200, DOCX, content_type=DOCX_MIMETYPE, description="The job description as a Word document.")
@requires(can_use_job_descriptions)
@blp.arguments(JobDescriptionPdfArgs, location="query")
def job_description_docx(args, position_id: int):
    """Download a position's job description as a Word document

    The version in force, or `version`, with the PDF's content and labels (`lang`), editable in
    Word and WPS; drafts and versions in review carry a DRAFT mark in the page header. The same
    document can be imported again as text.
    """
    version = _version_of(_visible_position(position_id), args.get("version"))
    return docx_response(services.job_description_docx(version, requested_language(args.get("lang", ""))))


class AppraisalFormArgs(DocumentArgs):
    period = fields.String(
        validate=validate.OneOf(sorted(Period.values())),
        metadata={
            "description": "The period of the KPI targets printed (one period, so that the weights total 100 %); "
            "default: the most common period of the position's targets."
        },
    )


@blp.route(f"/positions/<{ID}:position_id>/appraisal-form.pdf")
@blp.response(200, PDF, content_type="application/pdf", description="The blank appraisal form as PDF.")
@requires(can_use_job_descriptions)
@blp.arguments(AppraisalFormArgs, location="query")
def appraisal_form_pdf(args, position_id: int):
    """Print a position's blank appraisal form

    Its KPI targets of one period (`period`) and competencies in force, with empty rating
    columns, comment boxes and signature lines. A period the position has no targets for
    answers 422.
    """
    position = _visible_position(position_id)
    return pdf_response(
        services.appraisal_form_pdf(position, requested_language(args.get("lang", "")), args.get("period"))
    )


def _manual(department, args):
    pdf, task = manual_or_task(department, requested_language(args.get("lang", "")))
    if task is None:
        return pdf_response(pdf)
    return task_accepted(task)


@blp.route(f"/departments/<{ID}:department_id>/manual.pdf")
@blp.response(200, PDF, content_type="application/pdf", description="The position manual as PDF.")
@blp.alt_response(
    202,
    schema=TaskOut,
    headers=TASK_LOCATION,
    success=True,
    description="The manual is big: a background task makes it.",
)
@requires(can_print_manuals)
@blp.arguments(DocumentArgs, location="query")
def department_manual_pdf(args, department_id: int):
    """Print the position manual of a department

    The department and its sub-departments: cover, contents, org chart, headcount plan and every
    job description in force. HR and admins; managers for departments whose every position is in
    their reporting line. A big manual answers 202 with the task that makes it.
    """
    return _manual(manual_department(department_id), args)


@blp.route("/manual.pdf")
@blp.response(200, PDF, content_type="application/pdf", description="The position manual as PDF.")
@blp.alt_response(
    202,
    schema=TaskOut,
    headers=TASK_LOCATION,
    success=True,
    description="The manual is big: a background task makes it.",
)
@requires(can_print_company_manual)
@blp.arguments(DocumentArgs, location="query")
def company_manual_pdf(args):
    """Print the position manual of the whole company

    HR and admins. A big manual answers 202 with the task that makes it.
    """
    return _manual(manual_department(None), args)
