"""The fields of the job-description libraries' records, declared once (see app/core/fields.py):
a KPI and a competency of the library. The pages' forms (app/jobs/forms.py) and the API's
schemas (app/api/library_schemas.py) are derived from these declarations."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from app.core.fields import CODE_DESCRIPTION, Entity, Field, column_length
from app.jobs.models import SCALE_MAX, Competency, Direction, Kpi

DESCRIPTION_MAX = 5000  # a library entry's definition, measurement or description
LEVEL_MAX = 500  # what one level of a competency means


def _code(model) -> Field:
    return Field(
        "code", "code", _l("Code"), required=True, max_length=column_length(model.code), description=CODE_DESCRIPTION
    )


def _name(model) -> Field:
    return Field("name", "line", lazy_pgettext("thing", "Name"), required=True, max_length=column_length(model.name))


KPI = Entity(
    "kpis",
    (
        _code(Kpi),
        _name(Kpi),
        Field("unit", "line", _l("Unit"), max_length=column_length(Kpi.unit), help=_l("E.g. 元, %, 单, 小时.")),
        Field(
            "direction",
            "choice",
            _l("Direction"),
            choices=Direction,
            default=Direction.HIGHER.value,
            description="higher or lower (is better). Cannot change once targets use the KPI.",
        ),
        Field("definition", "text", _l("Definition"), max_length=DESCRIPTION_MAX),
        Field(
            "measurement",
            "text",
            _l("How it is measured"),
            max_length=DESCRIPTION_MAX,
            help=_l("Data source, formula, who reports it."),
        ),
    ),
)

COMPETENCY = Entity(
    "competencies",
    (
        _code(Competency),
        _name(Competency),
        Field("description", "text", _l("Description"), max_length=DESCRIPTION_MAX, rows=2),
        Field(
            "levels",
            "lines",
            _l("Levels"),
            max_length=LEVEL_MAX,
            maximum=SCALE_MAX,
            description=f"What levels 1 to {SCALE_MAX} mean, in order (missing ones are blank).",
        ),
    ),
)

ENTITIES = {entity.name: entity for entity in (KPI, COMPETENCY)}
