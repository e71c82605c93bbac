"""Request and response schemas of the appraisal endpoints (see app/api/schemas.py for the
conventions: requests refuse unknown fields, responses always carry every field)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.schemas import (
    Exact,
    Output,
    PageArgs,
    Text,
    input_schema,
    optional_ref,
    output_schema,
    query_ref,
    ref,
    text,
    version_field,
)
from app.appraisals.fields import CYCLE
from app.appraisals.models import CycleStatus, ExclusionReason, SelfReviewState, Step
from app.appraisals.services.flow import MAX_COMMENT, REOPEN_STEPS

STEPS = Step.order()


# A cycle's fields are declared once, in app/appraisals/fields.py; these add the rest.
CycleIn = input_schema("CycleIn", CYCLE)


class CycleUpdate(CycleIn):
    version = version_field()


CycleOut = output_schema(
    "CycleOut",
    CYCLE,
    ("id", "name", "period_type", "start_date", "end_date", "self_review_due", "manager_review_due"),
    id=fields.Integer(),
    end_date=fields.Date(),  # computed from the period when none is given
    template_id=fields.Integer(),  # the standard template when none is given
    department_ids=fields.Pluck("IdOut", "id", many=True, attribute="departments"),
    status=fields.String(validate=validate.OneOf(sorted(CycleStatus.values()))),
    launched_at=fields.DateTime(allow_none=True),
    closed_at=fields.DateTime(allow_none=True),
    version=fields.Integer(),
)


class CycleArgs(PageArgs):
    status = fields.String(validate=validate.OneOf(sorted(CycleStatus.values())))


class LaunchOut(Output):
    created = fields.Integer(metadata={"description": "Reviews created now."})
    existing = fields.Integer(metadata={"description": "Reviews the cycle already had (never created twice)."})
    without_jd = fields.Integer(metadata={"description": "New reviews without a published job description."})
    without_reviewer = fields.Integer(metadata={"description": "New reviews nobody above could review."})
    stalled = fields.Integer(
        metadata={
            "description": "Reviews of the cycle that cannot move as things stand: the self-review is due and the "
            "employee has no account; nobody able can do the manager review (no reviewer, a reviewer "
            "without an account, or with an account that may not review); or no job description at "
            "launch. List them with `GET /api/v1/reviews?cycle_id=…&stalled=true`."
        }
    )
    excluded = fields.Integer(
        metadata={"description": "Of `created`, the reviews of employees excluded before the launch (counted nowhere)."}
    )
    cycle = fields.Nested(CycleOut)


class CountOut(Output):
    label = fields.String()
    count = fields.Integer()


class DepartmentResultOut(Output):
    id = fields.Integer()
    name = fields.String()
    depth = fields.Integer(metadata={"description": "0: the department asked for (or a top department)."})
    reviews = fields.Integer()
    finalised = fields.Integer()
    average = fields.Float(allow_none=True, metadata={"description": "Average final score of the finalised reviews."})


class ResultsOut(Output):
    total = fields.Integer()
    by_step = fields.Dict(keys=fields.String(), values=fields.Integer())
    finalised = fields.Integer(
        metadata={
            "description": "Finalised reviews: the only ones counted in `scored`, `average`, `bands` and `histogram`."
        }
    )
    completion = fields.Float(metadata={"description": "Finalised reviews in %."})
    acknowledged = fields.Integer()
    overdue = fields.Integer()
    scored = fields.Integer(metadata={"description": "Finalised reviews with a final score."})
    provisional = fields.Integer(
        metadata={
            "description": "Reviews in progress with a provisional score (from what was entered so far), counted nowhere."
        }
    )
    finalised_without_score = fields.Integer(
        metadata={
            "description": "Finalised reviews that had nothing to score (HR gave the reason): in `finalised`, in no "
            "distribution or average."
        }
    )
    average = fields.Float(allow_none=True, metadata={"description": "Average final score of the finalised reviews."})
    bands = fields.List(fields.Nested(CountOut), metadata={"description": "Finalised reviews per (calibrated) band."})
    histogram = fields.List(
        fields.Nested(CountOut), metadata={"description": "Final scores of the finalised reviews, per 10 points."}
    )
    departments = fields.List(fields.Nested(DepartmentResultOut))


class ResultsArgs(Schema):
    department_id = query_ref("Only this department and those below it.")


class KpiResultOut(Output):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    unit = fields.String()
    direction = fields.String(validate=validate.OneOf(["higher", "lower"]))
    target = Exact()
    threshold = Exact(allow_none=True)
    stretch = Exact(allow_none=True)
    weight = Exact()
    period = fields.String()
    self_actual = Exact(allow_none=True, metadata={"description": "What the employee reported."})
    actual = Exact(allow_none=True, metadata={"description": "The scored actual (the manager may adjust it)."})
    attainment = fields.Float(allow_none=True, metadata={"description": "0–120 %."})
    employee_comment = fields.String()
    manager_comment = fields.String()


class RatingOut(Output):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    required_level = fields.Integer()
    weight = Exact()
    self_rating = fields.Integer(allow_none=True)
    manager_rating = fields.Integer(allow_none=True)
    employee_comment = fields.String()
    manager_comment = fields.String()


class ReviewOut(Output):
    id = fields.Integer()
    cycle_id = fields.Integer()
    employee_id = fields.Integer()
    employee_no = fields.String(attribute="employee.employee_no")
    employee_name = fields.String(attribute="employee.name")
    position_id = fields.Integer()
    department_id = fields.Integer()
    reviewer_id = fields.Integer(allow_none=True)
    jd_version_id = fields.Integer(allow_none=True)
    status = fields.String(validate=validate.OneOf(STEPS))
    notes = fields.List(
        fields.String(),
        metadata={
            "description": "no_jd, no_kpis, no_competencies, no_reviewer; plan_targets: the target source of some "
            "KPIs is the department's approved target plan for the cycle's period (the share handed down to the "
            "position), not the job description's standing target."
        },
    )
    kpi_weight = Exact()
    competency_weight = Exact()
    kpi_score = fields.Float(allow_none=True)
    competency_score = fields.Float(allow_none=True)
    final_score = fields.Float(
        allow_none=True,
        metadata={
            "description": "Unrounded, 0–120. Provisional while the review is not finalised (see `provisional`)."
        },
    )
    provisional = fields.Boolean(
        attribute="is_provisional",
        metadata={
            "description": "true while the review is not finalised: its scores and band are provisional (from what "
            "was entered so far) and count in no result."
        },
    )
    band = fields.String(allow_none=True, metadata={"description": "The computed band."})
    calibrated_band = fields.String(allow_none=True, metadata={"description": "The band HR set, if any."})
    outcome = fields.String(allow_none=True)
    acknowledged_at = fields.DateTime(allow_none=True)
    finalised_at = fields.DateTime(allow_none=True)
    finalised_without_score = fields.Boolean(
        attribute="is_finalised_without_score",
        metadata={"description": "Finalised with nothing to score: HR's reason is `unscored_reason`; counted apart."},
    )
    unscored_reason = fields.String()
    self_review_state = fields.String(
        allow_none=True,
        validate=validate.OneOf(sorted(SelfReviewState.values())),
        metadata={"description": "null: the employee's own self-review (to do or done); else how it ended."},
    )
    excluded = fields.Boolean(
        attribute="is_excluded",
        metadata={"description": "Removed from the cycle by HR: counted nowhere, no step open; HR can restore it."},
    )
    excluded_at = fields.DateTime(allow_none=True)
    exclusion_reason = fields.String(allow_none=True, validate=validate.OneOf(sorted(ExclusionReason.values())))
    exclusion_comment = fields.String()
    version = fields.Integer()


class ReviewDetailOut(ReviewOut):
    self_comment = fields.String()
    manager_comment = fields.String()
    calibration_reason = fields.String()
    self_submitted_at = fields.DateTime(allow_none=True)
    manager_submitted_at = fields.DateTime(allow_none=True)
    kpis = fields.List(fields.Nested(KpiResultOut), attribute="kpi_results")
    competencies = fields.List(fields.Nested(RatingOut), attribute="ratings")


class ReviewArgs(PageArgs):
    cycle_id = query_ref()
    employee_id = query_ref()
    department_id = query_ref("Only reviews of this department and those below it.")
    status = fields.String(validate=validate.OneOf(STEPS))
    band = text(10, metadata={"description": "The (calibrated) band."})
    stalled = fields.Boolean(
        load_default=False,
        metadata={
            "description": "Only the reviews that cannot move as things stand (the employee has no account for a due "
            "self-review; nobody able can do the manager review; no job description at launch)."
        },
    )
    excluded = fields.Boolean(
        load_default=False, metadata={"description": "Only the reviews excluded from their cycle (left out otherwise)."}
    )
    finalised_without_score = fields.Boolean(
        load_default=False, metadata={"description": "Only the reviews finalised without score."}
    )


class KpiActualIn(Schema):
    id = ref(required=True, metadata={"description": "The id of a KPI result of this review."})
    actual = Exact(
        allow_none=True,
        metadata={"description": "Negative only where the KPI's target, threshold or stretch is. Null clears it."},
    )
    comment = text(
        MAX_COMMENT,
        metadata={"description": "The employee's comment in the self-review, the manager's in the manager review."},
    )


class RatingIn(Schema):
    id = ref(required=True, metadata={"description": "The id of a competency rating of this review."})
    rating = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=0, max=100))
    comment = text(
        MAX_COMMENT,
        metadata={"description": "The employee's comment in the self-review, the manager's in the manager review."},
    )


class StepIn(Schema):
    """The fields of the review's current step: self-review (kpis' actuals and comments,
    competencies' self ratings, comment), manager review (kpis' actuals and comments,
    competencies' ratings, comment, outcome) or calibration (calibrated_band, reason)."""

    version = version_field()
    kpis = fields.List(fields.Nested(KpiActualIn), load_default=list, validate=validate.Length(max=500))
    competencies = fields.List(fields.Nested(RatingIn), load_default=list, validate=validate.Length(max=500))
    comment = text(MAX_COMMENT, load_default=None, allow_none=True)
    outcome = text(40, load_default=None, allow_none=True)
    calibrated_band = text(10, load_default=None, allow_none=True)
    reason = text(MAX_COMMENT, load_default="")
    submit = fields.Boolean(
        load_default=False,
        metadata={
            "description": "false (the default): save only; true: complete the step (hand the review on; at "
            "calibration: finalise)."
        },
    )


