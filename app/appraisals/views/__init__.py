"""The appraisal pages. One blueprint, one module per kind of page."""
from flask import Blueprint

from app.appraisals import access
from app.auth.permissions import expose_to_templates

bp = Blueprint("appraisals", __name__, url_prefix="/appraisals")
expose_to_templates(bp, access.TEMPLATE_GLOBALS)

from app.appraisals.views import cycles, imports, results, reviews, templates  # noqa: E402,F401


@bp.app_template_filter("score")
def _score(value) -> str:
    """A score with one decimal (display only)."""
    from app.appraisals.scoring import display

    return display(value)


@bp.context_processor
def _helpers():
    from app.appraisals import settings
    from app.appraisals.models import CycleStatus, PeriodType, SelfReviewMode, Step

    return {"Step": Step, "CycleStatus": CycleStatus, "PeriodType": PeriodType, "SelfReviewMode": SelfReviewMode,
            "level_label": settings.level_label, "level_description": settings.level_description,
            "outcome_label": settings.outcome_label}
