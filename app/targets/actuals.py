"""Monthly actuals of a plan's positions (issue 17, point 5): typed on a page, sent to the API or
imported from an XLSX/CSV file (a dry run first: every problem by row and column, nothing
applied until the file is clean), stored exactly as typed, audited as one event on the plan.

They are recorded on the plan in force (approved or locked: a locked plan's targets are final,
its actuals keep coming in) and carried to the revision that supersedes it. The plan's version
is their version: a change of the actuals moves it on, so a stale page or ETag is refused.

The scorecard (app.documents.scorecard) rolls them up with the reviews' actuals; for one
position and month a review's actual wins (it is the figure the appraisal scored and the
reviewer confirmed); an imported figure counts where no review gives one."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select, update

from app.audit.services import record
from app.core.concurrency import check_version
from app.core.errors import ServiceError
from app.core.numbers import NumberError, parse_number, plain
from app.core.spreadsheets import Column, Sheet
from app.db import utcnow
from app.extensions import db
from app.org.models import Department, Position
from app.targets import services
from app.targets.models import MONTHS, PlanStatus, Rule, TargetActual, TargetPlan, TargetShare
from app.targets.spreadsheet import Problem  # a problem of a file, by row and column, as for the plan's import

RECORDABLE = (PlanStatus.APPROVED.value, PlanStatus.LOCKED.value)
FIXED_COLUMNS = 4  # position code, position, KPI code, KPI; then one column per month


@dataclass
class Entry:
    """One figure to record: ``typed`` as sent (empty or None removes it); problems are named
    ``field`` + ".value" (or ".position_id", ".kpi_id", ".month")."""

    position_id: int | None
    kpi_id: int | None
    month: str | None
    typed: object
    field: str = ""


def check_recordable(plan: TargetPlan, seen_version=None) -> None:
    check_version(plan, seen_version)
    if plan.status not in RECORDABLE:
        raise ServiceError(
            _(
                "Actuals are recorded on the plan in force (approved or locked); this plan is %(status)s.",
                status=plan.status_enum.label.lower(),
            )
        )


def subtree_positions(plan: TargetPlan):
    """A select of the active positions of the plan's department and its sub-departments."""
    return (
        select(Position)
        .join(Department, Department.id == Position.department_id)
        .where(Department.path.startswith(plan.department.path, autoescape=True), Position.archived_at.is_(None))
        .order_by(Position.code)
    )


def actuals_of(plan: TargetPlan, position_ids=None) -> dict[tuple[int, int, str], Decimal]:
    """{(position id, kpi id, month): value} of the plan (of ``position_ids`` only, if given)."""
    query = select(TargetActual.position_id, TargetActual.kpi_id, TargetActual.month, TargetActual.value).where(
        TargetActual.plan_id == plan.id
    )
    if position_ids is not None:
        query = query.where(TargetActual.position_id.in_(list(position_ids)))
    return {(p, k, m): v for p, k, m, v in db.session.execute(query)}


def read_value(line, typed, name: str) -> Decimal | None:
    """A typed actual (None when empty): a number, not negative, a rate as a rate."""
    try:
        return parse_number(typed, low=0, rate=line.rule == Rule.MEAN.value)
    except NumberError as error:
        raise ServiceError.field(name, error.message) from None


def _problems(plan: TargetPlan, entries: list[Entry]) -> tuple[dict[str, list[str]], dict]:
    """Every problem of ``entries`` ({field: [messages]}) and the values read {key: value or None}."""
    lines = {line.kpi_id: line for line in plan.lines}
    wanted = {e.position_id for e in entries if isinstance(e.position_id, int)}
    known = (
        set(db.session.scalars(subtree_positions(plan).with_only_columns(Position.id).where(Position.id.in_(wanted))))
        if wanted
        else set()
    )
    errors: dict[str, list[str]] = {}
    values: dict[tuple[int, int, str], Decimal | None] = {}

    def problem(entry: Entry, part: str, message: str) -> None:
        errors.setdefault(f"{entry.field}.{part}" if entry.field else part, []).append(message)

    for entry in entries:
        if entry.position_id not in known:
            problem(entry, "position_id", _("Not an active position of this department or its sub-departments."))
            continue
        line = lines.get(entry.kpi_id)  # type: ignore[arg-type]
        if line is None:
            problem(entry, "kpi_id", _("This KPI is not in the plan."))
            continue
        if entry.month not in MONTHS:
            problem(entry, "month", _("Not a month of the plan's fiscal year (m1 to m12)."))
            continue
        key = (entry.position_id, entry.kpi_id, entry.month)
        if key in values:
            problem(entry, "month", _("This position, KPI and month are given twice."))
            continue
        try:
            values[key] = read_value(line, entry.typed, "value")
        except ServiceError as error:
            problem(entry, "value", error.message)
    return errors, values


