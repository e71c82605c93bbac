"""Target plans (目标分解): a department's plan for a fiscal year, its KPI lines split over the
quarters and months, and the shares handed down (下达) to sub-departments and positions.

Every figure of a line or a share is held in one row as seventeen exact numbers: the year
(``y``), the four quarters (``q1``–``q4``) and the twelve months (``m1``–``m12``) of the fiscal
year, counted from its first month (``start_month``), not from January. One row per node of the
tree and KPI: the whole company's tree is a single query.

A plan is a draft, then approved (in force: read-only, its shares are the positions' targets),
then locked (final: no more revisions). A revision is a new plan row (``revision`` + 1) copied
from the approved one; approving it supersedes the old one, which stays as history.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    type_coerce,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import ExactNumber, UTCDateTime, VersionedMixin, utcnow
from app.extensions import db
from app.jobs.enums import LabelledEnum
from app.jobs.models import Kpi
from app.org.models import Department, Position

Number = ExactNumber(18, 4)


class FastNumber(TypeDecorator):
    """How a tree of thousands of shares reads its figures: the same storage as ``Number``
    (app.db.ExactNumber), read with one Decimal operation instead of its normalising (trailing
    zeros are kept: values compare and add the same; the pages and the API spell them normally)."""

    impl = Number.impl
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return Number.load_dialect_impl(dialect)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if Number.scaled_on(dialect):
            return Decimal(value).scaleb(-Number.scale)
        return value if isinstance(value, Decimal) else Decimal(str(value))


MONTHS = tuple(f"m{i}" for i in range(1, 13))
QUARTERS = tuple(f"q{i}" for i in range(1, 5))
PERIODS = ("y", *QUARTERS, *MONTHS)


class PlanStatus(LabelledEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    LOCKED = "locked"
    SUPERSEDED = "superseded"

    @classmethod
    def labels(cls):
        return {
            cls.DRAFT: _l("Draft"),
            cls.APPROVED: _l("Approved"),
            cls.LOCKED: _l("Locked"),
            cls.SUPERSEDED: _l("Superseded"),
        }


class Rule(LabelledEnum):
    """How the parts of a KPI combine, over time and over the units of the tree.

    - sum: amounts (销售额, 订单数, 流量) add up over months and over units.
    - mean: rates and ratios (转化率) are the mean of the parts weighted by a base amount line of
      the same plan (流量 for 转化率: the department's rate is then exactly orders / visitors,
      i.e. "computed from two amounts", without planning the numerator separately); without a
      base, the plain mean.
    - max / last: counts held at a moment (峰值, 在册客户数): the year is the largest month or the
      last month; over units they add up.
    """

    SUM = "sum"
    MEAN = "mean"
    MAX = "max"
    LAST = "last"

    @classmethod
    def labels(cls):
        return {
            cls.SUM: _l("Amount: parts add up"),
            cls.MEAN: _l("Rate: weighted mean of the parts"),
            cls.MAX: _l("Count: the largest period"),
            cls.LAST: _l("Count: the last period"),
        }


class SplitMethod(LabelledEnum):
    EVEN = "even"
    PERCENT = "percent"
    MANUAL = "manual"

    @classmethod
    def labels(cls):
        return {cls.EVEN: _l("Evenly"), cls.PERCENT: _l("By percentages of the year"), cls.MANUAL: _l("By hand")}


def _in(column: str, enum_cls) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in enum_cls)})"


class Figures:
    """The seventeen figures of a line or a share: the year, four quarters, twelve months."""

    y: Mapped[Decimal | None] = mapped_column(Number)
    q1: Mapped[Decimal | None] = mapped_column(Number)
    q2: Mapped[Decimal | None] = mapped_column(Number)
    q3: Mapped[Decimal | None] = mapped_column(Number)
    q4: Mapped[Decimal | None] = mapped_column(Number)
    m1: Mapped[Decimal | None] = mapped_column(Number)
    m2: Mapped[Decimal | None] = mapped_column(Number)
    m3: Mapped[Decimal | None] = mapped_column(Number)
    m4: Mapped[Decimal | None] = mapped_column(Number)
    m5: Mapped[Decimal | None] = mapped_column(Number)
    m6: Mapped[Decimal | None] = mapped_column(Number)
    m7: Mapped[Decimal | None] = mapped_column(Number)
    m8: Mapped[Decimal | None] = mapped_column(Number)
    m9: Mapped[Decimal | None] = mapped_column(Number)
    m10: Mapped[Decimal | None] = mapped_column(Number)
    m11: Mapped[Decimal | None] = mapped_column(Number)
    m12: Mapped[Decimal | None] = mapped_column(Number)

    def figures(self) -> dict[str, Decimal | None]:
        return {period: getattr(self, period) for period in PERIODS}

    def set_figures(self, values: dict[str, Decimal | None]) -> None:
        for period in PERIODS:
            if period in values:
                setattr(self, period, values[period])


def fast_figures(table, periods=PERIODS) -> list:
    """Figure columns of ``table`` (lines or shares) read as ``FastNumber``s."""
    return [type_coerce(table.c[period], FastNumber()).label(period) for period in periods]


class TargetPlan(VersionedMixin, db.Model):
    """A department's targets for one fiscal year, in one revision."""

    __tablename__ = "target_plans"
    __table_args__ = (
        UniqueConstraint("department_id", "fiscal_year", "revision"),
        CheckConstraint(_in("status", PlanStatus), name="status_valid"),
        CheckConstraint("start_month BETWEEN 1 AND 12", name="start_month_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    start_month: Mapped[int] = mapped_column(Integer, default=1)  # the setting when the plan was made
    revision: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default=PlanStatus.DRAFT.value, index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    change_note: Mapped[str] = mapped_column(Text, default="")  # why this revision
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("target_plans.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    department: Mapped[Department] = relationship()
    lines: Mapped[list[TargetLine]] = relationship(
        back_populates="plan", order_by="TargetLine.position", cascade="all, delete-orphan"
    )

    @property
    def status_enum(self) -> PlanStatus:
        return PlanStatus(self.status)

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT.value

    @property
    def audit_label(self) -> str:
        return f"{self.fiscal_year} r{self.revision}"


class TargetLine(Figures, db.Model):
    """A KPI of a plan: its rule, its annual target and how it is split over the months; the
    figures are the department's own target."""

    __tablename__ = "target_lines"
    __table_args__ = (
        UniqueConstraint("plan_id", "kpi_id"),
        CheckConstraint(_in("rule", Rule), name="rule_valid"),
        CheckConstraint(_in("split", SplitMethod), name="split_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("target_plans.id", ondelete="CASCADE"), index=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    rule: Mapped[str] = mapped_column(String(10), default=Rule.SUM.value)
    base_kpi_id: Mapped[int | None] = mapped_column(ForeignKey("kpis.id"))  # a rate's weights (mean)
    split: Mapped[str] = mapped_column(String(10), default=SplitMethod.EVEN.value)
    percents: Mapped[list | None] = mapped_column(JSON)  # twelve percentages as typed (strings), for "percent"

    plan: Mapped[TargetPlan] = relationship(back_populates="lines")
    kpi: Mapped[Kpi] = relationship(foreign_keys=[kpi_id])
    base_kpi: Mapped[Kpi | None] = relationship(foreign_keys=[base_kpi_id])

    @property
    def rule_enum(self) -> Rule:
        return Rule(self.rule)

    @property
    def audit_label(self) -> str:
        return f"{self.plan_id}:{self.kpi_id}"


class TargetShare(Figures, db.Model):
    """What a node of the tree receives of a line: a sub-department (which may hand it down
    further) or a position (whose holders it becomes the KPI target of). ``parent_department_id``
    is the node it was handed down from: the plan's department or a sub-department with a share."""

    __tablename__ = "target_shares"
    __table_args__ = (
        # One share per receiver and line (NULLs are distinct on both engines: each covers its kind).
        UniqueConstraint("line_id", "department_id"),
        UniqueConstraint("line_id", "position_id"),
        CheckConstraint("(department_id IS NULL) <> (position_id IS NULL)", name="one_node"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("target_plans.id", ondelete="CASCADE"), index=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("target_lines.id", ondelete="CASCADE"), index=True)
    parent_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id"), index=True)

    line: Mapped[TargetLine] = relationship()
    department: Mapped[Department | None] = relationship(foreign_keys=[department_id])
    position: Mapped[Position | None] = relationship(foreign_keys=[position_id])

    @property
    def audit_label(self) -> str:
        node = f"d{self.department_id}" if self.department_id else f"p{self.position_id}"
        return f"{self.line_id}:{node}"


class TargetActual(db.Model):
    """A position's actual for a KPI of a plan in one month of its fiscal year (``m1``–``m12``),
    entered or imported by HR or the department's head, exactly as typed. Recorded on the plan in
    force (approved or locked) and carried to the revision that supersedes it. A review's actual
    for the same position and month wins over it on the scorecard (app.documents.scorecard).
    Changes are audited by the service as one event on the plan (a file can hold thousands)."""

    __tablename__ = "target_actuals"
    __audit__ = False
    __table_args__ = (
        UniqueConstraint("plan_id", "position_id", "kpi_id", "month"),
        CheckConstraint(f"month IN ({', '.join(repr(m) for m in MONTHS)})", name="month_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("target_plans.id", ondelete="CASCADE"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id"), index=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id"))
    month: Mapped[str] = mapped_column(String(3))
    value: Mapped[Decimal] = mapped_column(Number)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
