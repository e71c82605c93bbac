"""Performance appraisals: templates (section weights, rating scale, score bands, outcomes),
cycles (a period, a scope of departments, deadlines), and one review per employee in scope with
the snapshot of their job description taken at launch (KPI results and competency ratings).

A review moves through the steps::

    self_review ──▶ manager_review ──▶ calibration ──▶ finalised (──▶ acknowledged by the employee)
         ▲                 ▲                 ▲              │
         └─────────────────┴─────────────────┴── reopened by HR, with a reason

The self-review is skipped at launch when the template says so or the employee has no account
(``self_review_state``); HR (or the reviewer, where the template allows) may enter a paper one
on the employee's behalf, and HR the paper manager review of a reviewer without an account. HR
may exclude a review from its cycle (kept, counted nowhere, restorable); a review with nothing
to score is finalised only with HR's reason (``unscored_reason``).

Scores are stored (recomputed by ``services.score_review`` whenever an input changes) so that
result pages and exports aggregate them in SQL; the formulas live in ``app.appraisals.services.scoring``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
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
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import ExactNumber, UTCDateTime, VersionedMixin, utcnow
from app.extensions import db
from app.jobs.models import LabelledEnum, Number, Percent

# Scores are computed, stored exactly to four decimals and read as floats (at most 7 digits, so the
# float's repr is the stored decimal); rounding is for display only. Typed numbers are Decimals.
Score = ExactNumber(18, 4, as_float=True)


class PeriodType(LabelledEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"
    CUSTOM = "custom"

    @classmethod
    def labels(cls):
        return {
            cls.MONTHLY: _l("Monthly"),
            cls.QUARTERLY: _l("Quarterly"),
            cls.ANNUAL: _l("Annual"),
            cls.CUSTOM: _l("Custom"),
        }


class CycleStatus(LabelledEnum):
    DRAFT = "draft"
    RUNNING = "running"
    CLOSED = "closed"

    @classmethod
    def labels(cls):
        return {cls.DRAFT: _l("Not launched"), cls.RUNNING: _l("Running"), cls.CLOSED: _l("Closed")}


class Step(LabelledEnum):
    SELF_REVIEW = "self_review"
    MANAGER_REVIEW = "manager_review"
    CALIBRATION = "calibration"
    FINALISED = "finalised"

    @classmethod
    def labels(cls):
        return {
            cls.SELF_REVIEW: _l("Self-review"),
            cls.MANAGER_REVIEW: _l("Manager review"),
            cls.CALIBRATION: _l("HR calibration"),
            cls.FINALISED: _l("Finalised"),
        }

    @classmethod
    def order(cls) -> list[str]:
        return [member.value for member in cls]


def _in(column: str, enum_cls) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in enum_cls)})"


class SelfReviewMode(LabelledEnum):
    """Whether a template's reviews begin with the employee's self-review."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    SKIPPED = "skipped"

    @classmethod
    def labels(cls):
        return {cls.REQUIRED: _l("Required"), cls.OPTIONAL: _l("Optional"), cls.SKIPPED: _l("Skipped")}


class SelfReviewState(LabelledEnum):
    """How a review's self-review ended when the employee did not submit it themselves."""

    SKIPPED_TEMPLATE = "skipped_template"
    SKIPPED_NO_ACCOUNT = "skipped_no_account"
    SKIPPED_OPTIONAL = "skipped_optional"
    ON_BEHALF = "on_behalf"

    @classmethod
    def labels(cls):
        return {
            cls.SKIPPED_TEMPLATE: _l("Skipped: the template has no self-review"),
            cls.SKIPPED_NO_ACCOUNT: _l("Skipped: the employee has no account"),
            cls.SKIPPED_OPTIONAL: _l("Not done (optional): the review went on without it"),
            cls.ON_BEHALF: _l("Entered on paper on the employee’s behalf"),
        }