def save(plan: TargetPlan, entries: list[Entry], user=None, seen_version=None, action: str = "update") -> int:
    """Record ``entries`` (an empty figure removes the month's actual); every problem of every
    entry is reported at once, nothing changed. One audit event lists each figure changed as
    [before, after]. Returns the number of figures changed."""
    check_recordable(plan, seen_version)
    errors, values = _problems(plan, entries)
    if errors:
        raise ServiceError(_("Some actuals cannot be recorded: nothing was changed."), errors)
    existing = actuals_of(plan, {p for p, _k, _m in values})
    inserts, updates, deletes, changes = [], [], [], {}
    now, user_id = utcnow(), getattr(user, "id", None)
    for key, value in values.items():
        before = existing.get(key)
        if value == before or (value is None and before is None):
            continue
        position_id, kpi_id, month = key
        if value is None:
            deletes.append(key)
        elif before is None:
            inserts.append(
                {
                    "plan_id": plan.id,
                    "position_id": position_id,
                    "kpi_id": kpi_id,
                    "month": month,
                    "value": value,
                    "updated_by_id": user_id,
                    "updated_at": now,
                }
            )
        else:
            updates.append((key, value))
        changes[key] = [before, value]
    if not changes:
        return 0
    # The plan's version moves first: a concurrent save that passed the same check waits on it and
    # then finds the version changed (a conflict), instead of colliding on the rows.
    services.touch(plan)
    table = TargetActual.__table__
    if inserts:
        db.session.execute(insert(TargetActual), inserts)
    for (position_id, kpi_id, month), value in updates:
        db.session.execute(
            update(table)
            .where(
                table.c.plan_id == plan.id,
                table.c.position_id == position_id,
                table.c.kpi_id == kpi_id,
                table.c.month == month,
            )
            .values(value=value, updated_by_id=user_id, updated_at=now)
        )
    for position_id, kpi_id, month in deletes:
        db.session.execute(
            delete(table).where(
                table.c.plan_id == plan.id,
                table.c.position_id == position_id,
                table.c.kpi_id == kpi_id,
                table.c.month == month,
            )
        )
    _audit(plan, changes, action)
    return len(changes)


def _audit(plan: TargetPlan, changes: dict, action: str) -> None:
    """One event on the plan: {"POSITION · KPI · 2026-01": [before, after]} per figure (codes and
    the month: the same words in every language)."""
    positions = dict(
        db.session.execute(
            select(Position.id, Position.code).where(Position.id.in_({p for p, _k, _m in changes}))
        ).all()
    )
    kpis = {line.kpi_id: line.kpi.code for line in plan.lines}
    labels = services.period_labels(plan)
    record(
        action,
        "target_plans",
        plan.id,
        {
            f"{positions.get(p, p)} · {kpis.get(k, k)} · {labels[m]}": [
                None if before is None else plain(before),
                None if after is None else plain(after),
            ]
            for (p, k, m), (before, after) in sorted(
                changes.items(), key=lambda item: (item[0][0], item[0][1], int(item[0][2][1:]))
            )
        },
        label=plan.audit_label,
    )


# --- the file -------------------------------------------------------------------------------


def headers(plan: TargetPlan) -> list[str]:
    labels = services.period_labels(plan)
    return [_("Position code"), _("Position"), _("KPI code"), _("KPI"), *[labels[m] for m in MONTHS]]


