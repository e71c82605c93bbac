"""Appraisal templates: section weights, rating scale, score bands and outcome options (HR)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.appraisals import services
from app.appraisals.access import can_manage_appraisals
from app.appraisals.forms import TemplateForm
from app.appraisals.services.templates import STANDARD_LEVELS, STANDARD_OUTCOMES, default_settings
from app.appraisals.views import bp
from app.appraisals.views._helpers import seen_version
from app.auth.permissions import requires
from app.core.forms import save
from app.extensions import db


@bp.route("/templates")
@requires(can_manage_appraisals)
def templates():
    return render_template("appraisals/templates.html", templates=db.session.scalars(services.list_templates()).all())


def _place(form: TemplateForm, errors: dict) -> None:
    """Put "scale.2.label"-style errors next to the nested fields, the rest at the top."""
    for path, messages in errors.items():
        parts = path.split(".")
        field = getattr(form, parts[0], None)
        if parts[0] in ("feedback", "goals") and len(parts) >= 2 and parts[1] in form[parts[0]].form._fields:
            sub = form[parts[0]].form[parts[1]]  # the 360° feedback and goals settings (issue 18)
            sub.errors = list(sub.errors) + list(messages)
            continue
        if field is not None and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(field.entries):
            sub = getattr(field.entries[int(parts[1])].form, parts[2], None)
            if sub is not None:
                sub.errors = list(sub.errors) + list(messages)
                continue
        if field is not None and hasattr(field, "errors") and len(parts) == 1:
            if isinstance(field.errors, dict) or not isinstance(field.errors, list):
                form.form_errors.extend(messages)
            else:
                field.errors = list(field.errors) + list(messages)
            continue
        form.form_errors.extend(messages)


def _place_errors(form: TemplateForm, error) -> None:
    """A refused template: its message on top, each error next to its field."""
    _place(form, error.errors)
    form.form_errors.insert(0, error.message)


@bp.route("/templates/new", methods=["GET", "POST"])
@bp.route("/templates/<int:template_id>/edit", methods=["GET", "POST"])
@requires(can_manage_appraisals)
def template_form(template_id: int | None = None):
    template = services.get_template(template_id) if template_id else None
    form = TemplateForm()
    conflict, status = None, 200
    if request.method == "GET":
        form.fill(services.template_data(template) if template else {**default_settings(), "name": ""})
        if template is not None:
            form.version.data = template.version
    elif form.validate_on_submit():
        if template is None:
            saved = save(form, lambda: services.create_template(form.data_dict()), place=_place_errors)
        else:
            saved = save(
                form,
                lambda: services.update_template(template, form.data_dict(), seen_version(form)),
                template,
                place=_place_errors,
            )
        if saved.ok:
            template = saved.value or template
            flash(
                _(
                    "Template “%(name)s” saved. Running cycles keep the settings they were launched with.",
                    name=template.name,
                ),
                "success",
            )
            return redirect(url_for("appraisals.templates"))
        conflict, status = saved.conflict, saved.status
    else:
        status = 422
    return render_template(
        "appraisals/template_form.html",
        form=form,
        template=template,
        conflict=conflict,
        standard_levels=STANDARD_LEVELS,
        standard_outcomes=STANDARD_OUTCOMES,
    ), status