class ExclusionReason(LabelledEnum):
    LONG_LEAVE = "long_leave"
    LEFT = "left"
    JOINED_LATE = "joined_late"
    OTHER = "other"

    @classmethod
    def labels(cls):
        return {
            cls.LONG_LEAVE: _l("Long leave"),
            cls.LEFT: _l("Left the company"),
            cls.JOINED_LATE: _l("Joined late"),
            cls.OTHER: _l("Other reason"),
        }


class AppraisalTemplate(VersionedMixin, db.Model):
    """How reviews are weighted, rated and banded. ``scale`` is [{"level": 1, "label", "description"}…]
    (levels 1..n), ``bands`` is [{"band": "A", "min": 90}…] from the highest minimum down (the
    last band takes everything below), ``outcomes`` is [{"code", "label"}…]. An empty label
    means the standard one, shown in each user's language."""

    __tablename__ = "appraisal_templates"
    __table_args__ = (
        CheckConstraint("kpi_weight >= 0 AND kpi_weight <= 100", name="kpi_weight_range"),
        CheckConstraint("competency_weight >= 0 AND competency_weight <= 100", name="competency_weight_range"),
        CheckConstraint(_in("self_review", SelfReviewMode), name="self_review_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    kpi_weight: Mapped[Decimal] = mapped_column(Percent, default=70)
    competency_weight: Mapped[Decimal] = mapped_column(Percent, default=30)
    scale: Mapped[list] = mapped_column(JSON, default=list)
    bands: Mapped[list] = mapped_column(JSON, default=list)
    outcomes: Mapped[list] = mapped_column(JSON, default=list)
    self_review: Mapped[str] = mapped_column(
        String(20), default=SelfReviewMode.REQUIRED.value, server_default=SelfReviewMode.REQUIRED.value
    )
    # The reviewer (not only HR) may enter a paper self-review on the employee's behalf.
    reviewer_enters_self_review: Mapped[bool] = mapped_column(Boolean, default=False, server_default=db.false())
    # 360° feedback settings (issue 18), validated by services.templates.clean_feedback; {} = no feedback.
    feedback: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    # Individual goals as a scored section (issue 18): {"enabled": bool, "weight": %}; {} = none.
    goals: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    @property
    def scale_max(self) -> int:
        return len(self.scale or []) or 5

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


cycle_departments = Table(
    "appraisal_cycle_departments",
    db.metadata,
    Column("cycle_id", ForeignKey("appraisal_cycles.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", ForeignKey("departments.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class AppraisalCycle(VersionedMixin, db.Model):
    """One appraisal round. Its scope is a set of departments (with their sub-departments when
    ``include_subdepartments``), or the whole company when none is chosen. At launch the
    template's settings are copied into ``settings``, so that editing the template later never
    changes a running cycle."""

    __tablename__ = "appraisal_cycles"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
        CheckConstraint(_in("period_type", PeriodType), name="period_type_valid"),
        CheckConstraint(_in("status", CycleStatus), name="status_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    period_type: Mapped[str] = mapped_column(String(20), default=PeriodType.MONTHLY.value)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    self_review_due: Mapped[date | None] = mapped_column(Date)
    manager_review_due: Mapped[date | None] = mapped_column(Date)
    include_subdepartments: Mapped[bool] = mapped_column(Boolean, default=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("appraisal_templates.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default=CycleStatus.DRAFT.value, index=True)
    settings: Mapped[dict | None] = mapped_column(JSON)  # the template's settings, frozen at launch
    launched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    template: Mapped[AppraisalTemplate] = relationship()
    departments = relationship("Department", secondary=cycle_departments, order_by="Department.path")

    @property
    def status_enum(self) -> CycleStatus:
        return CycleStatus(self.status)

    @property
    def period_type_enum(self) -> PeriodType:
        return PeriodType(self.period_type)

    @property
    def is_draft(self) -> bool:
        return self.status == CycleStatus.DRAFT.value

    @property
    def audit_label(self) -> str:
        return self.name


class Review(VersionedMixin, db.Model):
    """One employee's appraisal in a cycle. ``position_id``, ``department_id``, the weights and
    the job-description version are those of the launch; ``reviewer_id`` is the employee who
    does the manager review (HR may reassign). ``notes`` holds codes of what was missing at
    launch ("no_jd", "no_kpis", "no_competencies", "no_reviewer")."""

    __tablename__ = "appraisal_reviews"
    __table_args__ = (
        UniqueConstraint("cycle_id", "employee_id"),
        CheckConstraint(_in("status", Step), name="status_valid"),
        CheckConstraint("reviewer_id IS NULL OR reviewer_id <> employee_id", name="not_own_reviewer"),
        CheckConstraint(
            f"self_review_state IS NULL OR {_in('self_review_state', SelfReviewState)}", name="self_review_state_valid"
        ),
        CheckConstraint(
            f"exclusion_reason IS NULL OR {_in('exclusion_reason', ExclusionReason)}", name="exclusion_reason_valid"
        ),
        Index("ix_appraisal_reviews_cycle_id_status", "cycle_id", "status"),
        # A cycle's page reads its reviews (not excluded) from these alone, never the table's wide
        # rows: the counts by step and department in the GROUP BY's order (results.review_counts),
        # the final scores of the finalised ones (results.summary) ...
        Index(
            "ix_appraisal_reviews_cycle_id_excluded_at_status_department_id",
            "cycle_id",
            "excluded_at",
            "status",
            "department_id",
            "acknowledged_at",
            "final_score",
        ),
        # ... and who is reviewed and by whom (reviewers.stalled_reviews, the list's count).
        Index(
            "ix_appraisal_reviews_cycle_id_excluded_at_status_employee_id",
            "cycle_id",
            "excluded_at",
            "status",
            "employee_id",
            "reviewer_id",
            "jd_version_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("appraisal_cycles.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("positions.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"), index=True)
    jd_version_id: Mapped[int | None] = mapped_column(ForeignKey("jd_versions.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default=Step.SELF_REVIEW.value)
    kpi_weight: Mapped[Decimal] = mapped_column(Percent, default=70)
    competency_weight: Mapped[Decimal] = mapped_column(Percent, default=30)
    notes: Mapped[list] = mapped_column(JSON, default=list)
    self_comment: Mapped[str] = mapped_column(Text, default="")
    manager_comment: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str | None] = mapped_column(String(40))
    kpi_score: Mapped[float | None] = mapped_column(Score)
    competency_score: Mapped[float | None] = mapped_column(Score)
    feedback_score: Mapped[float | None] = mapped_column(Score)  # 360° feedback, once released
    goals_score: Mapped[float | None] = mapped_column(Score)  # individual goals, once agreed
    goals_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    final_score: Mapped[float | None] = mapped_column(Score)
    band: Mapped[str | None] = mapped_column(String(10))
    calibrated_band: Mapped[str | None] = mapped_column(String(10))
    calibration_reason: Mapped[str] = mapped_column(Text, default="")
    # None: the employee's own self-review (to do or done); else how it ended (SelfReviewState).
    self_review_state: Mapped[str | None] = mapped_column(String(20))
    # Removed from the cycle by HR (with a reason): kept, counted nowhere, restorable.
    excluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    exclusion_reason: Mapped[str | None] = mapped_column(String(20))
    exclusion_comment: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Why HR finalised a review that has no score (no KPI and no competency to score).
    unscored_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    self_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    manager_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finalised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)  # any save: moves ``version``

    cycle: Mapped[AppraisalCycle] = relationship()
    employee = relationship("Employee", foreign_keys=[employee_id])
    reviewer = relationship("Employee", foreign_keys=[reviewer_id])
    position = relationship("Position")
    department = relationship("Department")
    kpi_results: Mapped[list[KpiResult]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="KpiResult.position", passive_deletes=True
    )
    ratings: Mapped[list[CompetencyRating]] = relationship(
        back_populates="review",
        cascade="all, delete-orphan",
        order_by="CompetencyRating.position",
        passive_deletes=True,
    )
    events: Mapped[list[ReviewEvent]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="ReviewEvent.id", passive_deletes=True
    )

    @property
    def step(self) -> Step:
        return Step(self.status)

    @property
    def is_finalised(self) -> bool:
        return self.status == Step.FINALISED.value

    @property
    def is_provisional(self) -> bool:
        """The scores of a review in progress are provisional: they count in no result."""
        return not self.is_finalised

    @property
    def is_excluded(self) -> bool:
        return self.excluded_at is not None

    @property
    def is_finalised_without_score(self) -> bool:
        return self.is_finalised and self.final_score is None

    @property
    def self_review_state_enum(self) -> SelfReviewState | None:
        return SelfReviewState(self.self_review_state) if self.self_review_state else None

    @property
    def exclusion_reason_enum(self) -> ExclusionReason | None:
        return ExclusionReason(self.exclusion_reason) if self.exclusion_reason else None

    @property
    def effective_band(self) -> str | None:
        return self.calibrated_band or self.band

    @property
    def audit_label(self) -> str:
        return f"{self.cycle_id}:{self.employee_id}"


class KpiResult(db.Model):
    """A KPI target copied from the job description at launch, with the actual result. The
    employee enters ``actual`` (kept as ``self_actual`` too); the manager may adjust ``actual``."""

    __tablename__ = "appraisal_kpi_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("appraisal_reviews.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kpi_id: Mapped[int | None] = mapped_column(ForeignKey("kpis.id", ondelete="SET NULL"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(40), default="")
    direction: Mapped[str] = mapped_column(String(10), default="higher")
    target: Mapped[Decimal] = mapped_column(Number)
    threshold: Mapped[Decimal | None] = mapped_column(Number)
    stretch: Mapped[Decimal | None] = mapped_column(Number)
    weight: Mapped[Decimal] = mapped_column(Percent, default=0)
    period: Mapped[str] = mapped_column(String(20), default="monthly")
    self_actual: Mapped[Decimal | None] = mapped_column(Number)
    actual: Mapped[Decimal | None] = mapped_column(Number)
    attainment: Mapped[float | None] = mapped_column(Score)
    employee_comment: Mapped[str] = mapped_column(Text, default="")
    manager_comment: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="kpi_results")

    @property
    def audit_label(self) -> str:
        return f"{self.review_id}:{self.code}"


class CompetencyRating(db.Model):
    """A competency of the job description at launch, with the required level, the employee's
    self rating and the manager's rating (the one that is scored), each with its own comment."""

    __tablename__ = "appraisal_competency_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("appraisal_reviews.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    competency_id: Mapped[int | None] = mapped_column(ForeignKey("competencies.id", ondelete="SET NULL"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    required_level: Mapped[int] = mapped_column(Integer, default=3)
    weight: Mapped[Decimal] = mapped_column(Percent, default=1)
    self_rating: Mapped[int | None] = mapped_column(Integer)
    manager_rating: Mapped[int | None] = mapped_column(Integer)
    employee_comment: Mapped[str] = mapped_column(Text, default="")
    manager_comment: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="ratings")

    @property
    def audit_label(self) -> str:
        return f"{self.review_id}:{self.code}"


class ReviewEvent(db.Model):
    """The history shown on a review: steps submitted, calibration, finalisation, reopening
    (with the reason), acknowledgement, reviewer changes. The audit trail has every field change."""

    __tablename__ = "appraisal_review_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("appraisal_reviews.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    comment: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(254), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    review: Mapped[Review] = relationship(back_populates="events")


class Exclusion(db.Model):
    """An employee HR leaves out of a cycle before its launch, with the reason. The launch
    creates their review already excluded (so that it can be restored like any other)."""

    __tablename__ = "appraisal_exclusions"
    __table_args__ = (
        UniqueConstraint("cycle_id", "employee_id"),
        CheckConstraint(_in("reason", ExclusionReason), name="reason_valid"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("appraisal_cycles.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    employee = relationship("Employee")

    @property
    def reason_enum(self) -> ExclusionReason:
        return ExclusionReason(self.reason)

    @property
    def audit_label(self) -> str:
        return f"{self.cycle_id}:{self.employee_id}"


class PlanStatus(LabelledEnum):
    """An improvement plan runs (``open``, or ``extended`` with a later end date) until HR or its
    owner closes it as successful or not successful; a closed plan is locked."""

    OPEN = "open"
    EXTENDED = "extended"
    SUCCESSFUL = "successful"
    UNSUCCESSFUL = "unsuccessful"

    @classmethod
    def labels(cls):
        return {
            cls.OPEN: _l("Running"),
            cls.EXTENDED: _l("Extended"),
            cls.SUCCESSFUL: _l("Successful"),
            cls.UNSUCCESSFUL: _l("Not successful"),
        }


class ImprovementPlan(VersionedMixin, db.Model):
    """The plan a review's "improvement plan" outcome opens (when the review is finalised): the
    objectives, the support given, an owner (the reviewer, by default), check-in dates and an end
    date; check-ins are recorded against it; it closes as successful or not, or is extended."""

    __tablename__ = "improvement_plans"
    __table_args__ = (
        CheckConstraint(_in("status", PlanStatus), name="status_valid"),
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("appraisal_reviews.id", ondelete="SET NULL"), unique=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    position_id: Mapped[int | None] = mapped_column(ForeignKey("positions.id", ondelete="SET NULL"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"), index=True)
    objectives: Mapped[str] = mapped_column(Text, default="")
    support: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    checkin_dates: Mapped[list] = mapped_column(JSON, default=list)  # ISO dates, in order
    status: Mapped[str] = mapped_column(String(20), default=PlanStatus.OPEN.value, index=True)
    closing_comment: Mapped[str] = mapped_column(Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)  # a check-in moves ``version``

    review = relationship("Review")
    employee = relationship("Employee", foreign_keys=[employee_id])
    owner = relationship("Employee", foreign_keys=[owner_id])
    position = relationship("Position")
    checkins: Mapped[list[PlanCheckIn]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        order_by="PlanCheckIn.held_on, PlanCheckIn.id",
        passive_deletes=True,
    )

    @property
    def status_enum(self) -> PlanStatus:
        return PlanStatus(self.status)

    @property
    def is_closed(self) -> bool:
        return self.status in (PlanStatus.SUCCESSFUL.value, PlanStatus.UNSUCCESSFUL.value)

    @property
    def audit_label(self) -> str:
        return f"{self.employee_id}:{self.start_date.isoformat()}"


class PlanCheckIn(db.Model):
    """A check-in of an improvement plan: the day, what was seen, and who recorded it."""

    __tablename__ = "improvement_plan_checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("improvement_plans.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    comment: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_label: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    plan: Mapped[ImprovementPlan] = relationship(back_populates="checkins")

    @property
    def audit_label(self) -> str:
        return f"{self.plan_id}:{self.held_on.isoformat()}"


# --- 360° feedback (issue 18) -------------------------------------------------------------------


class FeedbackRelation(LabelledEnum):
    PEER = "peer"
    DIRECT_REPORT = "direct_report"
    MANAGER = "manager"

    @classmethod
    def labels(cls):
        return {cls.PEER: _l("Peer"), cls.DIRECT_REPORT: _l("Direct report"), cls.MANAGER: _l("Other manager")}


class NominationStatus(LabelledEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    DECLINED = "declined"

    @classmethod
    def labels(cls):
        return {cls.PROPOSED: _l("Proposed"), cls.APPROVED: _l("Approved"), cls.DECLINED: _l("Declined")}


class FeedbackNomination(db.Model):
    """A person asked for feedback on a review. ``responded_at`` says that (and when) they
    answered; what they wrote is in a FeedbackResponse that does not point back here."""

    __tablename__ = "appraisal_feedback_nominations"
    __table_args__ = (
        UniqueConstraint("review_id", "respondent_id"),
        CheckConstraint(_in("relation", FeedbackRelation), name="relation_valid"),
        CheckConstraint(_in("status", NominationStatus), name="status_valid"),
        Index("ix_appraisal_feedback_nominations_review_id_status", "review_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("appraisal_reviews.id", ondelete="CASCADE"))
    respondent_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    relation: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default=NominationStatus.PROPOSED.value)
    nominated_by: Mapped[str] = mapped_column(String(20))  # "reviewee", "reviewer" or "hr"
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    review: Mapped[Review] = relationship()
    respondent = relationship("Employee")

    @property
    def audit_label(self) -> str:
        return f"{self.review_id}:{self.respondent_id}"


class FeedbackResponse(db.Model):
    """One answer to a feedback request. Deliberately unattributed: a random id, no respondent,
    no time, and not recorded by the automatic audit hook (``services.feedback`` writes an
    audit row without author or content), so nothing links it to who wrote it. ``nomination_id``
    is kept only in templates that are not anonymous."""

    __tablename__ = "appraisal_feedback_responses"
    __audit__ = False

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("appraisal_reviews.id", ondelete="CASCADE"), index=True)
    nomination_id: Mapped[int | None] = mapped_column(
        ForeignKey("appraisal_feedback_nominations.id", ondelete="SET NULL")
    )
    ratings: Mapped[dict] = mapped_column(JSON, default=dict)  # {competency code: level}
    answers: Mapped[list] = mapped_column(JSON, default=list)  # one text per open question


# --- individual goals (issue 18) ----------------------------------------------------------------


class Goal(VersionedMixin, db.Model):
    """An objective of a review, set by the employee or the reviewer and agreed by the reviewer
    at the start of the cycle (``Review.goals_agreed_at``); optionally aligned to a KPI of the
    job description (its code in the review's KPI results). Scored by its key results."""

    __tablename__ = "appraisal_goals"
    __table_args__ = (CheckConstraint("weight >= 0 AND weight <= 100", name="weight_range"),)
    __versioned_collections__ = {"key_results": "key_results", "check_ins": "check_ins"}

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("appraisal_reviews.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    weight: Mapped[Decimal] = mapped_column(Percent, default=0)
    due_date: Mapped[date | None] = mapped_column(Date)
    kpi_code: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    review: Mapped[Review] = relationship()
    key_results: Mapped[list[KeyResult]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="KeyResult.position", passive_deletes=True
    )
    check_ins: Mapped[list[GoalCheckIn]] = relationship(
        back_populates="goal", cascade="all, delete-orphan", order_by="GoalCheckIn.id", passive_deletes=True
    )

    @property
    def audit_label(self) -> str:
        return f"{self.review_id}:{self.title[:40]}"


class KeyResult(db.Model):
    """A measurable result of a goal: a figure from ``start`` to ``target`` (``current`` moves
    at check-ins), or done / not done when ``start`` and ``target`` are empty."""

    __tablename__ = "appraisal_key_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("appraisal_goals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200))
    start: Mapped[Decimal | None] = mapped_column(Number)
    target: Mapped[Decimal | None] = mapped_column(Number)
    current: Mapped[Decimal | None] = mapped_column(Number)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    due_date: Mapped[date | None] = mapped_column(Date)

    goal: Mapped[Goal] = relationship(back_populates="key_results")

    @property
    def is_binary(self) -> bool:
        return self.target is None

    @property
    def audit_label(self) -> str:
        return self.name


class GoalCheckIn(db.Model):
    """A progress check-in on a goal during the cycle: a comment and the key results' values then."""

    __tablename__ = "appraisal_goal_check_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("appraisal_goals.id", ondelete="CASCADE"), index=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[list] = mapped_column(JSON, default=list)  # the key results then: [{"id", "current", "done"}]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    goal: Mapped[Goal] = relationship(back_populates="check_ins")

    @property
    def audit_label(self) -> str:
        return self.comment[:60]
