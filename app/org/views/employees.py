"""Employee pages: list (scoped for managers), detail with position history, create, edit,
assignments."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import services as auth_services
from app.auth.permissions import requires
from app.core import bulk
from app.core.forms import save
from app.core.listing import page_of, sort_query
from app.extensions import db
from app.org import services
from app.org.access import (
    can_edit_org,
    can_list_employees,
    can_view_employee,
    can_view_org,
    employee_list_scope,
    viewable_employee_ids,
)
from app.org.fields import EMPLOYEE
from app.org.forms import AssignmentForm, EmployeeForm, EndAssignmentForm, form_values
from app.org.models import Assignment, Employee, EmployeeStatus
from app.org.views import bp
from app.org.views._helpers import blank_choice, department_arg


@bp.route("/employees")
@requires(can_list_employees)
def employees():
    search = request.args.get("q", "").strip()
    department = department_arg()
    status = request.args.get("status", "")
    status = status if status in {s.value for s in EmployeeStatus} else ""
    within = employee_list_scope(current_user)  # a manager sees their subtree
    query, sort = sort_query(
        services.list_employees(search, department, status, within),
        request.args.get("sort"),
        {
            "employee_no": Employee.employee_no,
            "name": Employee.name,
            "hire_date": Employee.hire_date,
            "status": Employee.status,
        },
        "employee_no",
    )
    page = page_of(query)
    return render_template(
        "org/employees.html",
        page=page,
        search=search,
        department=department,
        status=status,
        sort=sort,
        statuses=EmployeeStatus,
        department_choices=services.department_choices(),
        scoped=within is not None,
        primary_position=services.primary_position,
        selection=bulk.for_page(current_user, "org.employees"),
    )


def _visible_employee(employee_id: int) -> Employee:
    employee = services.load_employee_page(employee_id)
    if not can_view_employee(current_user, employee):
        abort(404)  # do not reveal that the employee exists
    return employee


def _detail_context(employee: Employee, **forms) -> dict:
    """What the employee page shows, in a fixed number of queries (the manager's holders the
    user may open are found at once, not one permission check per holder)."""
    manager = services.manager_of(employee)
    return {
        "employee": employee,
        "position": services.primary_position(employee),
        "manager": manager,
        "viewable_managers": viewable_employee_ids(current_user, [m.id for m in manager[1]]),
        "assign_form": forms.get("assign_form") or _assignment_form(),
        "end_form": forms.get("end_form") or EndAssignmentForm(),
        "end_errors": {},
        "end_value": {},
    }


@bp.route("/employees/<int:employee_id>")
@requires(can_view_org)  # and then the object check in _visible_employee
def employee_detail(employee_id: int):
    employee = _visible_employee(employee_id)
    return render_template("org/employee_detail.html", **_detail_context(employee))


def _assignment_form(**kwargs) -> AssignmentForm:
    return AssignmentForm(**kwargs)


def _user_choices():
    return blank_choice(auth_services.user_choices(), _("— no account —"))


def _form_data(form: EmployeeForm) -> services.EmployeeData:
    return services.EmployeeData(**form_values(form, EMPLOYEE))


@bp.route("/employees/new", methods=["GET", "POST"])
@requires(can_edit_org)
def employee_new():
    form = EmployeeForm()
    form.user_id.choices = _user_choices()
    if form.validate_on_submit():
        saved = save(form, lambda: services.create_employee(_form_data(form)))
        if saved.ok:
            flash(_("Employee %(name)s created. Assign a position below.", name=saved.value.name), "success")
            return redirect(url_for("org.employee_detail", employee_id=saved.value.id))
    return render_template("org/employee_form.html", form=form, employee=None, conflict=None)


@bp.route("/employees/<int:employee_id>/edit", methods=["GET", "POST"])
@requires(can_edit_org)
def employee_edit(employee_id: int):
    employee = services.get_employee(employee_id)
    form = EmployeeForm(obj=employee)
    form.user_id.choices = _user_choices()
    conflict = None
    if request.method == "GET":
        form.version.data = employee.version
    elif form.validate_on_submit():
        saved = save(
            form,
            lambda: services.update_employee(employee, _form_data(form), seen_version=form.version.data or None),
            employee,
        )
        if saved.ok:
            flash(_("Employee %(name)s saved.", name=employee.name), "success")
            return redirect(url_for("org.employee_detail", employee_id=employee.id))
        conflict = saved.conflict
    return render_template("org/employee_form.html", form=form, employee=employee, conflict=conflict)


@bp.route("/employees/<int:employee_id>/assignments", methods=["POST"])
@requires(can_edit_org)
def employee_assign(employee_id: int):
    employee = services.load_employee_page(employee_id)
    form = _assignment_form()
    if form.validate_on_submit():
        if save(
            form,
            lambda: services.assign(
                employee, form.position_id.data, form.start_date.data, form.end_date.data, form.is_primary.data
            ),
        ).ok:
            flash(_("Assignment saved."), "success")
            return redirect(url_for("org.employee_detail", employee_id=employee_id))
    employee = services.load_employee_page(employee_id)
    return render_template("org/employee_detail.html", **_detail_context(employee, assign_form=form), open_assign=True)


@bp.route("/employees/<int:employee_id>/assignments/<int:assignment_id>/end", methods=["POST"])
@requires(can_edit_org)
def assignment_end(employee_id: int, assignment_id: int):
    assignment = db.get_or_404(Assignment, assignment_id)
    if assignment.employee_id != employee_id:
        abort(404)
    form = EndAssignmentForm()
    if form.validate_on_submit():
        if save(form, lambda: services.end_assignment(assignment, form.end_date.data)).ok:
            flash(_("Assignment ended."), "success")
            return redirect(url_for("org.employee_detail", employee_id=employee_id))
    # The page again, with the message under this assignment's date and the date kept.
    errors = [str(message) for messages in form.errors.values() for message in messages]
    context = _detail_context(services.load_employee_page(employee_id), end_form=form)
    context.update(end_errors={assignment_id: errors}, end_value={assignment_id: request.form.get("end_date", "")})
    return render_template("org/employee_detail.html", **context), 422
