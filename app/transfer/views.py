"""Import / export pages: downloads of the organisation and of empty templates, the upload of a
file, its preview (every row's result and problem) and the confirmation that applies it."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from app.audit.services import record
from app.auth.forms import ConfirmForm
from app.auth.permissions import requires
from app.core import clock
from app.core.errors import ServiceError
from app.core.spreadsheets import csv_stream_response, xlsx_stream_response
from app.core.urls import parse_id
from app.extensions import db
from app.org.access import can_transfer_org
from app.transfer import services, uploads
from app.transfer.forms import ImportForm
from app.transfer.reader import FileProblem, RawBook, read_book, too_large_message
from app.transfer.spec import ALL, KINDS, kind_label

bp = Blueprint("transfer", __name__, url_prefix="/transfer")

KIND_RULE = "<any(departments, positions, employees, assignments, all):kind>"
FORMAT_RULE = "<any(xlsx, csv):fmt>"
ROWS_PER_PAGE = 200
SHOW = ("all", "problems", services.CREATE, services.UPDATE, services.UNCHANGED)


def _limits() -> tuple[int, int]:
    return current_app.config["TRANSFER_MAX_ROWS"], current_app.config["TRANSFER_MAX_BYTES"]


def _read(data: bytes, filename: str) -> RawBook:
    max_rows, max_bytes = _limits()
    return read_book(data, filename, max_rows, max_bytes)


def _index(form: ImportForm, status: int = 200):
    max_rows, max_bytes = _limits()
    return render_template(
        "transfer/index.html",
        form=form,
        counts=services.row_counts(),
        kinds=KINDS,
        max_rows=max_rows,
        max_bytes=max_bytes,
    ), status


@bp.route("/")
@requires(can_transfer_org)
def index():
    return _index(ImportForm())


def _download(kind: str, fmt: str, template: bool):
    if kind == ALL and fmt == "csv":
        abort(404)  # a CSV file holds one sheet: the whole organisation is a workbook
    sheets = services.sheets_for(kind, template=template)
    stem = kind_label(kind) if not template else _("Template") + "-" + kind_label(kind)
    filename = f"{stem}-{clock.today().isoformat()}.{fmt}" if not template else f"{stem}.{fmt}"
    if fmt == "xlsx":
        return xlsx_stream_response(filename, sheets)
    return csv_stream_response(filename, sheets[0])


@bp.route(f"/export/{KIND_RULE}.{FORMAT_RULE}")
@requires(can_transfer_org)
def export(kind: str, fmt: str):
    return _download(kind, fmt, template=False)


@bp.route(f"/template/{KIND_RULE}.{FORMAT_RULE}")
@requires(can_transfer_org)
def template(kind: str, fmt: str):
    return _download(kind, fmt, template=True)


@bp.route("/import", methods=["POST"])
@requires(can_transfer_org)
def upload():
    max_rows, max_bytes = _limits()
    request.max_content_length = max_bytes + 1_000_000  # the form's other fields and multipart overhead
    try:
        form = ImportForm()
        valid = form.validate_on_submit()
    except RequestEntityTooLarge:
        form = ImportForm(formdata=None)
        form.file.errors = [too_large_message(max_bytes)]
        return _index(form, 413)
    if not valid:
        return _index(form)
    filename = form.file.data.filename or "upload"
    data = form.file.data.read(max_bytes + 1)
    try:
        raw = _read(data, filename)
    except FileProblem as problem:
        form.file.errors = [problem.message]
        return _index(form)
    stored = uploads.store(data, filename, form.kind.data, current_user.id, form.number_format.data)
    report = services.run_import(raw, stored.kind, number_format=stored.number_format)
    db.session.rollback()  # a preview changes nothing; this also ends the transaction it opened
    uploads.save_report(stored, report)
    return redirect(url_for("transfer.preview", token=stored.token))


def _rows(report: services.Report, show: str):
    """[(sheet, row)] of the report that the filter ``show`` keeps."""
    for sheet in report.sheets:
        for row in sheet.rows:
            if show == "all" or (show == "problems" and row.errors) or row.action == show:
                yield sheet, row


@bp.route("/import/<token>")
@requires(can_transfer_org)
def preview(token: str):
    stored = uploads.load(token, current_user.id)
    report = uploads.load_report(stored)
    show = request.args.get("show", "all")
    show = show if show in SHOW else "all"
    page = parse_id(request.args.get("page", "1")) or 1
    rows = list(_rows(report, show))
    pages = max((len(rows) + ROWS_PER_PAGE - 1) // ROWS_PER_PAGE, 1)
    page = min(page, pages)
    return render_template(
        "transfer/preview.html",
        upload=stored,
        report=report,
        show=show,
        page=page,
        pages=pages,
        rows=rows[(page - 1) * ROWS_PER_PAGE : page * ROWS_PER_PAGE],
        total=len(rows),
        counts=report.counts,
        labels={k: s.label for k, s in KINDS.items()},
        confirm_form=ConfirmForm(),
        form=ImportForm(kind=stored.kind, number_format=stored.number_format),
    )


@bp.route("/import/<token>/apply", methods=["POST"])
@requires(can_transfer_org)
def apply(token: str):
    stored = uploads.load(token, current_user.id)
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("transfer.preview", token=token))
    try:
        raw = _read(uploads.read(stored), stored.filename)
    except ServiceError as error:
        flash(error.message, "danger")
        return redirect(url_for("transfer.preview", token=token))
    report = services.run_import(
        raw, stored.kind, apply=True, expected_digest=stored.digest, number_format=stored.number_format
    )
    if report.applied:
        counts = report.counts
        record(
            "import",
            "organisation",
            changes={
                "file": stored.filename,
                "kind": stored.kind,
                "created": counts["create"],
                "updated": counts["update"],
            },
            label=stored.filename,
        )
        uploads.discard(stored)
        flash(
            _(
                "Imported %(file)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.",
                file=stored.filename,
                created=counts["create"],
                updated=counts["update"],
                unchanged=counts["unchanged"],
            ),
            "success",
        )
        return redirect(url_for("transfer.index"))
    db.session.rollback()
    # Show what applying would do now, so that the user confirms what they saw.
    report = services.run_import(raw, stored.kind)
    db.session.rollback()
    uploads.save_report(stored, report)
    flash(
        _(
            "Nothing was imported: the organisation changed since the preview. Check the new preview below, "
            "then confirm again."
        ),
        "warning",
    )
    return redirect(url_for("transfer.preview", token=token))


@bp.route("/import/<token>/discard", methods=["POST"])
@requires(can_transfer_org)
def discard(token: str):
    stored = uploads.load(token, current_user.id)
    if ConfirmForm().validate_on_submit():
        uploads.discard(stored)
        flash(_("The upload was discarded; nothing was imported."), "info")
    return redirect(url_for("transfer.index"))
