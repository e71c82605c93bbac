"""Job descriptions: a position's dated versions (draft → in review → approved → published →
superseded) with their duty sections and duties, requirements, competency requirements and KPI
targets, and the two libraries they draw from (KPIs and competencies), plus the library of base
job descriptions that drafts can start from.

A published or superseded version never changes: ``app.jobs.immutability`` refuses, at flush
time, any change to such a version or to anything that belongs to it, whatever route tried it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import ExactNumber, UTCDateTime, VersionedMixin, utcnow
from app.extensions import db
from app.jobs.enums import (  # noqa: F401
    FROZEN_STATUSES,
    OPEN_STATUSES,
    SCALE_MAX,
    Direction,
    Frequency,
    HasDirection,
    LabelledEnum,
    Period,
    RequirementKind,
    Status,
)

# Numbers are stored and read exactly, as Decimals (app.db.ExactNumber): targets like 0.985,
# 1,200,000 or 99,999,999,999,999.9999 (14 digits before the point, 4 after); weights in % to 2.
Number = ExactNumber(18, 4)
Percent = ExactNumber(6, 2)


def _in(column: str, enum_cls) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in enum_cls)})"


def _partial(condition: str) -> dict:
    """A partial index's condition, for both engines."""
    return {"sqlite_where": text(condition), "postgresql_where": text(condition)}


# --- libraries --------------------------------------------------------------------------------


