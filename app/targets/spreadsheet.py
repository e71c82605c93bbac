"""A plan's tree as an XLSX workbook and back (issue 17, point 6), so HR can do the split in
Excel: one row per node and KPI (the plan's own line first, then each share), the year and the
twelve months of the fiscal year. Importing is checked in full first (a dry run): every problem
by row and column, nothing applied until the file is clean; then the same check runs again and
the rows are applied in one transaction.

Reading follows app.transfer's reader (size limits, zip-bomb check, values not formulas); it
cannot be imported from here (app.transfer sits above the domains), so the few lines are kept."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select

from app.audit.services import record
from app.core.errors import ServiceError
from app.core.numbers import NumberError, parse_number
from app.core.spreadsheets import Column, Row, Sheet, csv_text
from app.extensions import db
from app.org.models import Department, Position
from app.targets import figures as fig
from app.targets import services
from app.targets.models import MONTHS, PERIODS, Rule, SplitMethod, TargetPlan, TargetShare

XLSX_MAGIC = b"PK\x03\x04"
MAX_BYTES = 5_000_000
MAX_ROWS = 60_000
MAX_UNCOMPRESSED_FACTOR = 40
KINDS = ("plan", "department", "position")


def headers(plan: TargetPlan) -> list[str]:
    labels = services.period_labels(plan)
    return [
        _("Kind"),
        _("Code"),
        _("Name"),
        _("Handed down from"),
        _("KPI code"),
        _("KPI"),
        labels["y"],
        *[labels[m] for m in MONTHS],
    ]


def plan_sheet(plan: TargetPlan) -> Sheet:
    """The plan's lines and shares in tree order: kind (plan, department, position), code, name,
    the department it was handed down from, the KPI, the year and the months."""
    tree = services.plan_tree(plan)
    shares = {}
    table = TargetShare.__table__
    for row in db.session.execute(
        select(table.c.line_id, table.c.department_id, table.c.position_id, table.c.parent_department_id).where(
            table.c.plan_id == plan.id
        )
    ):
        key = ("department", row.department_id) if row.department_id else ("position", row.position_id)
        shares[(*key, row.line_id)] = row.parent_department_id
    codes = dict(
        db.session.execute(
            select(Department.id, Department.code).where(
                Department.id.in_({p for p in shares.values()} | {plan.department_id})
            )
        ).all()
    )
    rows: list[Row] = []
    for node in tree.nodes:
        for line in tree.lines:
            cell = node.cells.get(line.kpi_id)
            if cell is None:
                continue
            kind = "plan" if node.kind == "root" else node.kind
            parent = "" if kind == "plan" else codes.get(shares.get((node.kind, node.id, line.id)), "")
            rows.append(
                Row(
                    [
                        kind,
                        node.code,
                        node.name,
                        parent,
                        line.kpi.code,
                        line.kpi.name,
                        *[cell.target.get(p) for p in ("y", *MONTHS)],
                    ],
                    bold=kind == "plan",
                    indent=node.level,
                )
            )
    return Sheet(_("Target plan"), [Column(h) for h in headers(plan)], rows)


# --- reading ------------------------------------------------------------------------------


def read_rows(data: bytes) -> list[tuple[int, list]]:
    """(row number, cells) of the first worksheet's rows below the header."""
    return read_table(data, csv=False)[1]


