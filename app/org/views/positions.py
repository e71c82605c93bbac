"""Position pages: list, detail, create, edit, archive, delete."""

from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.forms import ConfirmForm
from app.auth.permissions import requires
from app.core import bulk
from app.core.forms import attempt, save
from app.core.listing import page_of, sort_query
from app.org import services
from app.org.access import can_edit_org, can_view_org, viewable_employee_ids
from app.org.fields import POSITION
from app.org.forms import PositionForm, form_values
from app.org.models import Department, Position
from app.org.views import bp
from app.org.views._helpers import blank_choice, department_arg, int_arg

VACANCY_FILTERS = ("vacant", "filled", "over")


@bp.route("/positions")
@requires(can_view_org)
def positions():
    search = request.args.get("q", "").strip()
    department = department_arg()
    vacancy = request.args.get("vacancy", "")
    vacancy = vacancy if vacancy in VACANCY_FILTERS else ""
    archived = request.args.get("archived") == "1"
    filters = (search, department, vacancy, archived)
    query, sort = sort_query(
        services.list_positions(*filters),
        request.args.get("sort"),
        {
            "code": Position.code,
            "title": Position.title,
            "department": Department.name,
            "grade": Position.grade,
            "headcount": Position.headcount,
            "line": None,  # line: head first, the query's own order
        },
        "line",
    )
    page = page_of(query, counted=services.list_positions(*filters, by_code=True))  # counted without the ranking
    ids = [position.id for position in page.items]
    return render_template(
        "org/positions.html",
        page=page,
        holders=services.holder_names(ids),
        filled=services.filled_counts(ids),
        search=search,
        department=department,
        vacancy=vacancy,
        archived=archived,
        sort=sort,
        department_choices=services.department_choices(),
        selection=bulk.for_page(current_user, "org.positions"),
    )


@bp.route("/positions/lookup")
@requires(can_view_org)
def position_lookup():
    """Suggestions for position-code fields: JSON [{code, title, department}]."""
    return jsonify(services.find_positions(request.args.get("q", "")[:100]))


@bp.route("/positions/<int:position_id>")
@requires(can_view_org)
def position_detail(position_id: int):
    position = services.load_position_page(position_id)
    subordinate_ids = [p.id for p in position.subordinates]
    viewable = viewable_employee_ids(current_user, [a.employee_id for a in position.assignments])
    return render_template(
        "org/position_detail.html",
        position=position,
        filled=services.filled_counts([position.id]).get(position.id, 0),
        subordinate_holders=services.current_holders(subordinate_ids),
        dotted_reports=services.dotted_reports(position),
        manager=services.managers_of_position(position.id),
        viewable=viewable,
        confirm_form=ConfirmForm(),
        references=services.position_references(position),
    )


def _form_data(form: PositionForm) -> services.PositionData:
    return services.PositionData(**form_values(form, POSITION))


def _choices(form: PositionForm, position: Position | None) -> None:
    form.department_id.choices = blank_choice(services.department_choices(), _("— choose —"))


def _save(form: PositionForm, position: Position | None):
    """Create or update from a validated form; returns (position, conflict)."""
    if position is None:
        saved = save(form, lambda: services.create_position(_form_data(form)))
        return saved.value, None
    saved = save(
        form,
        lambda: services.update_position(position, _form_data(form), seen_version=form.version.data or None),
        position,
    )
    return (position if saved.ok else None), saved.conflict


@bp.route("/positions/new", methods=["GET", "POST"])
@requires(can_edit_org)
def position_new():
    form = PositionForm()
    _choices(form, None)
    if request.method == "GET":
        form.department_id.data = int_arg("department")
        form.reports_to_id.data = int_arg("reports_to")
    if form.validate_on_submit():
        position, _conflict = _save(form, None)
        if position is not None:
            flash(_("Position %(title)s created.", title=position.title), "success")
            return redirect(url_for("org.position_detail", position_id=position.id))
    return render_template("org/position_form.html", form=form, position=None, conflict=None)


@bp.route("/positions/<int:position_id>/edit", methods=["GET", "POST"])
@requires(can_edit_org)
def position_edit(position_id: int):
    position = services.get_position(position_id)
    form = PositionForm(obj=position)
    _choices(form, position)
    conflict = None
    if request.method == "GET":
        form.dotted_superior_ids.data = [p.id for p in position.dotted_superiors]
        form.version.data = position.version
    elif form.validate_on_submit():
        saved, conflict = _save(form, position)
        if saved is not None:
            flash(_("Position %(title)s saved.", title=saved.title), "success")
            return redirect(url_for("org.position_detail", position_id=saved.id))
    return render_template("org/position_form.html", form=form, position=position, conflict=conflict)


@bp.route("/positions/<int:position_id>/archive", methods=["POST"])
@requires(can_edit_org)
def position_archive(position_id: int):
    position = services.get_position(position_id)
    restore = request.form.get("restore") == "1"
    if ConfirmForm().validate_on_submit():
        if attempt(lambda: services.archive_position(position, archived=not restore)).ok:
            flash(_("Position restored.") if restore else _("Position archived."), "success")
    return redirect(url_for("org.position_detail", position_id=position_id))


@bp.route("/positions/<int:position_id>/delete", methods=["POST"])
@requires(can_edit_org)
def position_delete(position_id: int):
    position = services.get_position(position_id)
    if ConfirmForm().validate_on_submit():
        title = position.title
        if not attempt(lambda: services.delete_position(position)).ok:
            return redirect(url_for("org.position_detail", position_id=position_id))
        flash(_("Position %(title)s deleted.", title=title), "success")
    return redirect(url_for("org.positions"))
