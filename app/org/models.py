"""The organisation: a department tree, positions with reporting lines, employees and their
effective-dated assignments to positions."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.services import register_account_holder
from app.db import UTCDateTime, VersionedMixin, utcnow
from app.extensions import db


class Department(VersionedMixin, db.Model):
    """A unit of the company (部门). ``path`` is the materialised path of ids from the root
    ("/1/4/9/"), kept by the services, so that a subtree is one indexed prefix query."""

    __tablename__ = "departments"
    __versioned_collections__ = {"functions": "functions", "collaborations": "collaborations"}
    __conflict_hidden__ = ("path", "depth")  # follow parent_id, which is shown

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    path: Mapped[str] = mapped_column(String(1000), default="/", index=True)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    nature: Mapped[str] = mapped_column(Text, default="")  # 部门性质
    service_object: Mapped[str] = mapped_column(Text, default="")  # 服务对象
    authority: Mapped[str] = mapped_column(Text, default="")  # 管理权限
    management_functions: Mapped[str] = mapped_column(Text, default="")  # 管理职能
    evaluation_criteria: Mapped[str] = mapped_column(Text, default="")  # 绩效评估
    head_position_id: Mapped[int | None] = mapped_column(
        ForeignKey("positions.id", use_alter=True, ondelete="SET NULL"), index=True
    )
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    parent: Mapped[Department | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Department]] = relationship(back_populates="parent", order_by="Department.code")
    positions: Mapped[list[Position]] = relationship(
        back_populates="department", foreign_keys="Position.department_id", order_by="Position.code"
    )
    head_position: Mapped[Position | None] = relationship(foreign_keys=[head_position_id], post_update=True)
    functions: Mapped[list[DepartmentFunction]] = relationship(
        back_populates="department", cascade="all, delete-orphan", order_by="DepartmentFunction.position"
    )
    collaborations: Mapped[list[Collaboration]] = relationship(
        back_populates="department",
        cascade="all, delete-orphan",
        order_by="Collaboration.position",
        foreign_keys="Collaboration.department_id",
    )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def __repr__(self) -> str:
        return f"<Department {self.code}>"


class DepartmentFunction(db.Model):
    """One of a department's main functions (主要职责), in order: an optional short title
    ("客户服务") and what it covers. Its id stays while it is edited or moved, so that the duties
    of job descriptions linked to it (``app.jobs.models.DutyFunction``) stay linked."""

    __tablename__ = "department_functions"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(120), default="")
    text: Mapped[str] = mapped_column(Text)

    @property
    def label(self) -> str:
        """The title, or the text when there is no title."""
        return self.title or self.text

    department: Mapped[Department] = relationship(back_populates="functions")

    @property
    def audit_label(self) -> str:
        return f"{self.title}: {self.text}" if self.title else self.text


class Collaboration(db.Model):
    """What a department does with another one (部门协作). The partner is a department of the
    company when it is modelled, else just a name (e.g. a supplier or a bank)."""

    __tablename__ = "department_collaborations"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id", ondelete="SET NULL"), index=True)
    partner_name: Mapped[str] = mapped_column(String(120), default="")
    duty: Mapped[str] = mapped_column(Text)

    department: Mapped[Department] = relationship(back_populates="collaborations", foreign_keys=[department_id])
    partner: Mapped[Department | None] = relationship(foreign_keys=[partner_id])

    @property
    def partner_label(self) -> str:
        return self.partner.name if self.partner else self.partner_name

    @property
    def audit_label(self) -> str:
        return f"{self.partner_label}: {self.duty}" if self.partner_label else self.duty


dotted_lines = Table(
    "position_dotted_lines",
    db.metadata,
    Column("position_id", ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True),
    Column("superior_id", ForeignKey("positions.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Position(VersionedMixin, db.Model):
    """A post (岗位/职务) with an authorised headcount (编制) in a department, reporting to
    another position (直接上级), possibly in another department. Direct subordinates are the
    positions that report to it: derived, never typed twice."""

    __tablename__ = "positions"
    __versioned_collections__ = {"dotted_superiors": "dotted_superior_ids"}
    __table_args__ = (
        CheckConstraint("headcount >= 0", name="headcount_not_negative"),
        # lists and manuals show positions head first: walk this index and stop at the page's end
        Index("ix_positions_reporting_level_code", "reporting_level", "code"),
    )
    # derived from the reporting line, kept by app/org/services/levels.py: not a change of its own
    audit_exclude = frozenset({"reporting_level"})

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    grade: Mapped[str] = mapped_column(String(40), default="")
    headcount: Mapped[int] = mapped_column(Integer, default=1)
    reports_to_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id"), index=True)
    # place in the reporting line: 0 at the top, one more per superior above (derived, stored so
    # that "head first" is an index walk, not a recursive query over every position)
    reporting_level: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    purpose: Mapped[str] = mapped_column(Text, default="")  # 岗位目的
    authority: Mapped[str] = mapped_column(Text, default="")  # 职责权限
    management_responsibility: Mapped[str] = mapped_column(Text, default="")  # 管理责任
    working_conditions: Mapped[str] = mapped_column(Text, default="")  # e.g. shift work
    acting_position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id", ondelete="SET NULL"))
    acting_note: Mapped[str] = mapped_column(Text, default="")  # 临时代理
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    department: Mapped[Department] = relationship(back_populates="positions", foreign_keys=[department_id])
    reports_to: Mapped[Position | None] = relationship(
        remote_side=[id], foreign_keys=[reports_to_id], back_populates="subordinates"
    )
    subordinates: Mapped[list[Position]] = relationship(
        foreign_keys=[reports_to_id], back_populates="reports_to", order_by="Position.code"
    )
    acting_position: Mapped[Position | None] = relationship(remote_side=[id], foreign_keys=[acting_position_id])
    dotted_superiors: Mapped[list[Position]] = relationship(
        secondary=dotted_lines,
        primaryjoin=lambda: Position.id == dotted_lines.c.position_id,
        secondaryjoin=lambda: Position.id == dotted_lines.c.superior_id,
        order_by="Position.code",
    )
    assignments: Mapped[list[Assignment]] = relationship(back_populates="position", order_by="Assignment.start_date")

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def __repr__(self) -> str:
        return f"<Position {self.code}>"


class EmployeeStatus(str, enum.Enum):
    PROBATION = "probation"
    REGULAR = "regular"
    LEFT = "left"

    @property
    def label(self) -> str:
        return str(EMPLOYEE_STATUS_LABELS[self])

    @classmethod
    def choices(cls):
        return [(status.value, status.label) for status in cls]


EMPLOYEE_STATUS_LABELS = {
    EmployeeStatus.PROBATION: _l("On probation"),
    EmployeeStatus.REGULAR: _l("Regular"),
    EmployeeStatus.LEFT: _l("Left"),
}


class Employee(VersionedMixin, db.Model):
    __tablename__ = "employees"
    __table_args__ = (CheckConstraint("status IN ('probation', 'regular', 'left')", name="status_valid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_no: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    hire_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=EmployeeStatus.REGULAR.value, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User", backref=db.backref("employee", uselist=False))
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="employee", cascade="all, delete-orphan", order_by="Assignment.start_date.desc()"
    )

    @property
    def status_enum(self) -> EmployeeStatus:
        return EmployeeStatus(self.status)

    @staticmethod
    def display_value(field: str, value):
        """A stored value as people read it (the list of changes of a refused edit)."""
        if field == "status" and value in {s.value for s in EmployeeStatus}:
            return EmployeeStatus(value).label
        return value

    def __repr__(self) -> str:
        return f"<Employee {self.employee_no}>"


class Assignment(db.Model):
    """An employee holding a position from ``start_date`` to ``end_date`` (inclusive; open
    when None). An employee has at most one primary assignment on any day."""

    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        # The vacancy filter and the holders of a position look up open primary assignments by position.
        Index("ix_assignments_position_id_primary_dates", "position_id", "is_primary", "start_date", "end_date"),
        # A position's current holders and their employee from the index alone: the outstanding
        # job-description acknowledgements look up each holder's acknowledgement through it.
        Index("ix_assignments_position_id_dates_employee_id", "position_id", "start_date", "end_date", "employee_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id"))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=True)

    employee: Mapped[Employee] = relationship(back_populates="assignments")
    position: Mapped[Position] = relationship(back_populates="assignments")

    @property
    def audit_label(self) -> str:
        return f"{self.employee_id}→{self.position_id}"

    def covers(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


register_account_holder(Employee, Employee.name, Employee.user_id)  # people are named as their employee
