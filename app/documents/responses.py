"""What the printing pages and the API share: the language asked for, a PDF as a response, and
the choice between a document now and a background task (``services``: what is long)."""

from __future__ import annotations

import io

from flask import abort, current_app, g, request, send_file
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.appraisals.access import review_scope
from app.documents import services
from app.documents import tasks as document_tasks
from app.documents.access import can_print_company_manual, can_print_manual
from app.documents.word import MIMETYPE as DOCX
from app.org import services as org_services
from app.tasks.services import enqueue


def requested_language(value: str | None = None) -> str:
    """``value`` (or ``?lang=``) if it is one of ours, else the user's language."""
    value = value if value is not None else request.args.get("lang", "")
    if value in current_app.config["LANGUAGES"]:
        return value
    get_locale()  # runs the selector, which records the user's language
    return g.get("ui_language", current_app.config["BABEL_DEFAULT_LOCALE"])


def pdf_response(pdf: services.Pdf):
    """Send a document as a download. Cached ones carry their key as a strong ETag (answered
    304 when the client has it); ``X-Cache`` says whether anything was rendered."""
    if pdf.path is not None:
        response = send_file(
            pdf.path,
            mimetype="application/pdf",
            as_attachment=True,
            download_name=pdf.filename,
            etag=pdf.etag or False,
            conditional=True,
        )
    else:
        response = send_file(
            io.BytesIO(pdf.data), mimetype="application/pdf", as_attachment=True, download_name=pdf.filename, etag=False
        )
    response.headers["Cache-Control"] = "private, no-cache"  # permissions are checked on every request
    response.headers["X-Cache"] = "hit" if pdf.cached else "miss"
    return response


def docx_response(download: tuple[str, bytes]):
    """Send a Word document (``services.job_description_docx``) as a download."""
    filename, data = download
    response = send_file(io.BytesIO(data), mimetype=DOCX, as_attachment=True, download_name=filename, etag=False)
    response.headers["Cache-Control"] = "private, no-cache"  # permissions are checked on every request
    return response


def manual_department(department_id: int | None):
    """The department a manual is about (None: the company). The company's manual is HR's (403
    for others); a department whose manual the user may not print answers 404, as one that
    does not exist."""
    if department_id is None:
        if not can_print_company_manual(current_user):
            abort(403)
        return None
    department = org_services.get_department(department_id)
    if not can_print_manual(current_user, department):
        abort(404)
    return department


def manual_or_task(department, lang: str):
    """(the manual, None) when it is cached or small enough to make now; else (None, the task
    that makes it: queued on commit, or the same one already under way)."""
    if not services.needs_task(department):
        return services.manual_pdf(department, lang), None
    cached = services.cached_manual(department, lang) if services.cache_checked_now(department) else None
    if cached is not None:
        return cached, None
    with_language = current_app.config["LANGUAGES"].get(lang, lang)
    title = f"{_('Position manual')} · {department.name if department else _('Whole company')} · {with_language}"
    return None, enqueue(document_tasks.MANUAL, document_tasks.manual_params(department, lang), current_user, title)


def results_or_task(cycle, department, lang: str):
    """(the cycle's results PDF, None) when it is cached or short enough to make now; else (None,
    the task that makes it: queued on commit, or the same one already under way)."""
    pdf = services.appraisal_results_pdf(cycle, department, review_scope(current_user), lang, cached_only=True)
    if pdf is not None:
        return pdf, None
    with_language = current_app.config["LANGUAGES"].get(lang, lang)
    title = (
        f"{_('Appraisal results')} · {cycle.name} · {department.name if department else _('All departments')}"
        f" · {with_language}"
    )
    params = document_tasks.results_params(cycle, department, lang)
    return None, enqueue(document_tasks.APPRAISAL_RESULTS, params, current_user, title)


def job_description_or_task(version, lang: str):
    """(the version's job description, None) when it was printed before or is short enough to lay
    out now (``services.sync_max_pages``: fewer pages when the machine is busy); else (None, the
    task that makes it: queued on commit, or the same one already under way)."""
    pdf = services.cached_job_description(version, lang)
    if pdf is not None:
        return pdf, None
    if services.job_description_pages(version) <= services.sync_max_pages():
        return services.job_description_pdf(version, lang), None
    with_language = current_app.config["LANGUAGES"].get(lang, lang)
    title = f"{_('Job description')} · {version.position.code} {version.title} · {with_language}"
    return None, enqueue(
        document_tasks.JOB_DESCRIPTION, document_tasks.job_description_params(version, lang), current_user, title
    )
