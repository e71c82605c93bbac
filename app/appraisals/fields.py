"""The fields of the appraisal records, declared once (see app/core/fields.py): an appraisal
cycle. The cycle's page form (app/appraisals/forms.py) and the API's schemas
(app/api/appraisal_schemas.py) are derived from this declaration. A template's settings are not
declared here: the page edits them as nested tables and the API only reads them."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app.appraisals.models import AppraisalCycle, PeriodType
from app.core.fields import Entity, Field, column_length

MAX_DEPARTMENTS = 500  # departments named as one cycle's scope

CYCLE = Entity(
    "appraisal_cycles",
    (
        Field(
            "name",
            "line",
            lazy_pgettext("thing", "Name"),
            required=True,
            max_length=column_length(AppraisalCycle.name),
            placeholder=_l("e.g. 2026 Q4 appraisal"),
        ),
        Field("period_type", "choice", _l("Period"), required=True, choices=PeriodType),
        Field("start_date", "date", _l("Start date"), required=True),
        Field(
            "end_date",
            "date",
            _l("End date"),
            help=_l("Left empty: the end of the month, quarter or year."),
            description="The last day; null: the end of the month, quarter or year (required for custom).",
        ),
        Field("template_id", "ref", _l("Template"), widget="select", target="appraisal_templates"),
        Field(
            "department_ids",
            "refs",
            _l("Departments"),
            widget="select",
            target="departments",
            maximum=MAX_DEPARTMENTS,
            help=_l("None chosen: the whole company."),
            description="The departments in scope; empty: the whole company.",
        ),
        Field("include_subdepartments", "bool", _l("Include sub-departments"), default=True),
        Field("self_review_due", "date", _l("Self-reviews due")),
        Field("manager_review_due", "date", _l("Manager reviews due")),
    ),
)

ENTITIES = {CYCLE.name: CYCLE}
