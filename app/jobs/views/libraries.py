"""The libraries: KPIs, competencies and base job descriptions."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.forms import ConfirmForm
from app.auth.permissions import requires
from app.core.declared_forms import form_values
from app.core.forms import save
from app.core.listing import page_of
from app.jobs import library
from app.jobs.access import can_browse_libraries, can_manage_job_descriptions
from app.jobs.fields import COMPETENCY, KPI
from app.jobs.forms import CompetencyForm, KpiForm
from app.jobs.views import bp


def _archived_arg() -> bool:
    return request.args.get("archived") == "1"


# --- KPIs -------------------------------------------------------------------------------------


@bp.route("/kpis")
@requires(can_browse_libraries)
def kpis():
    search = request.args.get("q", "").strip()
    page = page_of(library.list_kpis(search, _archived_arg()))
    return render_template(
        "jobs/kpis.html",
        page=page,
        search=search,
        archived=_archived_arg(),
        usage=library.kpi_usage(k.id for k in page.items),
        confirm_form=ConfirmForm(),
    )


def _save(form, create, update, obj, data):
    """Create (``obj`` None) or update from a validated form; returns (saved object, conflict)."""
    if obj is None:
        return save(form, lambda: create(data)).value, None
    saved = save(form, lambda: update(obj, data, form.version.data or None), obj)
    return (obj if saved.ok else None), saved.conflict


@bp.route("/kpis/new", methods=["GET", "POST"])
@bp.route("/kpis/<int:kpi_id>/edit", methods=["GET", "POST"])
@requires(can_manage_job_descriptions)
def kpi_form(kpi_id: int | None = None):
    kpi = library.get_kpi(kpi_id) if kpi_id else None
    form = KpiForm(obj=kpi)
    conflict = None
    if request.method == "GET" and kpi is not None:
        form.version.data = kpi.version
    elif form.validate_on_submit():
        saved, conflict = _save(
            form, library.create_kpi, library.update_kpi, kpi, library.KpiData(**form_values(form, KPI))
        )
        if saved is not None:
            flash(_("KPI %(name)s saved.", name=saved.name), "success")
            return redirect(url_for("jobs.kpis"))
    return render_template("jobs/kpi_form.html", form=form, kpi=kpi, conflict=conflict)


@bp.route("/kpis/<int:kpi_id>/archive", methods=["POST"])
@requires(can_manage_job_descriptions)
def kpi_archive(kpi_id: int):
    kpi = library.get_kpi(kpi_id)
    if ConfirmForm().validate_on_submit():
        restore = request.form.get("restore") == "1"
        library.archive_kpi(kpi, archived=not restore)
        flash(
            _("KPI restored.") if restore else _("KPI archived: existing targets keep it, new ones cannot choose it."),
            "success",
        )
    return redirect(url_for("jobs.kpis"))


# --- competencies -----------------------------------------------------------------------------


@bp.route("/competencies")
@requires(can_browse_libraries)
def competencies():
    search = request.args.get("q", "").strip()
    page = page_of(library.list_competencies(search, _archived_arg()))
    return render_template(
        "jobs/competencies.html",
        page=page,
        search=search,
        archived=_archived_arg(),
        usage=library.competency_usage(c.id for c in page.items),
        confirm_form=ConfirmForm(),
    )


@bp.route("/competencies/new", methods=["GET", "POST"])
@bp.route("/competencies/<int:competency_id>/edit", methods=["GET", "POST"])
@requires(can_manage_job_descriptions)
def competency_form(competency_id: int | None = None):
    competency = library.get_competency(competency_id) if competency_id else None
    form = CompetencyForm(obj=competency)
    conflict = None
    if request.method == "GET" and competency is not None:
        form.version.data = competency.version
        for n in range(1, 6):
            getattr(form, f"level_{n}").data = competency.level_text(n)
    elif form.validate_on_submit():
        data = library.CompetencyData(**form_values(form, COMPETENCY, skip=("levels",)), levels=form.levels())
        saved, conflict = _save(form, library.create_competency, library.update_competency, competency, data)
        if saved is not None:
            flash(_("Competency %(name)s saved.", name=saved.name), "success")
            return redirect(url_for("jobs.competencies"))
    return render_template("jobs/competency_form.html", form=form, competency=competency, conflict=conflict)


@bp.route("/competencies/<int:competency_id>/archive", methods=["POST"])
@requires(can_manage_job_descriptions)
def competency_archive(competency_id: int):
    competency = library.get_competency(competency_id)
    if ConfirmForm().validate_on_submit():
        restore = request.form.get("restore") == "1"
        library.archive_competency(competency, archived=not restore)
        flash(_("Competency restored.") if restore else _("Competency archived."), "success")
    return redirect(url_for("jobs.competencies"))


# --- base job descriptions ----------------------------------------------------------------------


@bp.route("/library")
@requires(can_browse_libraries)
def templates():
    search = request.args.get("q", "").strip()
    page = page_of(library.list_templates(search))
    return render_template("jobs/templates.html", page=page, search=search, confirm_form=ConfirmForm())


@bp.route("/library/<int:template_id>")
@requires(can_browse_libraries)
def template(template_id: int):
    template = library.get_template(template_id)
    return render_template(
        "jobs/template.html",
        template=template,
        content=template.content,
        kpis={k.id: k for k in library.kpi_choices()},
        competencies={c.id: c for c in library.competency_choices()},
        confirm_form=ConfirmForm(),
    )


@bp.route("/library/<int:template_id>/archive", methods=["POST"])
@requires(can_manage_job_descriptions)
def template_archive(template_id: int):
    template = library.get_template(template_id)
    if ConfirmForm().validate_on_submit():
        library.archive_template(template)
        flash(_("Removed from the library."), "success")
    return redirect(url_for("jobs.templates"))
