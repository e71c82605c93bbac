"""The organisation's pages. One blueprint, one module per kind of page."""

from flask import Blueprint

from app.audit.vocabulary import enum_labels, register_field_labels, register_value_labels
from app.auth.permissions import expose_to_templates
from app.org import access
from app.org.fields import ENTITIES
from app.org.models import EmployeeStatus

bp = Blueprint("org", __name__, url_prefix="/org")
expose_to_templates(bp, access.TEMPLATE_GLOBALS)
register_value_labels({("employees", "status"): enum_labels(EmployeeStatus)})  # for the audit trail
register_field_labels({(entity.name, f.name): f.label for entity in ENTITIES.values() for f in entity.fields})

from app.org.views import bulk, charts, departments, employees, headcount, positions  # noqa: E402,F401
