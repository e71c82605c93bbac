"""Target plans: operations (create, set a KPI line and its split, hand down, approve, lock,
revise) and named queries (the tree of a plan, a position's handed-down targets). Services
flush; the request, CLI command or task commits (app.core.unit_of_work)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, insert, or_, select, type_coerce
from sqlalchemy.orm import selectinload

from app.audit.services import record
from app.core.concurrency import check_version
from app.core.errors import NotFound, ServiceError
from app.core.numbers import NumberError, parse_number, plain
from app.db import utcnow
from app.extensions import db
from app.jobs.models import Kpi
from app.org.models import Department, Position
from app.targets import figures as fig
from app.targets.models import (
    MONTHS,
    PERIODS,
    QUARTERS,
    FastNumber,
    PlanStatus,
    Rule,
    SplitMethod,
    TargetActual,
    TargetLine,
    TargetPlan,
    TargetShare,
    fast_figures,
)

MIN_YEAR, MAX_YEAR = 2000, 2100


# --- periods ------------------------------------------------------------------------------


def fiscal_start_month() -> int:
    return int(current_app.config.get("FISCAL_YEAR_START_MONTH", 1))


def month_dates(plan: TargetPlan) -> dict[str, tuple[date, date]]:
    """{m1…m12: (first day, last day)} of the plan's fiscal year (year N starts in N's start month)."""
    spans = {}
    for i, key in enumerate(MONTHS):
        month = plan.start_month - 1 + i
        year, month = plan.fiscal_year + month // 12, month % 12 + 1
        spans[key] = (date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
    return spans


def period_dates(plan: TargetPlan) -> dict[str, tuple[date, date]]:
    months = month_dates(plan)
    spans = dict(months)
    for quarter in QUARTERS:
        first, _mid, last = fig.quarter_months(quarter)
        spans[quarter] = (months[first][0], months[last][1])
    spans["y"] = (months["m1"][0], months["m12"][1])
    return spans


def period_labels(plan: TargetPlan) -> dict[str, str]:
    months = month_dates(plan)
    labels = {"y": _("Year"), **{q: _("Q%(num)d", num=i + 1) for i, q in enumerate(QUARTERS)}}
    labels.update({key: f"{start.year}-{start.month:02d}" for key, (start, _end) in months.items()})
    return labels


# --- reading ------------------------------------------------------------------------------


def get_plan(plan_id: int) -> TargetPlan:
    plan = db.session.get(TargetPlan, plan_id)
    if plan is None:
        raise NotFound(_("No such target plan."))
    return plan


def list_plans(department_ids=None):
    """A select of plans, newest year first, then department code and revision; ``department_ids``
    (a select or list) limits it to those departments."""
    query = (
        select(TargetPlan)
        .join(Department, Department.id == TargetPlan.department_id)
        .options(selectinload(TargetPlan.department))
        .order_by(TargetPlan.fiscal_year.desc(), Department.code, TargetPlan.revision.desc())
    )
    if department_ids is not None:
        query = query.where(TargetPlan.department_id.in_(department_ids))
    return query


def headed_department_ids(position_ids) -> list[int]:
    """The departments (with their subtrees) headed by one of ``position_ids``."""
    if not position_ids:
        return []
    heads = db.session.scalars(select(Department).where(Department.head_position_id.in_(list(position_ids)))).all()
    if not heads:
        return []
    condition = or_(*[Department.path.startswith(d.path, autoescape=True) for d in heads])
    return list(db.session.scalars(select(Department.id).where(condition)))


# --- numbers ------------------------------------------------------------------------------


def _read(value, field_name: str, prefix: str = "", **limits) -> Decimal:
    """A typed figure (required, not negative by default), or the field's error, ``prefix``ed."""
    limits.setdefault("low", 0)
    try:
        number = parse_number(value, required=True, **limits)
    except NumberError as error:
        raise ServiceError.field(field_name, prefix + error.message) from None
    assert number is not None
    return number


# --- plans --------------------------------------------------------------------------------


def create_plan(department: Department, fiscal_year, user=None, title: str = "") -> TargetPlan:
    try:
        year = int(str(fiscal_year).strip())
    except (TypeError, ValueError):
        raise ServiceError.field("fiscal_year", _("Enter a year, such as 2026.")) from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ServiceError.field(
            "fiscal_year", _("Enter a year from %(low)d to %(high)d.", low=MIN_YEAR, high=MAX_YEAR)
        )
    if department.is_archived:
        raise ServiceError.field("department_id", _("This department is archived."))
    existing = db.session.scalar(
        select(func.count())
        .select_from(TargetPlan)
        .where(TargetPlan.department_id == department.id, TargetPlan.fiscal_year == year)
    )
    if existing:
        raise ServiceError.field(
            "fiscal_year", _("This department already has a plan for %(year)d: revise it instead.", year=year)
        )
    plan = TargetPlan(
        department=department,
        fiscal_year=year,
        start_month=fiscal_start_month(),
        revision=1,
        status=PlanStatus.DRAFT.value,
        title=(title or "").strip()[:200],
        created_by_id=getattr(user, "id", None),
    )
    db.session.add(plan)
    db.session.flush()
    return plan