class VersionIn(Schema):
    version = version_field()


class ReopenIn(VersionIn):
    step = fields.String(required=True, validate=validate.OneOf([s.value for s in REOPEN_STEPS]))
    reason = Text(required=True, validate=validate.Length(min=1, max=MAX_COMMENT))


class ReviewerIn(VersionIn):
    reviewer_id = optional_ref()


class LaunchIn(VersionIn):
    confirm_overlap = fields.Boolean(
        load_default=False,
        metadata={
            "description": "true: launch even though some employees already have a review of the same template for an "
            "overlapping period (without it such a launch answers 409 naming them)."
        },
    )


class FinaliseIn(VersionIn):
    reason = text(
        MAX_COMMENT,
        load_default="",
        metadata={
            "description": "Required for a review with no score (no KPI and no competency): why it is finalised so."
        },
    )


REASONS = sorted(ExclusionReason.values())


class ExcludeIn(VersionIn):
    reason = fields.String(required=True, validate=validate.OneOf(REASONS))
    comment = text(2000, load_default="", metadata={"description": "Required when the reason is `other`."})


class ExclusionIn(Schema):
    employee_id = ref(required=True)
    reason = fields.String(required=True, validate=validate.OneOf(REASONS))
    comment = text(2000, load_default="", metadata={"description": "Required when the reason is `other`."})
    version = version_field()


