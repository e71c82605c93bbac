"""A position's job description and its versions: the version in force, the history, one
version with its linter findings and workflow buttons, comparison, and the workflow actions."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import requires
from app.auth.services import person_names
from app.core import clock
from app.core.errors import ServiceError
from app.core.forms import attempt
from app.core.urls import parse_id
from app.extensions import db
from app.jobs import compare as comparing
from app.jobs import library, lint, services
from app.jobs.access import (
    can_draft_jd,
    can_edit_version,
    can_manage_job_descriptions,
    can_review_jd,
    can_use_job_descriptions,
)
from app.jobs.forms import CommentForm, NewDraftForm, PublishForm, TemplateForm, WaiveForm, WorkflowForm
from app.jobs.lookups import visible_position, visible_version
from app.jobs.views import bp
from app.jobs.views._helpers import (
    draftable_position,
    draftable_version,
    seen_version,
    visible_versions,
)
from app.org import services as org_services


def _my_employee():
    return getattr(current_user, "employee", None)


def _new_draft_form() -> NewDraftForm:
    form = NewDraftForm()
    templates = db.session.scalars(library.list_templates()).all()
    form.source.choices = [
        ("current", _("The version in force (or the position's own texts)")),
        ("position", _("Another position's job description")),
    ] + [(f"template:{t.id}", _("Base job description: %(name)s", name=t.name)) for t in templates]
    return form


@bp.route("/positions/<int:position_id>")
@requires(can_use_job_descriptions)
def position(position_id: int):
    position = visible_position(position_id)
    current = services.current_version(position.id)
    if current is not None:
        current = services.get_version(current.id)
    drafts = can_draft_jd(current_user, position)  # drafts are for those who may write them
    working = services.open_version(position.id) if drafts else None
    employee = _my_employee()
    holds = employee is not None and position.id in org_services.positions_held_by_user(current_user)
    return render_template(
        "jobs/position.html",
        position=position,
        current=current,
        working=working,
        versions=services.versions_of(position.id, include_open=drafts),
        holds=holds,
        acknowledgement=services.acknowledgement_of(current, employee) if (current and holds) else None,
        new_draft_form=_new_draft_form() if drafts else None,
        workflow_form=WorkflowForm(),
    )


@bp.route("/positions/<int:position_id>/draft", methods=["POST"])
@requires(can_use_job_descriptions)
def start_draft(position_id: int):
    position = draftable_position(position_id)
    form = _new_draft_form()
    if not form.validate_on_submit():
        abort(400)
    source = form.source.data or "current"

    def draft():
        if source.startswith("template:"):
            template_id = source.partition(":")[2]
            template = library.get_template(parse_id(template_id) or 0)
            return library.draft_from_template(position, template, current_user)
        if source == "position":
            code = (form.position_code.data or "").split("·")[0].strip()
            other_id = org_services.position_ids_for_codes([code]).get(code)
            if other_id is None:
                raise ServiceError.field("position_code", _("No position has the code “%(code)s”.", code=code))
            other = org_services.get_position(other_id)
            if not can_draft_jd(current_user, other) and not can_manage_job_descriptions(current_user):
                raise ServiceError.field("position_code", _("No position has the code “%(code)s”.", code=code))
            return library.draft_from_position(position, other, current_user)
        return services.start_draft(position, current_user)

    started = attempt(
        draft,
        lambda error: flash(error.message if not error.errors else " ".join(sum(error.errors.values(), [])), "danger"),
    )
    if not started.ok:
        return redirect(url_for("jobs.position", position_id=position.id))
    flash(_("Draft %(num)d started.", num=started.value.number), "success")
    return redirect(url_for("jobs.edit", version_id=started.value.id))


@bp.route("/versions/<int:version_id>")
@requires(can_use_job_descriptions)
def version(version_id: int):
    version = visible_version(version_id)
    findings = lint.lint_version(version) if version.is_open else []
    waived = {w.finding_key: w for w in version.waivers}
    others = [v for v in visible_versions(version.position) if v.id != version.id]
    return render_template(
        "jobs/version.html",
        version=version,
        position=version.position,
        findings=findings,
        waived=waived,
        open_findings=[f for f in findings if f.key not in waived],
        others=others,
        workflow_form=WorkflowForm(),
        comment_form=CommentForm(),
        waive_form=WaiveForm(),
        publish_form=PublishForm(effective_date=clock.today()),
        template_form=TemplateForm(name=version.title),
        event_label=services.event_label,
        people=person_names(
            [version.submitted_by_id, version.approved_by_id, version.published_by_id]
            + [e.actor_id for e in version.events]
        ),
        can_edit=can_edit_version(current_user, version),
        can_draft=can_draft_jd(current_user, version.position),
        can_review=can_review_jd(current_user),
    )


def _workflow(version_id: int, action, message: str, form_class=WorkflowForm, review: bool = False):
    """Run a workflow ``action(version, form)`` from a POSTed form; back to the version page."""
    version = visible_version(version_id, full=True)
    if review and not can_review_jd(current_user):
        abort(403)
    if not review and not can_draft_jd(current_user, version.position):
        abort(403)
    form = form_class()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "danger")
        return redirect(url_for("jobs.version", version_id=version.id))
    if not attempt(lambda: action(version, form)).ok:
        return redirect(url_for("jobs.version", version_id=version_id))
    flash(message, "success")
    return redirect(url_for("jobs.version", version_id=version.id))


@bp.route("/versions/<int:version_id>/submit", methods=["POST"])
@requires(can_use_job_descriptions)
def submit(version_id: int):
    return _workflow(
        version_id,
        lambda v, f: services.submit(v, current_user, seen_version(f)),
        _("Submitted for review. HR will approve it or return it with comments."),
    )


@bp.route("/versions/<int:version_id>/return", methods=["POST"])
@requires(can_review_jd)
def return_for_changes(version_id: int):
    return _workflow(
        version_id,
        lambda v, f: services.return_for_changes(v, current_user, f.comment.data, seen_version(f)),
        _("Returned to the draft with your comments."),
        CommentForm,
        review=True,
    )


@bp.route("/versions/<int:version_id>/approve", methods=["POST"])
@requires(can_review_jd)
def approve(version_id: int):
    return _workflow(
        version_id,
        lambda v, f: services.approve(v, current_user, seen_version(f)),
        _("Approved. Publish it with the date from which it applies."),
        review=True,
    )


@bp.route("/versions/<int:version_id>/publish", methods=["POST"])
@requires(can_review_jd)
def publish(version_id: int):
    return _workflow(
        version_id,
        lambda v, f: services.publish(v, current_user, f.effective_date.data, seen_version(f)),
        _("Published. The holders of the position are asked to acknowledge it."),
        PublishForm,
        review=True,
    )


@bp.route("/versions/<int:version_id>/waive", methods=["POST"])
@requires(can_review_jd)
def waive(version_id: int):
    return _workflow(
        version_id,
        lambda v, f: services.waive(v, f.finding_key.data, f.reason.data, current_user),
        _("Finding waived; the reason is kept with the version."),
        WaiveForm,
        review=True,
    )


@bp.route("/versions/<int:version_id>/discard", methods=["POST"])
@requires(can_use_job_descriptions)
def discard(version_id: int):
    version = draftable_version(version_id)
    position_id = version.position_id
    form = WorkflowForm()
    if form.validate_on_submit():
        # no version: not what the page sent
        if not attempt(lambda: services.discard_draft(version, seen_version(form) or 0)).ok:
            return redirect(url_for("jobs.version", version_id=version_id))
        flash(_("Draft discarded."), "success")
    return redirect(url_for("jobs.position", position_id=position_id))


@bp.route("/versions/<int:version_id>/acknowledge", methods=["POST"])
@requires(can_use_job_descriptions)
def acknowledge(version_id: int):
    version = visible_version(version_id, full=False)
    employee = _my_employee()
    if WorkflowForm().validate_on_submit():
        if employee is None:
            flash(_("Only the holders of this position acknowledge its job description."), "danger")
        elif attempt(lambda: services.acknowledge(version, employee)).ok:
            flash(_("Thank you: your acknowledgement is recorded."), "success")
    return redirect(url_for("jobs.position", position_id=version.position_id))


@bp.route("/versions/<int:version_id>/save-template", methods=["POST"])
@requires(can_manage_job_descriptions)
def save_template(version_id: int):
    version = visible_version(version_id)
    form = TemplateForm()
    if form.validate_on_submit():
        saved = attempt(lambda: library.save_as_template(version, form.name.data))
        if saved.ok:
            flash(_("Saved to the library as “%(name)s”.", name=saved.value.name), "success")
    return redirect(url_for("jobs.version", version_id=version_id))


@bp.route("/versions/<int:version_id>/compare")
@requires(can_use_job_descriptions)
def compare(version_id: int):
    new = visible_version(version_id)
    other_id = parse_id(request.args.get("with"))
    if other_id is None:
        others = [v for v in visible_versions(new.position) if v.id != new.id]
        if not others:
            flash(_("There is no other version to compare with."), "info")
            return redirect(url_for("jobs.version", version_id=new.id))
        other_id = new.based_on_id if new.based_on_id in {v.id for v in others} else others[0].id
    old = visible_version(other_id)
    if old.position_id != new.position_id and not can_manage_job_descriptions(current_user):
        abort(404)
    if old.number > new.number and old.position_id == new.position_id:
        old, new = new, old
    result = comparing.compare_versions(old, new)
    return render_template(
        "jobs/compare.html",
        old=old,
        new=new,
        result=result,
        position=new.position,
        versions=visible_versions(new.position),
    )