def check_editable(plan: TargetPlan, seen_version) -> None:
    check_version(plan, seen_version)
    if not plan.is_draft:
        raise ServiceError(
            _(
                "This plan is %(status)s: only a draft can be changed. Start a revision to change it.",
                status=plan.status_enum.label.lower(),
            )
        )


def touch(plan: TargetPlan) -> None:
    """A change of a plan's lines or shares is a change of the plan: its version moves on."""
    plan.version = plan.version + 1
    db.session.flush()


@dataclass
class LineData:
    kpi_id: int | None
    annual: object  # as typed
    rule: str = Rule.SUM.value
    split: str = SplitMethod.EVEN.value
    base_kpi_id: int | None = None
    percents: list = field(default_factory=list)  # twelve, as typed (split "percent")
    months: list = field(default_factory=list)  # twelve, as typed (split "manual")


def line_for(plan: TargetPlan, kpi_id: int) -> TargetLine:
    line = next((line for line in plan.lines if line.kpi_id == kpi_id), None)
    if line is None:
        raise ServiceError.field("kpi_id", _("This plan has no line for that KPI."))
    return line


def _base_months(plan: TargetPlan, base_kpi_id: int | None) -> dict | None:
    if base_kpi_id is None:
        return None
    base = next((line for line in plan.lines if line.kpi_id == base_kpi_id), None)
    return base.figures() if base is not None else None


def set_line(plan: TargetPlan, data: LineData, seen_version=None) -> TargetLine:
    """Add or replace the plan's line for a KPI: its rule, annual target and monthly split."""
    check_editable(plan, seen_version)
    kpi = db.session.get(Kpi, data.kpi_id) if data.kpi_id else None
    if kpi is None or kpi.archived_at is not None:
        raise ServiceError.field("kpi_id", _("Choose a KPI of the library."))
    if data.rule not in Rule.values():
        raise ServiceError.field("rule", _("Choose how the parts of this KPI combine."))
    if data.split not in SplitMethod.values():
        raise ServiceError.field("split", _("Choose how to split the year."))
    rate = data.rule == Rule.MEAN.value
    annual = _read(data.annual, "annual", rate=rate)
    base_kpi_id = data.base_kpi_id if rate else None
    if base_kpi_id is not None:
        base = next((line for line in plan.lines if line.kpi_id == base_kpi_id), None)
        if base is None or base.rule != Rule.SUM.value or base_kpi_id == kpi.id:
            raise ServiceError.field("base_kpi_id", _("The weights of a rate must be an amount KPI of this plan."))
    percents = None
    if data.split == SplitMethod.PERCENT.value:
        if data.rule != Rule.SUM.value:
            raise ServiceError.field(
                "split",
                _(
                    "Only an amount is split by percentages: a rate or a count is the "
                    "same figure in each month (or typed by hand)."
                ),
            )
        if len(data.percents) != 12:
            raise ServiceError.field("percents", _("Give twelve percentages, one per month."))
        shares = [
            _read(typed, "percents", _("Month %(num)d: ", num=i + 1), high=100, decimals=2, rate=True)
            for i, typed in enumerate(data.percents)
        ]
        total = sum(shares, Decimal(0))
        if total != 100:
            raise ServiceError.field("percents", _("The percentages add up to %(total)s, not 100.", total=plain(total)))
        months = fig.split_year(data.rule, annual, shares)
        percents = [plain(v) for v in shares]
    elif data.split == SplitMethod.MANUAL.value:
        if len(data.months) != 12:
            raise ServiceError.field("months", _("Give twelve monthly figures."))
        months = {
            key: _read(typed, "months", _("Month %(num)d: ", num=int(key[1:])), rate=rate)
            for key, typed in zip(MONTHS, data.months)
        }
    else:
        months = fig.split_year(data.rule, annual, None)
    figures: fig.Values = fig.roll_up(data.rule, months, _base_months(plan, base_kpi_id))
    figures["y"] = annual  # the whole as stated; a split that does not give it is shown as a difference
    line = next((line for line in plan.lines if line.kpi_id == kpi.id), None)
    if line is None:
        line = TargetLine(kpi=kpi, position=len(plan.lines))
        plan.lines.append(line)
    elif line.rule != data.rule:
        db.session.execute(delete(TargetShare).where(TargetShare.line_id == line.id))  # shares of another rule
    line.rule, line.split, line.base_kpi_id, line.percents = data.rule, data.split, base_kpi_id, percents
    line.set_figures(figures)
    touch(plan)
    return line


