"""The structured editor of a draft, and paste-to-structure import into a new draft."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from app.auth.permissions import requires
from app.core.errors import ServiceError
from app.core.forms import save
from app.jobs import library, lint, parser, services
from app.jobs.access import can_use_job_descriptions
from app.jobs.content import clean_content, version_content
from app.jobs.files import FileRefused
from app.jobs.forms import ContentForm, DutyForm, ImportForm, UploadForm, place_errors
from app.jobs.text_to_content import import_text, parse_error_message
from app.jobs.uploads import import_file, max_file_bytes, read_upload, too_large
from app.jobs.views import bp
from app.jobs.views._helpers import draftable_position, draftable_version, seen_version


def _editor_form(content: dict | None = None) -> ContentForm:
    form = ContentForm()
    if content is not None:
        form.fill(content)
    form.set_choices(library.kpi_choices(), library.competency_choices())
    return form


def _render_editor(
    form: ContentForm,
    version=None,
    position=None,
    conflict=None,
    imported=None,
    source_text=None,
    importing: bool = False,
    source_name: str = "",
):
    position = position or version.position
    findings = []
    if not getattr(form, "has_problems", False) and not form.errors and not form.form_errors:
        try:
            findings = lint.lint_content(clean_content(form.content()), version)
        except ServiceError:
            findings = []
    return render_template(
        "jobs/edit.html",
        form=form,
        version=version,
        position=position,
        conflict=conflict,
        findings=findings,
        imported=imported,
        source_text=source_text,
        importing=importing or imported is not None,
        source_name=source_name,
        blank_duty=DutyForm(prefix="blank"),
    )


@bp.route("/versions/<int:version_id>/edit", methods=["GET", "POST"])
@requires(can_use_job_descriptions)
def edit(version_id: int):
    version = draftable_version(version_id)
    if not version.is_editable:
        flash(_("Only a draft can be edited. Start a new draft from the position's page."), "warning")
        return redirect(url_for("jobs.version", version_id=version.id))
    if request.method == "GET":
        form = _editor_form(version_content(version))
        form.version.data = version.version
        return _render_editor(form, version)
    form = _editor_form()
    conflict, status = None, 422
    if form.validate_on_submit():
        saved = save(
            form,
            lambda: services.save_content(version, form.content(), current_user, seen_version(form)),
            version,
            place=_place,
        )
        conflict, status = saved.conflict, saved.status
        if saved.ok:
            flash(_("Draft saved."), "success")
            if request.form.get("then") == "view":
                return redirect(url_for("jobs.version", version_id=version.id))
            return redirect(url_for("jobs.edit", version_id=version.id))
    return _render_editor(form, version, conflict=conflict), status


def _place(form: ContentForm, error: ServiceError) -> None:
    place_errors(form, error.errors)
    if not error.errors:
        form.form_errors.append(error.message)
    form.has_problems = True


@bp.route("/positions/<int:position_id>/import", methods=["GET", "POST"])
@requires(can_use_job_descriptions)
def import_text_page(position_id: int):
    """Step 1: paste. Step 2 (``preview``): the structure beside the source, editable. Step 3
    (``save``): the checked structure becomes a new draft."""
    position = draftable_position(position_id)
    upload_form = None
    if request.method == "POST" and request.args.get("step") == "upload":
        request.max_content_length = max_file_bytes() + 1_000_000  # the form's token and multipart overhead
        try:
            upload_form = UploadForm()
            valid = upload_form.validate_on_submit()
        except RequestEntityTooLarge:
            upload_form = UploadForm(formdata=None)
            upload_form.file.errors = [too_large("").reason]
            return _import_page(position, ImportForm(formdata=None), upload_form, 413)
        if valid:
            try:
                imported, extracted = import_file(*read_upload(upload_form.file.data), title=position.title)
            except FileRefused as refused:
                upload_form.file.errors = [refused.message]
            else:
                form = _editor_form(imported.content)
                return _render_editor(
                    form,
                    position=position,
                    imported=imported,
                    source_text=extracted.text,
                    source_name=extracted.filename,
                )
        return _import_page(position, ImportForm(formdata=None), upload_form, 422)
    import_form = ImportForm()
    step = request.form.get("step", "paste") if request.method == "POST" else "paste"
    if step == "paste" and request.method == "POST" and import_form.validate_on_submit():
        try:
            imported = import_text(import_form.text.data, position.title)
        except parser.ParseError as error:
            import_form.text.errors = list(import_form.text.errors) + [parse_error_message(error)]
        else:
            form = _editor_form(imported.content)
            return _render_editor(form, position=position, imported=imported, source_text=import_form.text.data)
    elif step == "save":
        form = _editor_form()
        source_text = request.form.get("text", "")
        if form.validate_on_submit():
            saved = save(
                form,
                lambda: services.start_draft(position, current_user, content=form.content(), action="imported"),
                place=_place,
            )
            if saved.ok:
                flash(
                    _(
                        "Draft %(num)d created from the pasted text. Check it, then submit it for review.",
                        num=saved.value.number,
                    ),
                    "success",
                )
                return redirect(url_for("jobs.version", version_id=saved.value.id))
        return _render_editor(
            form,
            position=position,
            importing=True,
            source_text=source_text,
            source_name=request.form.get("source_name", "")[:255],
        ), 422
    return _import_page(position, import_form, UploadForm(formdata=None), 422 if import_form.errors else 200)


def _import_page(position, import_form: ImportForm, upload_form: UploadForm, status: int):
    return render_template(
        "jobs/import.html",
        position=position,
        form=import_form,
        upload_form=upload_form,
        max_upload_mb=f"{max_file_bytes() / 1_000_000:g}",
        working=services.open_version(position.id),
    ), status