def sheet(plan: TargetPlan) -> Sheet:
    """The file to fill in: one row per position and KPI (the positions that received a share of
    the plan, else every active position of the subtree), the months with what is recorded."""
    with_shares = select(TargetShare.position_id).where(
        TargetShare.plan_id == plan.id, TargetShare.position_id.is_not(None)
    )
    positions = db.session.scalars(subtree_positions(plan).where(Position.id.in_(with_shares))).all()
    if not positions:
        positions = db.session.scalars(subtree_positions(plan)).all()
    recorded = actuals_of(plan, [p.id for p in positions])
    rows = [
        [p.code, p.title, line.kpi.code, line.kpi.name, *[recorded.get((p.id, line.kpi_id, m)) for m in MONTHS]]
        for p in positions
        for line in plan.lines
    ]
    return Sheet(_("Actuals"), [Column(h) for h in headers(plan)], rows)


@dataclass
class Checked:
    problems: list[Problem] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.problems


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _month_of(cell, labels: dict[str, str]) -> str | None:
    """The month a header cell names: the label "2026-01" (or a date Excel made of it)."""
    if hasattr(cell, "year") and hasattr(cell, "month"):
        text = f"{cell.year}-{cell.month:02d}"
    else:
        text = _text(cell).replace("/", "-")
        if len(text) == 6 and text[4] == "-":  # 2026-1
            text = f"{text[:5]}0{text[5]}"
    return next((key for key, label in labels.items() if label == text), None)


def check_file(plan: TargetPlan, header: list, rows: list[tuple[int, list]]) -> Checked:
    """Every problem of an actuals file, by row and column; the entries to record when none.
    An empty cell leaves the month as it is."""
    check_recordable(plan)
    result = Checked()
    head = headers(plan)
    labels = {m: services.period_labels(plan)[m] for m in MONTHS}
    months: dict[int, str] = {}
    for index, cell in enumerate(header[FIXED_COLUMNS:], FIXED_COLUMNS):
        if _text(cell) == "":
            continue
        month = _month_of(cell, labels)
        if month is None or month in months.values():
            result.problems.append(
                Problem(
                    1,
                    _text(cell),
                    _(
                        "Not a month of this plan's fiscal year (%(first)s to %(last)s), or given twice.",
                        first=labels["m1"],
                        last=labels["m12"],
                    ),
                )
            )
            continue
        months[index] = month
    if len(header) < FIXED_COLUMNS or not months:
        result.problems.append(
            Problem(1, "", _("The first row must be the header of the exported file: position, KPI, then months."))
        )
        return result
    lines = {line.kpi.code: line for line in plan.lines}
    codes = {_text(cells[0]) for _n, cells in rows if cells}
    positions = dict(
        db.session.execute(
            subtree_positions(plan).with_only_columns(Position.code, Position.id).where(Position.code.in_(codes))
        ).all()
    )
    seen: dict[tuple[int, int], int] = {}
    for number, cells in rows:
        cells = cells + [None] * (max(months) + 1 - len(cells))

        def problem(column: int, message: str, number=number) -> None:
            name = head[column] if column < FIXED_COLUMNS else _text(header[column])
            result.problems.append(Problem(number, name, message))

        position_id = positions.get(_text(cells[0]))
        line = lines.get(_text(cells[2]))
        if position_id is None:
            problem(0, _("Not an active position of this department or its sub-departments."))
        if line is None:
            problem(2, _("This KPI is not in the plan."))
        if position_id is None or line is None:
            continue
        if (position_id, line.kpi_id) in seen:
            problem(0, _("This position and KPI are already on row %(row)d.", row=seen[(position_id, line.kpi_id)]))
            continue
        seen[(position_id, line.kpi_id)] = number
        for index, month in months.items():
            cell = cells[index]
            if _text(cell) == "":
                continue
            try:
                read_value(line, cell, "value")
            except ServiceError as error:
                problem(index, error.message)
                continue
            result.entries.append(Entry(position_id, line.kpi_id, month, cell, f"row {number}"))
    return result


def apply_file(plan: TargetPlan, checked: Checked, user=None, seen_version=None) -> int:
    if not checked.clean:
        raise ServiceError(_("The file has problems: nothing was applied."))
    return save(plan, checked.entries, user, seen_version, action="import")
