"""The organisation's pages. One blueprint, one module per kind of page."""
from flask import Blueprint

bp = Blueprint("org", __name__, url_prefix="/org")

from app.org.views import departments, positions, employees, charts, headcount  # noqa: E402,F401
