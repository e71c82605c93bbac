"""Department pages: list, detail, create, edit (including moving), archive, delete."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.forms import ConfirmForm
from app.auth.permissions import requires
from app.core.forms import attempt, save
from app.core.listing import page_of, sort_query
from app.org import services
from app.org.access import can_edit_org, can_view_org
from app.org.fields import DEPARTMENT
from app.org.forms import DepartmentForm, form_values
from app.org.function_forms import BLANK_ROWS, FunctionsForm
from app.org.models import Department
from app.org.views import bp
from app.org.views._helpers import blank_choice, department_arg, int_arg


@bp.route("/departments")
@requires(can_view_org)
def departments():
    search = request.args.get("q", "").strip()
    archived = request.args.get("archived") == "1"
    within = department_arg()  # the subtree of this department, as the positions and employees lists filter
    query, sort = sort_query(
        services.list_departments(search, archived, within),
        request.args.get("sort"),
        {
            "tree": Department.path,
            "code": Department.code,
            "name": Department.name,
        },
        "tree",
    )
    page = page_of(query)
    counts = services.department_position_counts([d.id for d in page.items])
    return render_template(
        "org/departments.html",
        page=page,
        search=search,
        archived=archived,
        sort=sort,
        counts=counts,
        department=within,
        department_choices=services.department_choices(),
    )


@bp.route("/departments/<int:department_id>")
@requires(can_view_org)
def department_detail(department_id: int):
    department = services.load_department_page(department_id)
    filled = services.filled_counts([p.id for p in department.positions])
    levels = services.position_levels(p.id for p in department.positions)
    positions = sorted(department.positions, key=lambda p: (levels.get(p.id, 0), p.code))  # head first
    return render_template(
        "org/department_detail.html",
        department=department,
        filled=filled,
        positions=positions,
        confirm_form=ConfirmForm(),
        references=services.department_references(department),
    )


def _form_data(form: DepartmentForm) -> services.DepartmentData:
    return services.DepartmentData(**form_values(form, DEPARTMENT))


def _choices(form: DepartmentForm, department: Department | None) -> None:
    form.parent_id.choices = blank_choice(services.department_choices(exclude=department), _("— none (top level) —"))
    positions = department.positions if department is not None else []
    form.head_position_id.choices = blank_choice(
        [(p.id, f"{p.title} ({p.code})") for p in positions if not p.is_archived]
    )


@bp.route("/departments/new", methods=["GET", "POST"])
@requires(can_edit_org)
def department_new():
    form = DepartmentForm()
    _choices(form, None)
    if request.method == "GET" and request.args.get("parent"):
        form.parent_id.data = int_arg("parent")
    if form.validate_on_submit():
        saved = save(form, lambda: services.create_department(_form_data(form)))
        if saved.ok:
            flash(_("Department %(name)s created.", name=saved.value.name), "success")
            return redirect(url_for("org.department_detail", department_id=saved.value.id))
    return render_template("org/department_form.html", form=form, department=None, conflict=None)


@bp.route("/departments/<int:department_id>/edit", methods=["GET", "POST"])
@requires(can_edit_org)
def department_edit(department_id: int):
    department = services.get_department(department_id)
    form = DepartmentForm(obj=department)
    _choices(form, department)
    conflict = None
    if request.method == "GET":
        form.functions.data = "\n".join(f.text for f in department.functions)
        form.collaborations.data = "\n".join(
            f"{c.partner_label}: {c.duty}" if c.partner_label else c.duty for c in department.collaborations
        )
        form.version.data = department.version
    elif form.validate_on_submit():
        saved = save(
            form,
            lambda: services.update_department(department, _form_data(form), seen_version=form.version.data or None),
            department,
        )
        if saved.ok:
            flash(_("Department %(name)s saved.", name=department.name), "success")
            return redirect(url_for("org.department_detail", department_id=department.id))
        conflict = saved.conflict
    return render_template("org/department_form.html", form=form, department=department, conflict=conflict)


@bp.route("/departments/<int:department_id>/archive", methods=["POST"])
@requires(can_edit_org)
def department_archive(department_id: int):
    department = services.get_department(department_id)
    restore = request.form.get("restore") == "1"
    if ConfirmForm().validate_on_submit():
        if attempt(lambda: services.archive_department(department, archived=not restore)).ok:
            flash(_("Department restored.") if restore else _("Department archived."), "success")
    return redirect(url_for("org.department_detail", department_id=department_id))


@bp.route("/departments/<int:department_id>/delete", methods=["POST"])
@requires(can_edit_org)
def department_delete(department_id: int):
    department = services.get_department(department_id)
    if ConfirmForm().validate_on_submit():
        name = department.name
        if not attempt(lambda: services.delete_department(department)).ok:
            return redirect(url_for("org.department_detail", department_id=department_id))
        flash(_("Department %(name)s deleted.", name=name), "success")
    return redirect(url_for("org.departments"))


def _function_items(form: FunctionsForm) -> tuple[list[services.FunctionItem], list[int]]:
    """The rows of ``form`` in their new order, removed ones left out, as service items; and
    for each item the index of its row (to put the service's errors back on it)."""
    rows = []
    for index, row in enumerate(form.functions):
        if row.remove.data:
            continue
        try:
            function_id = int(row.function_id.data) if row.function_id.data else None
        except ValueError:
            function_id = -1  # refused by the service at this row
        order = row.order.data if row.order.data is not None else index + 1
        rows.append((order, index, services.FunctionItem(function_id, row.title.data or "", row.text.data or "")))
    rows.sort(key=lambda item: (item[0], item[1]))
    return [item for _order, _index, item in rows], [index for _order, index, _item in rows]


def _place_function_errors(form: FunctionsForm, rows: list[int]):
    def place(_form, error) -> None:
        for path, messages in error.errors.items():
            parts = path.split(".")
            if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(rows):
                field = form.functions[rows[int(parts[1])]]["function_id" if parts[2] == "id" else parts[2]]
                field.errors = list(field.errors) + list(messages)
            else:
                form.form_errors.append(" ".join(messages))
        form.form_errors.append(error.message)

    return place


@bp.route("/departments/<int:department_id>/functions", methods=["GET", "POST"])
@requires(can_edit_org)
def department_functions(department_id: int):
    """A department's functions: add, reorder (by number), retitle, reword, remove."""
    department = services.load_department_page(department_id)
    form = FunctionsForm()
    conflict = None
    status = 200
    if request.method == "GET":
        for i, function in enumerate(department.functions, start=1):
            form.functions.append_entry(
                {"function_id": function.id, "order": i, "title": function.title, "text": function.text}
            )
        form.version.data = department.version
        start = len(form.functions) + 1
        for i in range(BLANK_ROWS):
            form.functions.append_entry({"order": start + i})
    elif form.validate_on_submit():
        items, rows = _function_items(form)
        saved = save(
            form,
            lambda: services.save_functions(department, items, seen_version=form.version.data or None),
            department,
            place=_place_function_errors(form, rows),
        )
        if saved.ok:
            flash(_("Functions of %(name)s saved.", name=department.name), "success")
            return redirect(url_for("org.department_detail", department_id=department.id) + "#coverage")
        conflict, status = saved.conflict, saved.status
    else:
        status = 422
    return render_template("org/department_functions.html", form=form, department=department, conflict=conflict), status