def remove_line(plan: TargetPlan, kpi_id: int, seen_version=None) -> None:
    check_editable(plan, seen_version)
    line = line_for(plan, kpi_id)
    if any(other.base_kpi_id == kpi_id for other in plan.lines):
        raise ServiceError.field("kpi_id", _("Another line uses this KPI as its weights: change that line first."))
    db.session.execute(delete(TargetShare).where(TargetShare.line_id == line.id))
    plan.lines.remove(line)
    touch(plan)


def line_differences(plan: TargetPlan, line: TargetLine) -> dict[str, Decimal]:
    return fig.differences(line.rule, line.y, line.figures(), _base_months(plan, line.base_kpi_id))


# --- handing down -------------------------------------------------------------------------


@dataclass
class HandDown:
    kpi_id: int
    parent_department_id: int
    nodes: list[tuple[str, int]]  # ("department" | "position", id)
    method: str = "even"  # even | percent | amount
    values: list = field(default_factory=list)  # per node, as typed (percent or annual amount)
    confirm_over: bool = False


METHODS = ("even", "percent", "amount")


def _parent_figures(plan: TargetPlan, line: TargetLine, parent_department_id: int) -> dict:
    if parent_department_id == plan.department_id:
        return line.figures()
    share = db.session.scalar(
        select(TargetShare).where(TargetShare.line_id == line.id, TargetShare.department_id == parent_department_id)
    )
    if share is None:
        raise ServiceError.field("parent_department_id", _("Hand a share down to this department first."))
    return share.figures()


def _check_nodes(parent_department_id: int, nodes: list[tuple[str, int]]) -> None:
    if not nodes:
        raise ServiceError.field("nodes", _("Choose at least one sub-department or position."))
    if len(set(nodes)) != len(nodes):
        raise ServiceError.field("nodes", _("A sub-department or position is listed twice."))
    department_ids = [i for kind, i in nodes if kind == "department"]
    position_ids = [i for kind, i in nodes if kind == "position"]
    if len(department_ids) + len(position_ids) != len(nodes):
        raise ServiceError.field("nodes", _("Each receiver is a department or a position."))
    found = (
        set(
            db.session.scalars(
                select(Department.id).where(
                    Department.id.in_(department_ids),
                    Department.parent_id == parent_department_id,
                    Department.archived_at.is_(None),
                )
            )
        )
        if department_ids
        else set()
    )
    if set(department_ids) - found:
        raise ServiceError.field("nodes", _("A target is handed down only to active sub-departments directly below."))
    found = (
        set(
            db.session.scalars(
                select(Position.id).where(
                    Position.id.in_(position_ids),
                    Position.department_id == parent_department_id,
                    Position.archived_at.is_(None),
                )
            )
        )
        if position_ids
        else set()
    )
    if set(position_ids) - found:
        raise ServiceError.field(
            "nodes",
            _(
                "A position outside the department cannot receive its target: choose "
                "active positions of the department itself."
            ),
        )


