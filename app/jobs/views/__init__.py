"""The job-description pages. One blueprint, one module per kind of page."""

from flask import Blueprint

from app.audit.vocabulary import enum_labels, register_event_labels, register_field_labels, register_value_labels
from app.auth.permissions import expose_to_templates
from app.jobs import access
from app.jobs.enums import Direction, Frequency, Period, RequirementKind, Status
from app.jobs.fields import ENTITIES
from app.jobs.services.drafting import event_label

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
expose_to_templates(bp, access.TEMPLATE_GLOBALS)
register_value_labels(
    {  # for the audit trail
        ("jd_versions", "status"): enum_labels(Status),
        (None, "period"): enum_labels(Period),
        (None, "frequency"): enum_labels(Frequency),
        (None, "kind"): enum_labels(RequirementKind),
        (None, "direction"): enum_labels(Direction),
        (None, "kpi_direction"): enum_labels(Direction),
    }
)
register_event_labels({"jd_version_events": event_label})
# The library's declared fields (app/jobs/fields.py) are named by their labels where the trail has no word.
register_field_labels({(entity.name, f.name): f.label for entity in ENTITIES.values() for f in entity.fields})

from app.jobs.views import bulk, bulk_actions, coverage, editing, libraries, lists, versions  # noqa: E402,F401


@bp.context_processor
def _helpers():
    """Enums for labels, and the plain content of a loaded version for ``render_content``."""
    from app.jobs.content import libraries_of, version_content
    from app.jobs.models import Frequency, Period, RequirementKind, Status

    return {
        "enums": {"Frequency": Frequency, "Period": Period, "RequirementKind": RequirementKind, "Status": Status},
        "content_of": version_content,
        "libs_of": libraries_of,
    }
