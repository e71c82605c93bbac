"""Plan pages: the list, a new plan, a plan's tree with its KPI lines, handing down, and the
workflow (approve, lock, revise, delete a draft); "my targets" for everyone."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import requires
from app.core.errors import ServiceError
from app.core.formatting import number
from app.core.forms import attempt, save
from app.core.listing import page_of
from app.extensions import db
from app.jobs.models import Kpi
from app.org import services as org
from app.org.models import Department
from app.targets import access, services
from app.targets import figures as fig
from app.targets.forms import ActionForm, HandDownForm, LineForm, PlanForm, RevisionForm, ShareForm
from app.targets.models import MONTHS, PERIODS, Rule, SplitMethod
from app.targets.views import bp


def _plan_or_404(plan_id: int, check=access.can_view_plan):
    plan = services.get_plan(plan_id)
    if not access.can_view_plan(current_user, plan):
        abort(404)
    if not check(current_user, plan):
        abort(403)
    return plan


def _department_choices():
    scope = access.plan_scope(current_user)
    return [(i, label) for i, label in org.department_choices() if scope is None or i in scope]


@bp.route("/")
@requires(access.can_use_plans)
def index():
    scope = access.plan_scope(current_user)
    page = page_of(services.list_plans(scope))
    form = PlanForm()
    form.department_id.choices = _department_choices()
    return render_template("targets/index.html", page=page, form=form)


@bp.route("/new", methods=["POST"])
@requires(access.can_use_plans)
def plan_new():
    form = PlanForm()
    form.department_id.choices = _department_choices()
    if form.validate_on_submit():
        department = db.session.get(Department, form.department_id.data)
        if department is None or not access.can_plan_department(current_user, department):
            abort(403)
        saved = save(
            form, lambda: services.create_plan(department, form.fiscal_year.data, current_user, form.title.data or "")
        )
        if saved.ok:
            flash(_("Plan created: add its KPIs."), "success")
            return redirect(url_for("targets.plan", plan_id=saved.value.id))
    page = page_of(services.list_plans(access.plan_scope(current_user)))
    return render_template("targets/index.html", page=page, form=form), 422


def _line_form(plan, form: LineForm | None = None, kpi_id: int | None = None) -> LineForm:
    form = form or LineForm()
    kpis = db.session.scalars(db.select(Kpi).where(Kpi.archived_at.is_(None)).order_by(Kpi.code)).all()
    form.kpi_id.choices = [(k.id, f"{k.name} ({k.code}{', ' + k.unit if k.unit else ''})") for k in kpis]
    form.base_kpi_id.choices = [("", _("— plain mean —"))] + [
        (line.kpi_id, line.kpi.name) for line in plan.lines if line.rule == Rule.SUM.value
    ]
    if request.method == "GET":
        form.version.data = plan.version
        line = next((line for line in plan.lines if line.kpi_id == kpi_id), None)
        if line is not None:
            form.kpi_id.data, form.rule.data, form.base_kpi_id.data = line.kpi_id, line.rule, line.base_kpi_id
            form.annual.data, form.split.data = _plain(line.y), line.split
            for entry, value in zip(form.percents.entries, line.percents or [""] * 12):
                entry.data = value
            for entry, key in zip(form.months.entries, MONTHS):
                entry.data = _plain(getattr(line, key))
    return form


def _plain(value) -> str:
    from app.core.numbers import plain

    return plain(value)


FULL_TREE = 400  # nodes; a larger tree shows the positions of one department at a time


def tree_rows(tree, period: str, focus: int | None = None) -> tuple[list[tuple], dict[int, int]]:
    """The tree's rows for the page, formatted once here (a company's tree has thousands of
    cells; the same figure is spelt once): (node, [(target, handed down, remainder, over) or None
    per KPI]). Past ``FULL_TREE`` nodes every department still shows, but only the ``focus``
    department's positions: the others are counted ({department id: positions not shown})."""
    spelt: dict = {}

    def spell(value) -> str:
        if value is None:
            return ""
        if value not in spelt:
            spelt[value] = number(value)
        return spelt[value]

    rows = []
    folded = len(tree.nodes) > FULL_TREE
    hidden: dict[int, int] = {}
    for node in tree.nodes:
        if folded and node.kind == "position" and node.department_id != focus:
            hidden[node.department_id] = hidden.get(node.department_id, 0) + 1
            continue
        cells: list = []
        for line in tree.lines:
            cell = node.cells.get(line.kpi_id)
            if cell is None:
                cells.append(None)
                continue
            remainder = cell.remainder.get(period) if cell.has_children else None
            cells.append(
                (
                    spell(cell.target.get(period)),
                    spell(cell.handed.get(period)) if cell.has_children else "",
                    spell(remainder),
                    remainder is not None and remainder < 0 and line.rule != Rule.MEAN.value,
                )
            )
        rows.append((node, cells))
    return rows, hidden