def hand_down(plan: TargetPlan, data: HandDown, seen_version=None, may_over_allocate: bool = False) -> int:
    """Give each node its share of a line's target at ``parent_department_id`` (the plan's
    department or a sub-department that has a share), replacing what they had. An additive KPI
    handed down beyond the whole is refused unless HR confirms it. Returns the shares written."""
    check_editable(plan, seen_version)
    line = line_for(plan, data.kpi_id)
    if data.method not in METHODS:
        raise ServiceError.field("method", _("Choose how to hand the target down."))
    parent = _parent_figures(plan, line, data.parent_department_id)
    _check_nodes(data.parent_department_id, data.nodes)
    rule, rate = line.rule, line.rule == Rule.MEAN.value
    count = len(data.nodes)
    places = fig.decimals_of(*parent.values())
    rows: list[dict] = [{} for _ in data.nodes]
    if data.method != "even" and len(data.values) != count:
        raise ServiceError.field("values", _("Give one figure per receiver."))
    if data.method == "percent" and rate:
        raise ServiceError.field(
            "method",
            _(
                "A rate is not shared out by percentages: each receiver gets the rate "
                "itself (evenly) or its own rate (by amount)."
            ),
        )
    typed: list[Decimal] = []
    if data.method != "even":
        typed = [
            _read(
                value,
                f"values.{i}",
                rate=rate or data.method == "percent",
                high=100 if data.method == "percent" else None,
            )
            for i, value in enumerate(data.values)
        ]
    for month in MONTHS:
        whole = parent.get(month) or Decimal(0)
        parts: list[Decimal | None]
        if rate:
            parts = [whole] * count if data.method == "even" else list(typed)
        elif data.method == "even":
            parts = list(fig.apportion(whole, [Decimal(1)] * count, places))
        elif data.method == "percent":
            # Shares of 100 %, to the cent at least: the columns add up exactly when the percentages do.
            total, cents = sum(typed, Decimal(0)), max(places, 2)
            portion = (whole * total / 100).quantize(Decimal(1).scaleb(-cents))
            parts = list(fig.apportion(portion, typed, cents)) if total else [Decimal(0)] * count
        else:
            parts = [None] * count  # amounts: per row below
        for row, part in zip(rows, parts):
            row[month] = part
    if data.method == "amount" and not rate:
        profile = [parent.get(m) or Decimal(0) for m in MONTHS]
        if not any(profile):
            profile = [Decimal(1)] * 12
        for row, amount in zip(rows, typed):
            for month, part in zip(MONTHS, fig.apportion(amount, profile, fig.decimals_of(amount, *parent.values()))):
                row[month] = part
    # A receiver's quarters and year come from its own months (a rate's by the plain mean: the
    # base amount weighs the nodes of the tree, not a receiver's months).
    values = [fig.roll_up(rule, row) for row in rows]
    if rate:  # each receiver's rate is the whole's (evenly) or its own, in every period
        values = (
            [dict(parent) for _ in range(count)]
            if data.method == "even"
            else [{p: amount for p in PERIODS} for amount in typed]
        )
    existing = (
        db.session.execute(
            select(TargetShare).where(
                TargetShare.line_id == line.id, TargetShare.parent_department_id == data.parent_department_id
            )
        )
        .scalars()
        .all()
    )
    replaced = {(("department", s.department_id) if s.department_id else ("position", s.position_id)) for s in existing}
    kept = [
        s.figures()
        for s in existing
        if (("department", s.department_id) if s.department_id else ("position", s.position_id)) not in set(data.nodes)
    ]
    if not rate:
        over = []
        for period in PERIODS:
            handed = sum((v.get(period) or Decimal(0) for v in [*kept, *values]), Decimal(0))
            if parent.get(period) is not None and handed > parent[period]:
                over.append(period)
        if over and not (data.confirm_over and may_over_allocate):
            message = _(
                "This hands down more than the whole (%(periods)s). Only HR may confirm over-allocation.",
                periods=", ".join(period_labels(plan)[p] for p in over[:6]),
            )
            raise ServiceError.field("confirm_over", message)
    db.session.execute(
        delete(TargetShare).where(
            TargetShare.line_id == line.id,
            TargetShare.parent_department_id == data.parent_department_id,
            or_(
                TargetShare.department_id.in_([i for k, i in data.nodes if k == "department"]),
                TargetShare.position_id.in_([i for k, i in data.nodes if k == "position"]),
            ),
        )
    )
    insert_rows = [
        {
            "plan_id": plan.id,
            "line_id": line.id,
            "parent_department_id": data.parent_department_id,
            "department_id": node_id if kind == "department" else None,
            "position_id": node_id if kind == "position" else None,
            **value,
        }
        for (kind, node_id), value in zip(data.nodes, values)
    ]
    db.session.execute(insert(TargetShare), insert_rows)
    touch(plan)
    # One audit event for the whole hand-down: the shares are written in bulk, past the flush hook.
    record(
        "update",
        "target_plans",
        plan.id,
        {
            "shares": [len(replaced & set(data.nodes)), len(data.nodes)],
            "kpi_id": [None, line.kpi_id],
            "parent_id": [None, data.parent_department_id],
        },
        label=plan.audit_label,
    )
    return len(insert_rows)


def remove_shares(plan: TargetPlan, kpi_id: int, parent_department_id: int, seen_version=None) -> None:
    """Take back everything handed down of a line from one node (and below it)."""
    check_editable(plan, seen_version)
    line = line_for(plan, kpi_id)
    below = _descendant_ids(parent_department_id)
    taken = (TargetShare.line_id == line.id) & TargetShare.parent_department_id.in_(below)
    removed = db.session.scalar(select(func.count()).select_from(TargetShare).where(taken)) or 0
    db.session.execute(delete(TargetShare).where(taken))
    touch(plan)
    record(
        "update",
        "target_plans",
        plan.id,
        {"shares": [removed, 0], "kpi_id": [line.kpi_id, None]},
        label=plan.audit_label,
    )


def _descendant_ids(department_id: int) -> list[int]:
    department = db.session.get(Department, department_id)
    if department is None:
        return []
    return list(
        db.session.scalars(select(Department.id).where(Department.path.startswith(department.path, autoescape=True)))
    )


# --- workflow -----------------------------------------------------------------------------