class ExclusionOut(Output):
    id = fields.Integer()
    employee_id = fields.Integer()
    employee_no = fields.String(attribute="employee.employee_no")
    employee_name = fields.String(attribute="employee.name")
    reason = fields.String(validate=validate.OneOf(REASONS))
    comment = fields.String()
    created_at = fields.DateTime()


# --- calibration, rewards, follow-up (issue 18) ------------------------------------------------


class BandShareOut(Output):
    band = fields.String()
    count = fields.Integer()
    share = fields.Float(allow_none=True, metadata={"description": "% of the counted reviews; null when none."})
    guide_min = Exact(allow_none=True, metadata={"description": "The guideline: at least this % of the reviews."})
    guide_max = Exact(allow_none=True, metadata={"description": "The guideline: at most this % of the reviews."})
    deviation = fields.String(
        allow_none=True,
        validate=validate.OneOf(["over", "under"]),
        metadata={
            "description": "over: more than guide_max; under: fewer than guide_min; null: within (or no guideline)."
        },
    )
    off_by = fields.Integer(metadata={"description": "Reviews that would have to move for the band to meet it."})


class CalibrationOut(Output):
    counted = fields.Integer(metadata={"description": "Reviews at calibration or finalised, with a score."})
    before = fields.Integer(metadata={"description": "Reviews still before calibration (not counted)."})
    bands = fields.List(fields.Nested(BandShareOut))


class RewardOut(Output):
    employee_no = fields.String()
    name = fields.String()
    department = fields.String()
    position = fields.String()
    final_score = Exact(allow_none=True, metadata={"description": "One decimal, as shown."})
    band = fields.String(metadata={"description": "The band shown: calibrated, else computed."})
    bonus = Exact(allow_none=True, metadata={"description": "The band's bonus coefficient (frozen at launch)."})
    salary_raise = Exact(allow_none=True, metadata={"description": "The band's salary adjustment in %."})


class RewardsOut(Output):
    cycle_id = fields.Integer()
    rows = fields.List(fields.Nested(RewardOut))


class FollowUpArgs(PageArgs):
    list = fields.String(
        load_default="promotion",
        validate=validate.OneOf(["promotion", "probation"]),
        metadata={
            "description": "promotion: finalised reviews proposing a promotion; probation: probation reviews and "
            "reviews of employees on probation."
        },
    )
    cycle_id = query_ref("Only this cycle.")


class PastOut(Output):
    cycle = fields.String()
    band = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)


class FollowUpOut(Output):
    review_id = fields.Integer()
    cycle_id = fields.Integer()
    cycle = fields.String()
    employee_id = fields.Integer()
    employee_no = fields.String()
    name = fields.String()
    employee_status = fields.String()
    status = fields.String()
    band = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    history = fields.List(fields.Nested(PastOut), metadata={"description": "Finalised reviews, oldest first."})