def _page(plan, line_form=None, hand_form=None, revision_form=None, status=200, conflict=None):
    period = request.args.get("period", "y")
    period = period if period in PERIODS else "y"
    tree = services.plan_tree(plan, (period,))
    parent_id = request.values.get("parent", type=int) or plan.department_id
    departments, positions = services.receivers(plan, parent_id)
    hand_form = hand_form or HandDownForm()
    hand_form.kpi_id.choices = [(line.kpi_id, line.kpi.name) for line in plan.lines]
    if request.method == "GET":
        hand_form.version.data = plan.version
    parent = db.session.get(Department, parent_id)
    rows, folded = tree_rows(tree, period, parent_id)
    return render_template(
        "targets/plan.html",
        plan=plan,
        tree=tree,
        line_form=line_form or _line_form(plan),
        hand_form=hand_form,
        revision_form=revision_form or RevisionForm(version=plan.version),
        action_form=ActionForm(version=plan.version),
        receivers=(departments, positions),
        parent=parent,
        history=services.history(plan),
        problems=services.plan_problems(plan) if plan.is_draft else [],
        conflict=conflict,
        month_keys=MONTHS,
        split_methods=SplitMethod,
        period=period,
        tree_rows=rows,
        folded=folded,
    ), status


@bp.route("/plans/<int:plan_id>")
@requires(access.can_use_plans)
def plan(plan_id: int):
    plan = _plan_or_404(plan_id)
    return _page(plan, line_form=_line_form(plan, kpi_id=request.args.get("kpi", type=int)))


@bp.route("/plans/<int:plan_id>/lines", methods=["POST"])
@requires(access.can_use_plans)
def plan_line(plan_id: int):
    plan = _plan_or_404(plan_id, access.can_edit_plan)
    form = _line_form(plan, LineForm())
    if form.validate_on_submit():
        data = services.LineData(
            kpi_id=form.kpi_id.data,
            annual=form.annual.data,
            rule=form.rule.data,
            split=form.split.data,
            base_kpi_id=form.base_kpi_id.data,
            percents=[e.data or "" for e in form.percents.entries],
            months=[e.data or "" for e in form.months.entries],
        )
        saved = save(form, lambda: services.set_line(plan, data, seen_version=form.version.data or None), plan)
        if saved.ok:
            flash(_("KPI %(name)s saved.", name=saved.value.kpi.name), "success")
            return redirect(url_for("targets.plan", plan_id=plan.id))
        return _page(plan, line_form=form, status=saved.status, conflict=saved.conflict)
    return _page(plan, line_form=form, status=422)


@bp.route("/plans/<int:plan_id>/lines/<int:kpi_id>/remove", methods=["POST"])
@requires(access.can_use_plans)
def plan_line_remove(plan_id: int, kpi_id: int):
    plan = _plan_or_404(plan_id, access.can_edit_plan)
    form = ActionForm()
    if form.validate_on_submit() and attempt(lambda: services.remove_line(plan, kpi_id, form.version.data or None)).ok:
        flash(_("KPI removed from the plan."), "success")
    return redirect(url_for("targets.plan", plan_id=plan.id))


