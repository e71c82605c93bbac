"""Bulk import of job-description files: upload, the preview (built within the request for a
few files, by a background task with a progress bar for more), HR's choice per row, and the
confirmation that creates every draft in one transaction."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from app.auth.forms import ConfirmForm
from app.auth.permissions import requires
from app.core.errors import NotFound, ServiceError
from app.jobs import bulk
from app.jobs.access import can_draft_jd, can_parse_job_descriptions
from app.jobs.files import FileRefused
from app.jobs.forms import BulkUploadForm
from app.jobs.uploads import read_upload
from app.jobs.views import bp


@bp.app_template_filter("source_blocks")
def source_blocks(text: str | None) -> list[dict]:
    """The text in blocks for the preview: runs of lines holding a TAB (table rows) as
    ``{"rows": [[cell, ...], ...]}``, the rest as ``{"text": ...}``."""
    blocks: list[dict] = []
    for line in (text or "").split("\n"):
        if "\t" in line:
            if not blocks or "rows" not in blocks[-1]:
                blocks.append({"rows": []})
            blocks[-1]["rows"].append(line.split("\t"))
        else:
            if not blocks or "text" not in blocks[-1]:
                blocks.append({"text": ""})
            blocks[-1]["text"] += line + "\n"
    return blocks


def _form(read: bool = True) -> BulkUploadForm:
    form = BulkUploadForm() if read else BulkUploadForm(formdata=None)
    form.department_id.choices = [("", "—")] + [(str(d.id), f"{d.code} {d.name}") for d in bulk.department_options()]
    return form


def _upload_page(form: BulkUploadForm, status: int = 200):
    limit = bulk.limits()
    return render_template(
        "jobs/bulk_upload.html",
        form=form,
        max_files=limit["files"],
        max_mb=f"{limit['bytes'] / 1_000_000:g}",
        file_mb=f"{limit['file_bytes'] / 1_000_000:g}",
    ), status


@bp.route("/bulk-import", methods=["GET", "POST"])
@requires(can_parse_job_descriptions)
def bulk_upload():
    if request.method == "GET":
        return _upload_page(_form())
    limit = bulk.limits()
    request.max_content_length = limit["bytes"] + 1_000_000
    try:
        form = _form()
        valid = form.validate_on_submit()
    except RequestEntityTooLarge:
        form = _form(read=False)
        form.files.errors = [
            _("The files are larger than %(limit)s MB in all.", limit=f"{limit['bytes'] / 1_000_000:g}")
        ]
        return _upload_page(form, 413)
    if not valid:
        return _upload_page(form, 422)
    department_id = int(form.department_id.data) if (form.department_id.data or "").isdigit() else None
    try:
        uploads = [
            read_upload(
                storage, limit["bytes"] if (storage.filename or "").lower().endswith(".zip") else limit["file_bytes"]
            )
            for storage in form.files.data or []
            if storage.filename
        ]
        documents = bulk.unpack(uploads)
    except FileRefused as refused:
        form.files.errors = [refused.message]
        return _upload_page(form, 422)
    token = bulk.store(documents, current_user.id, department_id)
    task = bulk.start(token, current_user)
    if task is not None:
        return redirect(url_for("tasks.detail", task_id=task.id))
    return redirect(url_for("jobs.bulk_preview", token=token))


def _preview_page(preview: bulk.Preview, status: int = 200, error: str | None = None):
    return render_template(
        "jobs/bulk_preview.html",
        preview=preview,
        counts=preview.counts,
        error=error,
        departments=bulk.department_options(),
        confirm_form=ConfirmForm(),
    ), status


@bp.route("/bulk-import/<token>", methods=["GET", "POST"])
@requires(can_parse_job_descriptions)
def bulk_preview(token: str):
    try:
        preview = bulk.load_preview(token, current_user)
    except NotFound:
        flash(_("This import is no longer available: upload the files again."), "warning")
        return redirect(url_for("jobs.bulk_upload"))
    if preview is None:
        task = bulk.task_of(token, current_user)
        if task is not None:
            return redirect(url_for("tasks.detail", task_id=task.id))
        flash(_("This import is no longer available: upload the files again."), "warning")
        return redirect(url_for("jobs.bulk_upload"))
    if request.method == "GET":
        return _preview_page(preview)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _preview_page(preview, 400, _("The form has expired: reload the page and try again."))
    if request.form.get("action") == "discard":
        bulk.discard(token, current_user)
        flash(_("The import was discarded: nothing was created."), "info")
        return redirect(url_for("jobs.bulk_upload"))
    choices, codes, titles = {}, {}, {}
    for row in preview.rows:
        choices[row.index] = request.form.get(f"choice-{row.index}", row.choice)
        codes[row.index] = request.form.get(f"code-{row.index}", row.new_code)[:40]
        titles[row.index] = request.form.get(f"title-{row.index}", row.new_title)[:120]
        row.choice, row.new_code, row.new_title = choices[row.index], codes[row.index], titles[row.index]
    raw_department = request.form.get("department_id", "")
    department_id = int(raw_department) if raw_department.isdigit() else None
    preview.department_id = department_id
    try:
        created = bulk.apply(preview, choices, codes, titles, department_id, current_user, can_draft_jd)
    except ServiceError as error:
        return _preview_page(preview, 422, error.message)  # the commit point rolls back a 422
    if not created:
        return _preview_page(preview, 422, _("Nothing to create: every row is skipped."))
    bulk.discard(token, current_user)
    flash(
        _("%(count)d drafts were created from the files. Check each, then submit them for review.", count=len(created)),
        "success",
    )
    current_app.logger.info("bulk import %s: %d drafts", token, len(created))
    return redirect(url_for("jobs.index"))