def over_allocations(plan: TargetPlan) -> list[tuple[TargetLine, int]]:
    """(line, department) where an additive KPI is handed down beyond the department's target in
    some period: the sums per node are computed by the database (two queries, whatever the size)."""
    table = TargetShare.__table__
    additive = {line.id: line for line in plan.lines if line.rule != Rule.MEAN.value}
    if not additive:
        return []
    sums = db.session.execute(
        select(
            table.c.line_id,
            table.c.parent_department_id,
            *[type_coerce(func.sum(table.c[p]), FastNumber()).label(p) for p in PERIODS],
        )
        .where(table.c.plan_id == plan.id, table.c.line_id.in_(list(additive)))
        .group_by(table.c.line_id, table.c.parent_department_id)
    ).all()
    parents = {
        (row.line_id, row.department_id): row
        for row in db.session.execute(
            select(table.c.line_id, table.c.department_id, *fast_figures(table)).where(
                table.c.plan_id == plan.id, table.c.department_id.is_not(None)
            )
        )
    }
    found = []
    for row in sums:
        line = additive[row.line_id]
        whole = (
            line.figures()
            if row.parent_department_id == plan.department_id
            else parents.get((row.line_id, row.parent_department_id))
        )
        if whole is None:
            continue
        if any(
            getattr(row, p) is not None and _get(whole, p) is not None and getattr(row, p) > _get(whole, p)
            for p in PERIODS
        ):
            found.append((line, row.parent_department_id))
    return found


def _get(figures, period: str):
    return figures.get(period) if isinstance(figures, dict) else getattr(figures, period)


def plan_problems(plan: TargetPlan) -> list[str]:
    """What stands in the way of approving the plan: no lines, splits that do not give the
    whole, over-allocation."""
    problems = []
    if not plan.lines:
        problems.append(_("The plan has no KPI."))
    for line in plan.lines:
        diff = line_differences(plan, line)
        if diff:
            problems.append(
                _(
                    "%(kpi)s: the months do not add up to the year (difference %(diff)s).",
                    kpi=line.kpi.name,
                    diff=plain(diff["y"]),
                )
            )
    over = over_allocations(plan)
    names = (
        dict(
            db.session.execute(
                select(Department.id, Department.name).where(Department.id.in_({d for _l, d in over}))
            ).all()
        )
        if over
        else {}
    )
    for line, department_id in over:
        problems.append(
            _(
                "%(kpi)s: %(node)s hands down more than its target.",
                kpi=line.kpi.name,
                node=names.get(department_id, ""),
            )
        )
    return problems


def approve(plan: TargetPlan, user, seen_version=None) -> None:
    check_version(plan, seen_version)
    if not plan.is_draft:
        raise ServiceError(_("Only a draft plan can be approved."))
    problems = plan_problems(plan)
    if problems:
        raise ServiceError(
            _("The plan cannot be approved yet: %(problems)s", problems=" ".join(problems)), {"plan": problems}
        )
    previous = db.session.scalars(
        select(TargetPlan).where(
            TargetPlan.department_id == plan.department_id,
            TargetPlan.fiscal_year == plan.fiscal_year,
            TargetPlan.id != plan.id,
            TargetPlan.status == PlanStatus.APPROVED.value,
        )
    ).all()
    for old in previous:
        old.status = PlanStatus.SUPERSEDED.value
        carry_over(old, plan)
    plan.status, plan.approved_by_id, plan.approved_at = PlanStatus.APPROVED.value, getattr(user, "id", None), utcnow()
    db.session.flush()


def carry_over(old: TargetPlan, new: TargetPlan) -> int:
    """The actuals of a superseded plan copied to the revision that replaces it (for its KPIs)."""
    kpis = [line.kpi_id for line in new.lines]
    rows = [
        {
            "plan_id": new.id,
            "position_id": row.position_id,
            "kpi_id": row.kpi_id,
            "month": row.month,
            "value": row.value,
            "updated_by_id": row.updated_by_id,
            "updated_at": row.updated_at,
        }
        for row in db.session.execute(
            select(TargetActual).where(TargetActual.plan_id == old.id, TargetActual.kpi_id.in_(kpis))
        ).scalars()
    ]
    if rows:
        db.session.execute(delete(TargetActual).where(TargetActual.plan_id == new.id))
        db.session.execute(insert(TargetActual), rows)
    return len(rows)


def lock(plan: TargetPlan, seen_version=None) -> None:
    check_version(plan, seen_version)
    if plan.status != PlanStatus.APPROVED.value:
        raise ServiceError(_("Only an approved plan can be locked."))
    plan.status, plan.locked_at = PlanStatus.LOCKED.value, utcnow()
    db.session.flush()