def read_table(data: bytes, csv: bool = True) -> tuple[list, list[tuple[int, list]]]:
    """The header cells and the (row number, cells) of the non-empty rows below it, of an XLSX
    workbook's first worksheet or (when ``csv``) of a CSV file (UTF-8, or GB18030 as Excel saves
    it in China), as values, never formulas."""
    if not data:
        raise ServiceError.field("file", _("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ServiceError.field("file", _("The file is too large (at most %(size)s MB).", size=MAX_BYTES // 1_000_000))
    if data.startswith(XLSX_MAGIC):
        table = _xlsx_table(data)
    elif csv:
        table = _csv_table(data)
    else:
        raise ServiceError.field("file", _("This file is not a valid Excel workbook (.xlsx)."))
    header: list = []
    rows = []
    for number, cells in table:
        if number == 1:
            header = cells
            continue
        if any(c not in (None, "") for c in cells):
            rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise ServiceError.field("file", _("The file has more than %(max)d rows.", max=MAX_ROWS))
    return header, rows


def _csv_table(data: bytes) -> list[tuple[int, list]]:
    import csv as csv_module

    text = (csv_text(data) or ("\x00", ""))[0]  # unreadable: refused as binary below
    if "\x00" in text:
        raise ServiceError.field("file", _("This file is neither an Excel workbook (.xlsx) nor a CSV file."))
    try:
        return [(n, [c.strip() for c in cells]) for n, cells in enumerate(csv_module.reader(io.StringIO(text)), 1)]
    except csv_module.Error:
        raise ServiceError.field("file", _("This file is neither an Excel workbook (.xlsx) nor a CSV file.")) from None


def _xlsx_table(data: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > len(data) * MAX_UNCOMPRESSED_FACTOR + 1_000_000:
                raise ServiceError.field(
                    "file", _("The file is too large (at most %(size)s MB).", size=MAX_BYTES // 1_000_000)
                )
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ServiceError:
        raise
    except Exception:  # openpyxl raises many kinds of errors on damaged or foreign files
        raise ServiceError.field("file", _("This file is not a valid Excel workbook (.xlsx).")) from None
    try:
        table = []
        for number, cells in enumerate(workbook.worksheets[0].iter_rows(values_only=True), 1):
            table.append((number, list(cells)))
            if number > MAX_ROWS + 1:
                raise ServiceError.field("file", _("The file has more than %(max)d rows.", max=MAX_ROWS))
    finally:
        workbook.close()
    return table


# --- checking and applying ----------------------------------------------------------------


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Checked:
    problems: list[Problem] = field(default_factory=list)
    lines: dict = field(default_factory=dict)  # kpi id: (annual, months)
    shares: list = field(default_factory=list)  # (kpi id, parent id, ("department"|"position", id), figures)

    @property
    def clean(self) -> bool:
        return not self.problems


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def check(
    plan: TargetPlan, rows: list[tuple[int, list]], may_over_allocate: bool = False, confirm_over: bool = False
) -> Checked:
    """Every problem of the rows, by row and column; the values to apply when there are none."""
    if not plan.is_draft:
        raise ServiceError.field("file", _("Only a draft plan is imported into: start a revision first."))
    head = headers(plan)
    result = Checked()
    kpis = {line.kpi.code: line for line in plan.lines}
    subtree = db.session.execute(
        select(Department.id, Department.code, Department.parent_id).where(
            Department.path.startswith(plan.department.path, autoescape=True), Department.archived_at.is_(None)
        )
    ).all()
    departments = {code: (i, parent) for i, code, parent in subtree}
    ids = {i for i, _c, _p in subtree}
    codes = [_text(cells[1]) for _n, cells in rows if len(cells) > 1 and _text(cells[0]) == "position"]
    positions = (
        {
            code: (i, dep)
            for i, code, dep in db.session.execute(
                select(Position.id, Position.code, Position.department_id).where(
                    Position.code.in_(codes), Position.archived_at.is_(None)
                )
            )
        }
        if codes
        else {}
    )
    seen = set()
    for number, cells in rows:
        cells = cells + [None] * (len(head) - len(cells))
        problem = lambda column, message, n=number: result.problems.append(Problem(n, head[column], message))  # noqa: E731
        kind, code, parent_code, kpi_code = _text(cells[0]), _text(cells[1]), _text(cells[3]), _text(cells[4])
        if kind not in KINDS:
            problem(0, _("Write plan, department or position."))
            continue
        line = kpis.get(kpi_code)
        if line is None:
            problem(4, _("This KPI is not in the plan: add it on the plan's page first."))
            continue
        rate = line.rule == Rule.MEAN.value
        values: dict[str, Decimal | None] = {}
        for offset, period in enumerate(("y", *MONTHS)):
            try:
                values[period] = parse_number(cells[6 + offset], required=True, low=0, rate=rate)
            except NumberError as error:
                problem(6 + offset, error.message)
        if len(values) < 13:
            continue
        months = {m: values[m] for m in MONTHS}
        if not (kind == "plan" and rate and line.base_kpi_id):  # a weighted rate: checked on the plan's page
            diff = fig.differences(line.rule, values["y"], months)
            if diff:
                problem(6, _("The months do not add up to the year (difference %(diff)s).", diff=str(diff["y"])))
        if kind == "plan":
            if code != plan.department.code:
                problem(1, _("The plan's row is the department %(code)s.", code=plan.department.code))
                continue
            key = ("plan", kpi_code)
            if key in seen:
                problem(4, _("This KPI is listed twice for the same receiver."))
            seen.add(key)
            result.lines[line.kpi_id] = (values["y"], [values[m] for m in MONTHS])
            continue
        parent = departments.get(parent_code)
        if parent is None:
            problem(3, _("No department of this plan has this code."))
            continue
        if kind == "department":
            node = departments.get(code)
            if node is None or node[1] != parent[0]:
                problem(1, _("Not an active sub-department directly below %(code)s.", code=parent_code))
                continue
            receiver = ("department", node[0])
        else:
            found = positions.get(code)
            if found is None or found[1] != parent[0]:
                problem(1, _("Not an active position of the department %(code)s.", code=parent_code))
                continue
            receiver = ("position", found[0])
        key = (receiver, kpi_code)
        if key in seen:
            problem(4, _("This KPI is listed twice for the same receiver."))
        seen.add(key)
        full = fig.roll_up(line.rule, months)
        full["y"] = values["y"]
        result.shares.append((line.kpi_id, parent[0], receiver, full, number))
    if not result.problems:
        _check_allocation(plan, result, ids, may_over_allocate and confirm_over)
    return result


def _check_allocation(plan: TargetPlan, checked: Checked, ids: set[int], allowed: bool) -> None:
    """Additive KPIs: what each node hands down may not exceed its own figure, period by period."""
    lines = {line.kpi_id: line for line in plan.lines}
    own: dict[tuple[int, int], dict] = {}
    for kpi_id, line in lines.items():
        annual, months = checked.lines.get(kpi_id, (line.y, [getattr(line, m) for m in MONTHS]))
        own[(kpi_id, plan.department_id)] = {"y": annual, **dict(zip(MONTHS, months))}
    for kpi_id, _parent, (kind, node_id), figures, _n in checked.shares:
        if kind == "department":
            own[(kpi_id, node_id)] = figures
    handed: dict[tuple[int, int], list] = {}
    rows: dict[tuple[int, int], int] = {}
    for kpi_id, parent, _receiver, figures, number in checked.shares:
        handed.setdefault((kpi_id, parent), []).append(figures)
        rows[(kpi_id, parent)] = number
    for (kpi_id, parent), parts in handed.items():
        if lines[kpi_id].rule == Rule.MEAN.value or (kpi_id, parent) not in own:
            continue
        whole = own[(kpi_id, parent)]
        over = [
            p
            for p in ("y", *MONTHS)
            if whole.get(p) is not None and sum((part.get(p) or Decimal(0) for part in parts), Decimal(0)) > whole[p]
        ]
        if over and not allowed:
            checked.problems.append(
                Problem(
                    rows[(kpi_id, parent)],
                    _("Handed down from"),
                    _(
                        "More than the whole is handed down from this department (%(periods)s). Only HR may confirm "
                        "over-allocation.",
                        periods=", ".join(services.period_labels(plan)[p] for p in over[:6]),
                    ),
                )
            )


def apply(plan: TargetPlan, checked: Checked, seen_version=None) -> int:
    """Apply a clean check: the plan's lines (typed by hand) and every share in the file replace
    what they name; other shares stay. Returns the rows applied."""
    if not checked.clean:
        raise ServiceError(_("The file has problems: nothing was applied."))
    for kpi_id, (annual, months) in checked.lines.items():
        line = services.line_for(plan, kpi_id)
        services.set_line(
            plan,
            services.LineData(
                kpi_id=kpi_id,
                annual=annual,
                rule=line.rule,
                split=SplitMethod.MANUAL.value,
                base_kpi_id=line.base_kpi_id,
                months=months,
            ),
            seen_version=seen_version,
        )
        seen_version = plan.version
    if not checked.lines:
        services.check_editable(plan, seen_version)
    line_ids = {line.kpi_id: line.id for line in plan.lines}
    for kpi_id, _parent, (kind, node_id), _figures, _n in checked.shares:
        column = TargetShare.department_id if kind == "department" else TargetShare.position_id
        db.session.execute(delete(TargetShare).where(TargetShare.line_id == line_ids[kpi_id], column == node_id))
    if checked.shares:
        db.session.execute(
            insert(TargetShare),
            [
                {
                    "plan_id": plan.id,
                    "line_id": line_ids[kpi_id],
                    "parent_department_id": parent,
                    "department_id": node_id if kind == "department" else None,
                    "position_id": node_id if kind == "position" else None,
                    **{p: figures.get(p) for p in PERIODS},
                }
                for kpi_id, parent, (kind, node_id), figures, _n in checked.shares
            ],
        )
    services.touch(plan)
    record(
        "import",
        "target_plans",
        plan.id,
        {"lines": len(checked.lines), "shares": len(checked.shares)},
        label=plan.audit_label,
    )
    return len(checked.lines) + len(checked.shares)