class Kpi(HasDirection, VersionedMixin, db.Model):
    """A key performance indicator of the library (销售额, 转化率, 客单价 …)."""

    __tablename__ = "kpis"
    __table_args__ = (CheckConstraint(_in("direction", Direction), name="direction_valid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(40), default="")
    direction: Mapped[str] = mapped_column(String(10), default=Direction.HIGHER.value)
    definition: Mapped[str] = mapped_column(Text, default="")
    measurement: Mapped[str] = mapped_column(Text, default="")  # how it is measured, data source
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<Kpi {self.code}>"


class Competency(VersionedMixin, db.Model):
    """A competency of the library (电商运营能力 …) with what each level 1–5 means."""

    __tablename__ = "competencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    levels: Mapped[list] = mapped_column(JSON, default=list)  # [level 1 text, …, level 5 text]
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def level_text(self, level: int) -> str:
        levels = self.levels or []
        return levels[level - 1] if 1 <= level <= len(levels) else ""

    def __repr__(self) -> str:
        return f"<Competency {self.code}>"


class JobTemplate(VersionedMixin, db.Model):
    """A base job description of the library: content only (the same plain structure as
    ``app.jobs.content``), not tied to a position. Drafts can start from one."""

    __tablename__ = "jd_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(200), default="")  # where it came from
    content: Mapped[dict] = mapped_column(JSON, default=dict)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# --- versions ---------------------------------------------------------------------------------


class JobDescriptionVersion(VersionedMixin, db.Model):
    """One dated version of a position's job description. ``number`` counts 1, 2, 3 … per
    position; ``version`` (from VersionedMixin) is the optimistic-locking counter of the row."""

    __tablename__ = "jd_versions"
    __table_args__ = (
        UniqueConstraint("position_id", "number"),
        CheckConstraint(_in("status", Status), name="status_valid"),
        # At most one version in force and one being worked on per position, even under races.
        Index("uq_jd_versions_one_published", "position_id", unique=True, **_partial("status = 'published'")),
        Index(
            "uq_jd_versions_one_open",
            "position_id",
            unique=True,
            **_partial("status IN ('draft', 'in_review', 'approved')"),
        ),
        # The versions in force, newest first, with their position: the outstanding-acknowledgements
        # list walks it backwards and stops after its page instead of sorting every holder, and
        # counts its rows without reading a version's row.
        Index("ix_jd_versions_status_published_at", "status", "published_at", "id", "position_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=Status.DRAFT.value, index=True)
    title: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(Text, default="")
    authority: Mapped[str] = mapped_column(Text, default="")
    management_responsibility: Mapped[str] = mapped_column(Text, default="")
    working_conditions: Mapped[str] = mapped_column(Text, default="")
    effective_date: Mapped[date | None] = mapped_column(Date)
    review_comment: Mapped[str] = mapped_column(Text, default="")  # HR's comment when returned
    content_hash: Mapped[str | None] = mapped_column(String(64))  # set when published
    based_on_id: Mapped[int | None] = mapped_column(ForeignKey("jd_versions.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)  # any content save
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    position = relationship(
        "Position", backref=db.backref("jd_versions", order_by="JobDescriptionVersion.number", passive_deletes=True)
    )
    based_on: Mapped[JobDescriptionVersion | None] = relationship(remote_side=[id])
    created_by = relationship("User", foreign_keys=[created_by_id])
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    published_by = relationship("User", foreign_keys=[published_by_id])
    updated_by = relationship("User", foreign_keys=[updated_by_id])
    sections: Mapped[list[DutySection]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="DutySection.position", passive_deletes=True
    )
    requirements: Mapped[list[Requirement]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="Requirement.position", passive_deletes=True
    )
    competencies: Mapped[list[CompetencyRequirement]] = relationship(
        back_populates="version",
        cascade="all, delete-orphan",
        order_by="CompetencyRequirement.position",
        passive_deletes=True,
    )
    kpi_targets: Mapped[list[KpiTarget]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="KpiTarget.position", passive_deletes=True
    )
    events: Mapped[list[VersionEvent]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="VersionEvent.id", passive_deletes=True
    )
    waivers: Mapped[list[LintWaiver]] = relationship(
        back_populates="version", cascade="all, delete-orphan", order_by="LintWaiver.id", passive_deletes=True
    )

    @property
    def status_enum(self) -> Status:
        return Status(self.status)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status == Status.DRAFT.value

    @property
    def duties(self) -> list[Duty]:
        return [duty for section in self.sections for duty in section.duties]

    @property
    def audit_label(self) -> str:
        return f"{self.title} v{self.number}"

    def __repr__(self) -> str:
        return f"<JobDescriptionVersion {self.position_id} v{self.number} {self.status}>"


class DutySection(db.Model):
    """A group of duties ("1)、关于管理工作"), in order; the heading may be empty."""

    __tablename__ = "jd_duty_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("jd_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    heading: Mapped[str] = mapped_column(String(200), default="")

    version: Mapped[JobDescriptionVersion] = relationship(back_populates="sections")
    duties: Mapped[list[Duty]] = relationship(
        back_populates="section", cascade="all, delete-orphan", order_by="Duty.position", passive_deletes=True
    )

    @property
    def audit_label(self) -> str:
        return self.heading[:80]


class Duty(db.Model):
    __tablename__ = "jd_duties"
    __table_args__ = (
        CheckConstraint("weight IS NULL OR (weight >= 0 AND weight <= 100)", name="weight_range"),
        CheckConstraint(f"frequency IS NULL OR {_in('frequency', Frequency)}", name="frequency_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("jd_duty_sections.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    frequency: Mapped[str | None] = mapped_column(String(20))
    standard: Mapped[str] = mapped_column(String(200), default="")  # a deadline or standard: "24小时内"
    weight: Mapped[Decimal | None] = mapped_column(Percent)

    section: Mapped[DutySection] = relationship(back_populates="duties")
    function_links: Mapped[list[DutyFunction]] = relationship(
        back_populates="duty", cascade="all, delete-orphan", order_by="DutyFunction.position", passive_deletes=True
    )

    @property
    def audit_label(self) -> str:
        return self.text[:80]


class DutyFunction(db.Model):
    """A duty serves a function of its position's department (职能覆盖). Part of the version's
    content: copied into new drafts, frozen with a published version. The function's title and
    text are copied when the link is saved (as KPI names are), so a published version still says
    what it served after the department's functions are edited; a removed function leaves the
    link with no ``function_id``."""

    __tablename__ = "jd_duty_functions"
    __table_args__ = (UniqueConstraint("duty_id", "function_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("jd_duties.id", ondelete="CASCADE"), index=True)
    function_id: Mapped[int | None] = mapped_column(
        ForeignKey("department_functions.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    function_label: Mapped[str] = mapped_column(Text, default="")

    duty: Mapped[Duty] = relationship(back_populates="function_links")

    @property
    def audit_label(self) -> str:
        return self.function_label[:80]


class Requirement(db.Model):
    __tablename__ = "jd_requirements"
    __table_args__ = (CheckConstraint(_in("kind", RequirementKind), name="kind_valid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("jd_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(30), default=RequirementKind.OTHER.value)
    text: Mapped[str] = mapped_column(Text)
    required: Mapped[bool] = mapped_column(Boolean, default=True)  # False: preferred

    version: Mapped[JobDescriptionVersion] = relationship(back_populates="requirements")

    @property
    def kind_enum(self) -> RequirementKind:
        return RequirementKind(self.kind)

    @property
    def audit_label(self) -> str:
        return self.text[:80]


class CompetencyRequirement(db.Model):
    __tablename__ = "jd_competencies"
    __table_args__ = (
        UniqueConstraint("version_id", "competency_id"),
        CheckConstraint(f"level >= 1 AND level <= {SCALE_MAX}", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("jd_versions.id", ondelete="CASCADE"), index=True)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competencies.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    level: Mapped[int] = mapped_column(Integer, default=3)

    # What the version shows, copied from the library when the draft is saved: a published
    # version never changes when the library is edited afterwards.
    competency_code: Mapped[str] = mapped_column(String(40), default="")
    competency_name: Mapped[str] = mapped_column(String(120), default="")
    competency_description: Mapped[str] = mapped_column(Text, default="")
    level_description: Mapped[str] = mapped_column(Text, default="")

    version: Mapped[JobDescriptionVersion] = relationship(back_populates="competencies")
    competency: Mapped[Competency] = relationship()

    def snapshot(self, competency: Competency) -> None:
        self.competency_code, self.competency_name = competency.code, competency.name
        self.competency_description = competency.description or ""
        self.level_description = competency.level_text(self.level)

    @property
    def audit_label(self) -> str:
        return f"{self.competency_id}@{self.level}"


class KpiTarget(db.Model):
    """A position's target on a KPI for a period, with an optional threshold (the worst result
    that still earns something) and stretch (the result that earns the maximum)."""

    __tablename__ = "jd_kpi_targets"
    __table_args__ = (
        UniqueConstraint("version_id", "kpi_id", "period"),
        CheckConstraint("weight >= 0 AND weight <= 100", name="weight_range"),
        CheckConstraint(_in("period", Period), name="period_valid"),
        CheckConstraint(_in("kpi_direction", Direction), name="kpi_direction_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("jd_versions.id", ondelete="CASCADE"), index=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    target: Mapped[Decimal] = mapped_column(Number)
    threshold: Mapped[Decimal | None] = mapped_column(Number)
    stretch: Mapped[Decimal | None] = mapped_column(Number)
    weight: Mapped[Decimal] = mapped_column(Percent, default=0)
    period: Mapped[str] = mapped_column(String(20), default=Period.MONTHLY.value)
    note: Mapped[str] = mapped_column(Text, default="")

    # What the version shows, copied from the library when the draft is saved (see
    # CompetencyRequirement): renaming a KPI or changing its unit leaves published versions alone.
    kpi_code: Mapped[str] = mapped_column(String(40), default="")
    kpi_name: Mapped[str] = mapped_column(String(120), default="")
    kpi_unit: Mapped[str] = mapped_column(String(40), default="")
    kpi_direction: Mapped[str] = mapped_column(String(10), default=Direction.HIGHER.value)

    version: Mapped[JobDescriptionVersion] = relationship(back_populates="kpi_targets")
    kpi: Mapped[Kpi] = relationship()

    def snapshot(self, kpi: Kpi) -> None:
        self.kpi_code, self.kpi_name, self.kpi_unit, self.kpi_direction = kpi.code, kpi.name, kpi.unit, kpi.direction

    @property
    def audit_label(self) -> str:
        return f"{self.kpi_id}:{self.period}"


# --- workflow ---------------------------------------------------------------------------------


class VersionEvent(db.Model):
    """The workflow history of a version shown on its page (created, submitted, returned with a
    comment, approved, published, superseded, a lint finding waived). The audit trail has
    every field change besides."""

    __tablename__ = "jd_version_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("jd_versions.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(254), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    version: Mapped[JobDescriptionVersion] = relationship(back_populates="events")


class LintWaiver(db.Model):
    """A linter finding that HR accepted on purpose, with the reason (required before approval)."""

    __tablename__ = "jd_lint_waivers"
    __table_args__ = (UniqueConstraint("version_id", "finding_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("jd_versions.id", ondelete="CASCADE"), index=True)
    finding_key: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    version: Mapped[JobDescriptionVersion] = relationship(back_populates="waivers")


class Acknowledgement(db.Model):
    """An employee's acknowledgement that they read a published version of their job description."""

    __tablename__ = "jd_acknowledgements"
    __table_args__ = (UniqueConstraint("version_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("jd_versions.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    version: Mapped[JobDescriptionVersion] = relationship()
    employee = relationship("Employee")

    @property
    def audit_label(self) -> str:
        return f"{self.employee_id}→v{self.version_id}"