def revise(plan: TargetPlan, user, note: str, seen_version=None) -> TargetPlan:
    """A new draft revision copied from an approved plan; the approved one stays in force (and
    in the history) until the revision is approved."""
    check_version(plan, seen_version)
    if plan.status == PlanStatus.LOCKED.value:
        raise ServiceError(_("This plan is locked: it cannot be revised."))
    if plan.status != PlanStatus.APPROVED.value:
        raise ServiceError(_("Only the approved plan can be revised."))
    note = (note or "").strip()
    if not note:
        raise ServiceError.field("change_note", _("Say why the plan is revised."))
    pending = db.session.scalar(
        select(func.count())
        .select_from(TargetPlan)
        .where(
            TargetPlan.department_id == plan.department_id,
            TargetPlan.fiscal_year == plan.fiscal_year,
            TargetPlan.status == PlanStatus.DRAFT.value,
        )
    )
    if pending:
        raise ServiceError(_("A revision of this plan is already being drafted."))
    latest = (
        db.session.scalar(
            select(func.max(TargetPlan.revision)).where(
                TargetPlan.department_id == plan.department_id, TargetPlan.fiscal_year == plan.fiscal_year
            )
        )
        or 0
    )
    new = TargetPlan(
        department_id=plan.department_id,
        fiscal_year=plan.fiscal_year,
        start_month=plan.start_month,
        revision=latest + 1,
        status=PlanStatus.DRAFT.value,
        title=plan.title,
        change_note=note[:2000],
        previous_id=plan.id,
        created_by_id=getattr(user, "id", None),
    )
    db.session.add(new)
    db.session.flush()
    line_ids = {}
    for line in plan.lines:
        copy = TargetLine(
            plan_id=new.id,
            kpi_id=line.kpi_id,
            position=line.position,
            rule=line.rule,
            base_kpi_id=line.base_kpi_id,
            split=line.split,
            percents=line.percents,
        )
        copy.set_figures(line.figures())
        db.session.add(copy)
        db.session.flush()
        line_ids[line.id] = copy.id
    columns = [c.name for c in TargetShare.__table__.columns if c.name not in ("id", "plan_id", "line_id")]
    rows = [
        {**{c: row[i] for i, c in enumerate(columns)}, "plan_id": new.id, "line_id": line_ids[row[-1]]}
        for row in db.session.execute(
            select(*[TargetShare.__table__.c[c] for c in columns], TargetShare.line_id).where(
                TargetShare.plan_id == plan.id
            )
        )
    ]
    if rows:
        db.session.execute(insert(TargetShare), rows)
    return new


def delete_draft(plan: TargetPlan, seen_version=None) -> None:
    check_editable(plan, seen_version)
    db.session.delete(plan)
    db.session.flush()


def history(plan: TargetPlan) -> list[TargetPlan]:
    return list(
        db.session.scalars(
            select(TargetPlan)
            .where(TargetPlan.department_id == plan.department_id, TargetPlan.fiscal_year == plan.fiscal_year)
            .order_by(TargetPlan.revision.desc())
        )
    )


# --- the tree -----------------------------------------------------------------------------


@dataclass
class Cell:
    target: dict
    handed: dict = field(default_factory=dict)
    remainder: dict = field(default_factory=dict)
    over: bool = False
    has_children: bool = False


@dataclass
class Node:
    kind: str  # "root" | "department" | "position"
    id: int
    department_id: int  # the department the node is (or, for a position, belongs to)
    name: str
    code: str
    level: int
    cells: dict = field(default_factory=dict)  # {kpi id: Cell}


@dataclass
class Tree:
    plan: TargetPlan
    lines: list
    nodes: list
    kpi_names: dict
    labels: dict
    differences: dict  # {kpi id: {period: difference}}


