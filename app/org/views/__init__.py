"""The organisation's pages. One blueprint, one module per kind of page."""
from flask import Blueprint

from app.audit.vocabulary import enum_labels, register_value_labels
from app.auth.permissions import expose_to_templates
from app.org import access
from app.org.models import EmployeeStatus

bp = Blueprint("org", __name__, url_prefix="/org")
expose_to_templates(bp, access.TEMPLATE_GLOBALS)
register_value_labels({("employees", "status"): enum_labels(EmployeeStatus)})  # for the audit trail

from app.org.views import bulk, charts, departments, employees, headcount, positions  # noqa: E402,F401
