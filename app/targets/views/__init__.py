"""The target-plan pages (目标分解). One blueprint."""

from flask import Blueprint

from app.audit.vocabulary import enum_labels, register_value_labels
from app.auth.permissions import expose_to_templates
from app.targets import access
from app.targets.models import PlanStatus, Rule, SplitMethod

bp = Blueprint("targets", __name__, url_prefix="/targets")
expose_to_templates(bp, access.TEMPLATE_GLOBALS)
register_value_labels(
    {  # for the audit trail
        ("target_plans", "status"): enum_labels(PlanStatus),
        ("target_lines", "rule"): enum_labels(Rule),
        ("target_lines", "split"): enum_labels(SplitMethod),
    }
)

from app.targets.views import actuals, plans, transfer  # noqa: E402,F401
