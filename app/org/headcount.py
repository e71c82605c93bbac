"""The headcount report (编制表): per department, in tree order, each active position's authorised
headcount against its current holders, with subtotals per department and per subtree.

Two queries whatever the size of the company: the departments of the subtree, then its positions
with their filled counts aggregated by the database. Only the columns the report shows are
selected; the result is plain dataclasses, ready for a template or a spreadsheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.core import clock
from app.core.spreadsheets import Column, Row, Sheet, text_width
from app.extensions import db
from app.org.models import Department, Position
from app.org.services import head_first, holder_counts, subtree_condition


@dataclass
class Counts:
    """Authorised (编制), filled (在编), vacant (缺编) and over-staffed (超编) people. Vacancies and
    over-staffing are summed position by position: a surplus in one post does not fill a gap in
    another, so ``vacant - over`` equals ``authorised - filled``."""

    authorised: int = 0
    filled: int = 0
    vacant: int = 0
    over: int = 0
    positions: int = 0

    def add(self, other: Counts) -> None:
        self.authorised += other.authorised
        self.filled += other.filled
        self.vacant += other.vacant
        self.over += other.over
        self.positions += other.positions

    @property
    def fill_rate(self) -> float | None:
        """Filled / authorised as a fraction (may exceed 1), None when nothing is authorised."""
        return self.filled / self.authorised if self.authorised else None

    @property
    def fill_percent(self) -> int:
        """Filled / authorised in whole percent, capped at 100, for a progress bar."""
        return min(100, round(100 * self.fill_rate)) if self.fill_rate is not None else 0


@dataclass
class PositionLine:
    id: int
    code: str
    title: str
    grade: str
    authorised: int
    filled: int

    @property
    def vacant(self) -> int:
        return max(self.authorised - self.filled, 0)

    @property
    def over(self) -> int:
        return max(self.filled - self.authorised, 0)

    @property
    def counts(self) -> Counts:
        return Counts(self.authorised, self.filled, self.vacant, self.over, 1)


@dataclass
class DepartmentBlock:
    id: int
    code: str
    name: str
    parent_id: int | None
    level: int  # depth below the report's top department (0)
    positions: list[PositionLine] = field(default_factory=list)
    own: Counts = field(default_factory=Counts)  # its own positions
    subtree: Counts = field(default_factory=Counts)  # itself and every department below it
    sub_departments: int = 0  # direct sub-departments in the report

    @property
    def has_sub_departments(self) -> bool:
        return self.sub_departments > 0


@dataclass
class HeadcountReport:
    day: date
    root_id: int | None  # the department the report is about; None: the whole company
    departments: list[DepartmentBlock]  # tree order (siblings by name, then code)
    total: Counts

    @property
    def is_empty(self) -> bool:
        return not self.departments

    @property
    def over_staffed(self) -> list[PositionLine]:
        return [p for d in self.departments for p in d.positions if p.over]


def headcount_report(department: Department | None = None, day: date | None = None) -> HeadcountReport:
    """The headcount of ``department`` and its subtree (the whole company when None) on ``day``
    (today by default). Archived departments and positions are left out; filled counts current
    primary assignments."""
    day = day or clock.today()
    dep_query = select(
        Department.id, Department.code, Department.name, Department.parent_id, Department.path, Department.depth
    ).where(Department.archived_at.is_(None))
    if department is not None:
        dep_query = dep_query.where(subtree_condition(department))
    rows = db.session.execute(dep_query).all()

    rows.sort(key=lambda row: row.path)  # the org chart's order (ORDER BY path)
    top_depth = min((row.depth for row in rows), default=0)
    blocks = {row.id: DepartmentBlock(row.id, row.code, row.name, row.parent_id, row.depth - top_depth) for row in rows}
    for block in blocks.values():
        if block.parent_id in blocks:
            blocks[block.parent_id].sub_departments += 1

    if blocks:
        filled = holder_counts(day=day).subquery()
        pos_query = (
            select(
                Position.id,
                Position.code,
                Position.title,
                Position.grade,
                Position.headcount,
                Position.department_id,
                func.coalesce(filled.c.filled, 0).label("filled"),
            )
            .join(Department, Department.id == Position.department_id)
            .outerjoin(filled, filled.c.position_id == Position.id)
            .where(Position.archived_at.is_(None), Department.archived_at.is_(None))
        )
        pos_query = head_first(pos_query)  # each department's positions head first
        if department is not None:
            pos_query = pos_query.where(subtree_condition(department))
        for row in db.session.execute(pos_query):
            block = blocks.get(row.department_id)
            if block is None:
                continue
            line = PositionLine(row.id, row.code, row.title, row.grade or "", row.headcount or 0, int(row.filled))
            block.positions.append(line)
            block.own.add(line.counts)

    paths = {row.id: row.path for row in rows}
    total = Counts()
    for block in blocks.values():
        total.add(block.own)
        for ancestor in paths[block.id].strip("/").split("/"):
            if ancestor and int(ancestor) in blocks:
                blocks[int(ancestor)].subtree.add(block.own)

    return HeadcountReport(
        day=day,
        root_id=department.id if department is not None else None,
        departments=[blocks[row.id] for row in rows],
        total=total,
    )


# --- spreadsheet ----------------------------------------------------------------------------

OVER_FILL = "F8D7DA"  # Bootstrap's table-danger, as on the page


def headcount_sheets(report: HeadcountReport) -> list[Sheet]:
    """The report as two worksheets: one row per position (filterable), and one row per
    department with its own and its subtree's totals."""
    count = lambda header: Column(header, width=min(max(10, text_width(header) + 2), 16))  # noqa: E731
    by_id = {d.id: d for d in report.departments}

    def position_rows():
        for block in report.departments:
            for p in block.positions:
                yield Row(
                    [block.name, block.code, p.code, p.title, p.grade, p.authorised, p.filled, p.vacant, p.over],
                    fill=OVER_FILL if p.over else None,
                )

    t = report.total
    positions = Sheet(
        _("Positions"),
        [
            Column(_("Department")),
            Column(_("Department code")),
            Column(_("Position code")),
            Column(_("Position")),
            Column(_("Grade")),
            count(_("Authorised")),
            count(_("Filled")),
            count(_("Vacant")),
            count(_("Over-staffed")),
        ],
        position_rows(),
        footer=[Row([_("Total"), "", "", "", "", t.authorised, t.filled, t.vacant, t.over], bold=True)],
    )

    def department_rows():
        for d in report.departments:
            parent = by_id.get(d.parent_id)
            yield Row(
                [
                    d.name,
                    d.code,
                    parent.name if parent else "",
                    d.own.positions,
                    d.own.authorised,
                    d.own.filled,
                    d.own.vacant,
                    d.own.over,
                    d.subtree.authorised,
                    d.subtree.filled,
                    d.subtree.vacant,
                    d.subtree.over,
                ],
                indent=d.level,
                fill=OVER_FILL if d.own.over else None,
            )

    departments = Sheet(
        _("Departments"),
        [
            Column(_("Department")),
            Column(_("Code")),
            Column(_("Parent department")),
            count(_("Positions")),
            count(_("Authorised")),
            count(_("Filled")),
            count(_("Vacant")),
            count(_("Over-staffed")),
            count(_("Authorised incl. sub-departments")),
            count(_("Filled incl. sub-departments")),
            count(_("Vacant incl. sub-departments")),
            count(_("Over-staffed incl. sub-departments")),
        ],
        department_rows(),
        footer=[
            Row(
                [
                    _("Total"),
                    "",
                    "",
                    t.positions,
                    t.authorised,
                    t.filled,
                    t.vacant,
                    t.over,
                    t.authorised,
                    t.filled,
                    t.vacant,
                    t.over,
                ],
                bold=True,
            )
        ],
    )
    return [positions, departments]
