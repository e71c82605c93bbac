"""The organisation's pages. One blueprint, one module per kind of page."""
from flask import Blueprint

from app.auth.permissions import expose_to_templates
from app.org import access

bp = Blueprint("org", __name__, url_prefix="/org")
expose_to_templates(bp, access.TEMPLATE_GLOBALS)

from app.org.views import charts, departments, employees, headcount, positions  # noqa: E402,F401