def _nodes_and_values() -> tuple[list[tuple[str, int]], list[str]]:
    nodes, values = [], []
    for raw in request.form.getlist("node"):
        kind, _sep, number = raw.partition(":")
        if kind in ("department", "position") and number.isdigit() and len(number) < 12:
            nodes.append((kind, int(number)))
            values.append(request.form.get(f"value-{raw}", ""))
    return nodes, values


@bp.route("/plans/<int:plan_id>/hand-down", methods=["POST"])
@requires(access.can_use_plans)
def plan_hand_down(plan_id: int):
    plan = _plan_or_404(plan_id, access.can_edit_plan)
    form = HandDownForm()
    form.kpi_id.choices = [(line.kpi_id, line.kpi.name) for line in plan.lines]
    parent_id = request.form.get("parent", type=int) or plan.department_id
    if form.validate_on_submit():
        nodes, values = _nodes_and_values()
        data = services.HandDown(
            kpi_id=form.kpi_id.data,
            parent_department_id=parent_id,
            nodes=nodes,
            method=form.method.data,
            values=values if form.method.data != "even" else [],
            confirm_over=form.confirm_over.data,
        )

        def place(form, error):
            for name, messages in error.errors.items():
                target = getattr(form, name, None) if not name.startswith("values") else form.nodes
                (target if target is not None and hasattr(target, "errors") else form.nodes).errors = list(
                    getattr(target, "errors", [])
                ) + list(messages)

        saved = save(
            form,
            lambda: services.hand_down(plan, data, form.version.data or None, access.may_over_allocate(current_user)),
            plan,
            place=place,
        )
        if saved.ok:
            flash(_("Handed down to %(num)d receiver(s).", num=saved.value), "success")
            return redirect(
                url_for("targets.plan", plan_id=plan.id, parent=parent_id if parent_id != plan.department_id else None)
            )
        return _page(plan, hand_form=form, status=saved.status, conflict=saved.conflict)
    return _page(plan, hand_form=form, status=422)


@bp.route("/plans/<int:plan_id>/shares/remove", methods=["POST"])
@requires(access.can_use_plans)
def plan_shares_remove(plan_id: int):
    plan = _plan_or_404(plan_id, access.can_edit_plan)
    form = ActionForm()
    kpi_id, parent_id = request.form.get("kpi_id", type=int), request.form.get("parent", type=int)
    if form.validate_on_submit() and kpi_id and parent_id:
        if attempt(lambda: services.remove_shares(plan, kpi_id, parent_id, form.version.data or None)).ok:
            flash(_("What was handed down is taken back."), "success")
    return redirect(url_for("targets.plan", plan_id=plan.id))