def plan_tree(plan: TargetPlan, periods: tuple[str, ...] = PERIODS) -> Tree:
    """The plan as a tree: the department, then depth first each sub-department and position that
    received a share, with its target per KPI and period, what it handed down and the remainder
    (over-allocation flagged), for ``periods`` (a page shows one at a time). Four queries
    whatever the size."""
    lines = list(
        db.session.scalars(
            select(TargetLine)
            .where(TargetLine.plan_id == plan.id)
            .options(selectinload(TargetLine.kpi))
            .order_by(TargetLine.position)
        )
    )
    table = TargetShare.__table__
    shares = db.session.execute(
        select(
            table.c.department_id,
            table.c.position_id,
            table.c.parent_department_id,
            table.c.line_id,
            Department.code,
            Department.name,
            Position.code,
            Position.title,
            *fast_figures(table, periods),
        )
        .outerjoin(Department, Department.id == table.c.department_id)
        .outerjoin(Position, Position.id == table.c.position_id)
        .where(table.c.plan_id == plan.id)
    ).all()
    line_of_kpi = {line.kpi_id: line.id for line in lines}
    nodes: dict[tuple[str, int], Node] = {}
    children: dict[int, list[tuple[str, int]]] = {}
    figures_at: dict[tuple[str, int, int], dict] = {}  # (kind, id, line id) → figures
    root = Node("root", plan.department_id, plan.department_id, plan.department.name, plan.department.code, 0)
    for share in shares:
        d_code, d_name, p_code, p_title = share[4:8]
        node_id = share.department_id or share.position_id
        assert node_id is not None  # a share has exactly one receiver (ck_target_shares_one_node)
        key = ("department" if share.department_id else "position", node_id)
        if key not in nodes:
            nodes[key] = Node(
                key[0],
                key[1],
                share.department_id or share.parent_department_id,
                d_name if share.department_id else p_title,
                d_code if share.department_id else p_code,
                0,
            )
            children.setdefault(share.parent_department_id, []).append(key)
        figures_at[(*key, share.line_id)] = {period: share[8 + i] for i, period in enumerate(periods)}
    for line in lines:
        figures_at[("department", plan.department_id, line.id)] = line.figures()
    ordered: list[Node] = []

    def walk(node: Node, department_id: int, level: int) -> None:
        node.level = level
        ordered.append(node)
        if node.kind == "position":
            for line in lines:
                own = figures_at.get(("position", node.id, line.id))
                if own is not None:
                    node.cells[line.kpi_id] = Cell(own)
            return
        kids = sorted(children.get(department_id, ()), key=lambda k: (k[0] != "position", nodes[k].code))
        for line in lines:
            own = figures_at.get(("department", department_id, line.id))
            if own is None:
                continue
            received = [k for k in kids if (*k, line.id) in figures_at]
            parts = [figures_at[(*k, line.id)] for k in received]
            weights = None
            if line.rule == Rule.MEAN.value and line.base_kpi_id in line_of_kpi:
                weights = [figures_at.get((*k, line_of_kpi[line.base_kpi_id]), {}) for k in received]
            cell = Cell(own, has_children=bool(parts))
            if parts:
                gaps = fig.node_gaps(line.rule, own, parts, weights, periods)
                cell.handed = {p: g[0] for p, g in gaps.items()}
                cell.remainder = {p: g[1] for p, g in gaps.items()}
                cell.over = line.rule != Rule.MEAN.value and any(
                    r is not None and r < 0 for r in cell.remainder.values()
                )
            node.cells[line.kpi_id] = cell
        for key in kids:
            walk(nodes[key], key[1], level + 1)

    walk(root, plan.department_id, 0)
    base_months = {line.kpi_id: line.figures() for line in lines}
    diffs = {
        line.kpi_id: fig.differences(
            line.rule, line.y, line.figures(), base_months.get(line.base_kpi_id) if line.base_kpi_id else None
        )
        for line in lines
    }
    return Tree(plan, lines, ordered, {line.kpi_id: line.kpi.name for line in lines}, period_labels(plan), diffs)


def receivers(plan: TargetPlan, department_id: int) -> tuple[list[Department], list[Position]]:
    """Who a node may hand down to: its active sub-departments directly below and its positions."""
    departments = db.session.scalars(
        select(Department)
        .where(Department.parent_id == department_id, Department.archived_at.is_(None))
        .order_by(Department.code)
    ).all()
    positions = db.session.scalars(
        select(Position)
        .where(Position.department_id == department_id, Position.archived_at.is_(None))
        .order_by(Position.code)
    ).all()
    return list(departments), list(positions)


# --- targets of positions (appraisals, "my targets") ----------------------------------------


IN_FORCE = (PlanStatus.APPROVED.value, PlanStatus.LOCKED.value)


def position_targets(position_ids, start: date, end: date) -> dict[int, dict[int, Decimal]]:
    """{position id: {kpi id: target}} handed down to ``position_ids`` by plans in force for the
    period exactly from ``start`` to ``end`` (a month, a quarter or the fiscal year of the plan).
    Two queries."""
    ids = list(position_ids)
    if not ids:
        return {}
    plans = db.session.scalars(
        select(TargetPlan).where(
            TargetPlan.status.in_(IN_FORCE), TargetPlan.fiscal_year.between(start.year - 1, end.year)
        )
    ).all()
    periods: dict[int, str] = {}
    for plan in plans:
        for period, span in period_dates(plan).items():
            if span == (start, end):
                periods[plan.id] = period
    if not periods:
        return {}
    result: dict[int, dict[int, Decimal]] = {}
    rows = db.session.execute(
        select(TargetShare, TargetLine.kpi_id)
        .join(TargetLine, TargetLine.id == TargetShare.line_id)
        .where(TargetShare.plan_id.in_(list(periods)), TargetShare.position_id.in_(ids))
    )
    for share, kpi_id in rows:
        value = getattr(share, periods[share.plan_id])
        if value is not None:
            result.setdefault(share.position_id or 0, {})[kpi_id] = value
    return result


def shares_of_positions(position_ids) -> list:
    """The shares of plans in force handed down to ``position_ids``: (share, line, plan) rows."""
    ids = list(position_ids)
    if not ids:
        return []
    return list(
        db.session.execute(
            select(TargetShare, TargetLine, TargetPlan)
            .join(TargetLine, TargetLine.id == TargetShare.line_id)
            .join(TargetPlan, TargetPlan.id == TargetShare.plan_id)
            .options(selectinload(TargetLine.kpi), selectinload(TargetShare.position))
            .where(TargetShare.position_id.in_(ids), TargetPlan.status.in_(IN_FORCE))
            .order_by(TargetPlan.fiscal_year.desc(), TargetShare.position_id, TargetLine.position)
        ).all()
    )


