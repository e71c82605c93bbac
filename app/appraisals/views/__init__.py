"""The appraisal pages. One blueprint, one module per kind of page."""
from flask import Blueprint

from app.appraisals import access
from app.appraisals.models import (
    CycleStatus,
    ExclusionReason,
    FeedbackRelation,
    NominationStatus,
    PeriodType,
    SelfReviewMode,
    SelfReviewState,
    Step,
)
from app.appraisals.services.flow import event_label
from app.appraisals.services.templates import STANDARD_OUTCOMES
from app.audit.vocabulary import enum_labels, register_event_labels, register_value_labels
from app.auth.permissions import expose_to_templates

bp = Blueprint("appraisals", __name__, url_prefix="/appraisals")
expose_to_templates(bp, access.TEMPLATE_GLOBALS)
register_value_labels({  # for the audit trail
    ("appraisal_reviews", "status"): enum_labels(Step), ("appraisal_cycles", "status"): enum_labels(CycleStatus),
    (None, "period_type"): enum_labels(PeriodType),
    (None, "self_review_state"): enum_labels(SelfReviewState), (None, "self_review"): enum_labels(SelfReviewMode),
    (None, "exclusion_reason"): enum_labels(ExclusionReason), ("appraisal_exclusions", "reason"): enum_labels(ExclusionReason),
    ("appraisal_feedback_nominations", "status"): enum_labels(NominationStatus),
    (None, "relation"): enum_labels(FeedbackRelation),
    (None, "outcome"): lambda: STANDARD_OUTCOMES,  # a template's own outcomes are shown by their code
})
register_event_labels({"appraisal_review_events": event_label})

from app.appraisals.views import cycles, feedback, goals, kpi_actuals, results, reviews, templates  # noqa: E402,F401


@bp.app_template_filter("score")
def _score(value) -> str:
    """A score with one decimal (display only)."""
    from app.appraisals.services.scoring import display

    return display(value)


@bp.context_processor
def _helpers():
    from app.appraisals.models import CycleStatus, FeedbackRelation, NominationStatus, PeriodType, SelfReviewMode, Step
    from app.appraisals.services import templates as template_settings

    return {"Step": Step, "FeedbackRelation": FeedbackRelation, "NominationStatus": NominationStatus, "CycleStatus": CycleStatus, "PeriodType": PeriodType, "SelfReviewMode": SelfReviewMode,
            "level_label": template_settings.level_label, "level_description": template_settings.level_description,
            "outcome_label": template_settings.outcome_label}
