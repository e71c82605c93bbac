"""The appraisal pages. One blueprint, one module per kind of page."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from app.appraisals import access
from app.appraisals.fields import CYCLE
from app.appraisals.models import (
    CycleStatus,
    ExclusionReason,
    FeedbackRelation,
    NominationStatus,
    PeriodType,
    PlanStatus,
    SelfReviewMode,
    SelfReviewState,
    Step,
)
from app.appraisals.services.flow import event_label
from app.appraisals.services.templates import STANDARD_OUTCOMES
from app.audit.vocabulary import enum_labels, register_event_labels, register_field_labels, register_value_labels
from app.auth.permissions import expose_to_templates

bp = Blueprint("appraisals", __name__, url_prefix="/appraisals")
expose_to_templates(bp, access.TEMPLATE_GLOBALS)
register_value_labels(
    {  # for the audit trail
        ("appraisal_reviews", "status"): enum_labels(Step),
        ("appraisal_cycles", "status"): enum_labels(CycleStatus),
        (None, "period_type"): enum_labels(PeriodType),
        (None, "self_review_state"): enum_labels(SelfReviewState),
        (None, "self_review"): enum_labels(SelfReviewMode),
        (None, "exclusion_reason"): enum_labels(ExclusionReason),
        ("appraisal_exclusions", "reason"): enum_labels(ExclusionReason),
        ("appraisal_feedback_nominations", "status"): enum_labels(NominationStatus),
        (None, "relation"): enum_labels(FeedbackRelation),
        (None, "outcome"): lambda: STANDARD_OUTCOMES,  # a template's own outcomes are shown by their code
    }
)
register_event_labels({"appraisal_review_events": event_label})
register_value_labels({("improvement_plans", "status"): enum_labels(PlanStatus)})
# A cycle's declared fields (app/appraisals/fields.py) are named by their labels where the trail has no word.
register_field_labels({(CYCLE.name, f.name): f.label for f in CYCLE.fields})
register_field_labels(
    {
        ("improvement_plans", "objectives"): _l("Objectives"),
        ("improvement_plans", "support"): _l("Support given"),
        ("improvement_plans", "owner_id"): _l("Owner"),
        ("improvement_plans", "checkin_dates"): _l("Check-in dates"),
        ("improvement_plans", "closing_comment"): _l("Comment"),
        ("improvement_plan_checkins", "held_on"): _l("Date"),
        ("improvement_plan_checkins", "plan_id"): _l("Improvement plan"),
        ("improvement_plan_checkins", "author_id"): _l("Recorded by"),
        ("improvement_plan_checkins", "author_label"): _l("Recorded by"),
    }
)

from app.appraisals.views import (  # noqa: E402,F401
    bulk,
    calibration,
    cycles,
    feedback,
    goals,
    kpi_actuals,
    plans,
    results,
    reviews,
    templates,
)


@bp.app_template_filter("score")
def _score(value) -> str:
    """A score with one decimal (display only)."""
    from app.appraisals.services.scoring import display

    return display(value)


@bp.context_processor
def _helpers():
    from app.appraisals.models import CycleStatus, FeedbackRelation, NominationStatus, PeriodType, SelfReviewMode, Step
    from app.appraisals.services import templates as template_settings

    return {
        "Step": Step,
        "FeedbackRelation": FeedbackRelation,
        "NominationStatus": NominationStatus,
        "CycleStatus": CycleStatus,
        "PeriodType": PeriodType,
        "SelfReviewMode": SelfReviewMode,
        "level_label": template_settings.level_label,
        "level_description": template_settings.level_description,
        "outcome_label": template_settings.outcome_label,
    }