# --- one share by hand ----------------------------------------------------------------------


def get_share(plan: TargetPlan, kpi_id: int, kind: str, node_id: int) -> TargetShare:
    line = line_for(plan, kpi_id)
    column = TargetShare.department_id if kind == "department" else TargetShare.position_id
    share = (
        db.session.scalar(select(TargetShare).where(TargetShare.line_id == line.id, column == node_id))
        if kind in ("department", "position")
        else None
    )
    if share is None:
        raise NotFound(_("Nothing of this KPI was handed down to this receiver."))
    return share


@dataclass
class GapRow:
    period: str
    label: str
    target: Decimal | None
    handed: Decimal | None
    remainder: Decimal | None
    over: bool


def share_gaps(plan: TargetPlan, line: TargetLine, department_id: int) -> list[GapRow]:
    """A node of the tree against what it handed down, period by period: its target, the parts
    combined by the KPI's rule and the remainder (negative: over-allocated, for an additive KPI)."""
    whole = _parent_figures(plan, line, department_id)
    parts = db.session.scalars(
        select(TargetShare).where(TargetShare.line_id == line.id, TargetShare.parent_department_id == department_id)
    ).all()
    figures = [s.figures() for s in parts]
    weights = None
    if line.rule == Rule.MEAN.value and line.base_kpi_id:
        base = next((b for b in plan.lines if b.kpi_id == line.base_kpi_id), None)
        if base is not None:
            base_shares = {
                (s.department_id, s.position_id): s.figures()
                for s in db.session.scalars(
                    select(TargetShare).where(
                        TargetShare.line_id == base.id, TargetShare.parent_department_id == department_id
                    )
                )
            }
            weights = [base_shares.get((s.department_id, s.position_id), {}) for s in parts]
    labels = period_labels(plan)
    gaps = fig.node_gaps(line.rule, whole, figures, weights)
    return [
        GapRow(
            p,
            labels[p],
            whole.get(p),
            handed,
            remainder,
            line.rule != Rule.MEAN.value and remainder is not None and remainder < 0,
        )
        for p, (handed, remainder) in gaps.items()
    ]


def set_share_figure(
    plan: TargetPlan,
    share: TargetShare,
    period: str,
    typed,
    seen_version=None,
    may_over_allocate: bool = False,
    confirm_over: bool = False,
) -> TargetShare:
    """Change one node's target for one period by hand. A month: the share's quarters and year
    follow from its months by the KPI's rule. The year: an amount's months are re-split in
    proportion to what they were (to the places typed, adding up exactly), a rate's or count's
    months take the figure. A quarter follows its months and is not typed. Handing down more
    than the parent's whole of an additive KPI is refused unless HR confirms it; the remainders
    are then shown on the share's page (never hidden)."""
    check_editable(plan, seen_version)
    if period not in ("y", *MONTHS):
        raise ServiceError.field("period", _("Choose the year or a month: a quarter follows its months."))
    line = share.line
    rate = line.rule == Rule.MEAN.value
    value = _read(typed, "value", rate=rate)
    months: dict[str, Decimal | None] = {m: getattr(share, m) for m in MONTHS}
    if period == "y":
        if line.rule == Rule.SUM.value:
            profile = [months[m] or Decimal(0) for m in MONTHS]
            if not any(profile):
                profile = [Decimal(1)] * 12
            parts = fig.apportion(value, profile, fig.decimals_of(value, *months.values()))
            months = dict(zip(MONTHS, parts))
        else:
            months = {m: value for m in MONTHS}
    else:
        months[period] = value
    figures = fig.roll_up(line.rule, months)
    if period == "y":
        figures["y"] = value
    if not rate:
        whole = _parent_figures(plan, line, share.parent_department_id)
        siblings = db.session.scalars(
            select(TargetShare).where(
                TargetShare.line_id == line.id,
                TargetShare.parent_department_id == share.parent_department_id,
                TargetShare.id != share.id,
            )
        ).all()
        over = [
            p
            for p in PERIODS
            if whole.get(p) is not None
            and sum((s.figures().get(p) or Decimal(0) for s in siblings), figures.get(p) or Decimal(0)) > whole[p]
        ]
        if over and not (confirm_over and may_over_allocate):
            raise ServiceError.field(
                "confirm_over",
                _(
                    "This hands down more than the whole (%(periods)s). Only HR may confirm over-allocation.",
                    periods=", ".join(period_labels(plan)[p] for p in over[:6]),
                ),
            )
    share.set_figures(figures)
    touch(plan)
    return share