@bp.route("/plans/<int:plan_id>/share", methods=["GET", "POST"])
@requires(access.can_use_plans)
def plan_share(plan_id: int):
    """One node's share of a KPI (``?kind=position&node=7&kpi=3``): its figures, and a form to
    change one period by hand; below, the check of what its parent (and, for a department, it)
    handed down: never hidden."""
    plan = _plan_or_404(plan_id)
    kind, node_id, kpi_id = (
        request.args.get("kind"),
        request.args.get("node", type=int),
        request.args.get("kpi", type=int),
    )
    if not node_id or not kpi_id:
        abort(404)
    try:
        share = services.get_share(plan, kpi_id, kind or "", node_id)
    except ServiceError:
        abort(404)
    form = ShareForm()
    labels = services.period_labels(plan)
    form.period.choices = [("y", labels["y"]), *[(m, labels[m]) for m in MONTHS]]
    status, conflict = 200, None
    if request.method == "POST":
        if not access.can_edit_plan(current_user, plan):
            abort(403)
        if form.validate_on_submit():
            saved = save(
                form,
                lambda: services.set_share_figure(
                    plan,
                    share,
                    form.period.data,
                    form.value.data,
                    form.version.data or None,
                    access.may_over_allocate(current_user),
                    bool(form.confirm_over.data),
                ),
                plan,
            )
            if saved.ok:
                flash(_("Target saved: check what is handed down below."), "success")
                return redirect(url_for("targets.plan_share", plan_id=plan.id, kind=kind, node=node_id, kpi=kpi_id))
            status, conflict = saved.status, saved.conflict
        else:
            status = 422
    else:
        form.version.data = plan.version
        asked = request.args.get("period")
        form.period.data = asked if asked in ("y", *MONTHS) else "y"  # a quarter follows its months
        form.value.data = _plain(getattr(share, form.period.data))
    line = share.line
    checks = [(share.parent_department_id, services.share_gaps(plan, line, share.parent_department_id))]
    if kind == "department":
        checks.append((node_id, services.share_gaps(plan, line, node_id)))
    names = dict(
        db.session.execute(
            db.select(Department.id, Department.name).where(Department.id.in_([d for d, _g in checks]))
        ).all()
    )
    own_diff = fig.differences(line.rule, share.y, share.figures()) if line.rule != Rule.MEAN.value else {}
    return render_template(
        "targets/share.html",
        plan=plan,
        share=share,
        line=line,
        node=share.department or share.position,
        form=form,
        labels=labels,
        checks=[(names.get(d, ""), gaps) for d, gaps in checks],
        own_diff=own_diff,
        conflict=conflict,
        editable=plan.is_draft and access.can_edit_plan(current_user, plan),
    ), status


@bp.route("/plans/<int:plan_id>/approve", methods=["POST"])
@requires(access.can_use_plans)
def plan_approve(plan_id: int):
    plan = _plan_or_404(plan_id, access.can_approve_plan)
    form = ActionForm()
    if (
        form.validate_on_submit()
        and attempt(lambda: services.approve(plan, current_user, form.version.data or None)).ok
    ):
        flash(_("Plan approved: its targets are in force."), "success")
    return redirect(url_for("targets.plan", plan_id=plan.id))


@bp.route("/plans/<int:plan_id>/lock", methods=["POST"])
@requires(access.can_use_plans)
def plan_lock(plan_id: int):
    plan = _plan_or_404(plan_id, access.can_lock_plan)
    form = ActionForm()
    if form.validate_on_submit() and attempt(lambda: services.lock(plan, form.version.data or None)).ok:
        flash(_("Plan locked."), "success")
    return redirect(url_for("targets.plan", plan_id=plan.id))


@bp.route("/plans/<int:plan_id>/revise", methods=["POST"])
@requires(access.can_use_plans)
def plan_revise(plan_id: int):
    plan = _plan_or_404(plan_id, access.can_edit_plan)
    form = RevisionForm()
    if form.validate_on_submit():
        saved = save(
            form, lambda: services.revise(plan, current_user, form.change_note.data, form.version.data or None), plan
        )
        if saved.ok:
            flash(_("Revision %(num)d started.", num=saved.value.revision), "success")
            return redirect(url_for("targets.plan", plan_id=saved.value.id))
        return _page(plan, revision_form=form, status=saved.status, conflict=saved.conflict)
    return _page(plan, revision_form=form, status=422)


@bp.route("/plans/<int:plan_id>/delete", methods=["POST"])
@requires(access.can_use_plans)
def plan_delete(plan_id: int):
    plan = _plan_or_404(plan_id, access.can_edit_plan)
    form = ActionForm()
    if form.validate_on_submit():
        if attempt(lambda: services.delete_draft(plan, form.version.data or None)).ok:
            flash(_("Draft plan deleted."), "success")
            return redirect(url_for("targets.index"))
    return redirect(url_for("targets.plan", plan_id=plan.id))


@bp.route("/mine")
@requires(access.can_see_own_targets)
def mine():
    held = org.positions_held_by_user(current_user)
    rows = services.shares_of_positions(held)
    labels = {}
    for _share, _line, plan in rows:
        labels.setdefault(plan.id, services.period_labels(plan))
    return render_template("targets/mine.html", rows=rows, labels=labels, month_keys=MONTHS)
