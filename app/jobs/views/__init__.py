"""The job-description pages. One blueprint, one module per kind of page."""
from flask import Blueprint

from app.auth.permissions import expose_to_templates
from app.jobs import access

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
expose_to_templates(bp, access.TEMPLATE_GLOBALS)

from app.jobs.views import bulk, editing, libraries, lists, versions  # noqa: E402,F401


@bp.context_processor
def _helpers():
    """Enums for labels, and the plain content of a loaded version for ``render_content``."""
    from app.jobs.content import libraries_of, version_content
    from app.jobs.models import Frequency, Period, RequirementKind, Status

    return {"enums": {"Frequency": Frequency, "Period": Period, "RequirementKind": RequirementKind,
                      "Status": Status},
            "content_of": version_content, "libs_of": libraries_of}
