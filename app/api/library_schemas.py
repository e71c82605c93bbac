"""Schemas of the job-description libraries in the API: KPIs, competencies and base job
descriptions (whose content has the shape of a draft's, app/api/content_schemas.py)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.api.content_schemas import ContentOut
from app.api.schemas import Output, PageArgs, Text, code, one_of, optional_text, text, version_field
from app.jobs.models import SCALE_MAX, Direction


class ArchivedFlag(fields.Boolean):
    """``archived``, read from an ``archived_at`` timestamp."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value is not None


class LibraryArgs(PageArgs):
    q = text(200, metadata={"description": "Part of the code or name."})
    archived = fields.Boolean(load_default=False, metadata={"description": "Include archived entries."})


# --- KPI library --------------------------------------------------------------------------------


class KpiIn(Schema):
    code = code()
    name = Text(required=True, validate=validate.Length(min=1, max=120))
    unit = optional_text(40)
    direction = one_of(
        Direction,
        load_default=Direction.HIGHER.value,
        metadata={"description": "higher or lower (is better). Cannot change once targets use the KPI."},
    )
    definition = optional_text(5000)
    measurement = optional_text(5000)


class KpiUpdate(KpiIn):
    version = version_field()


class KpiOut(Output):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    unit = fields.String()
    direction = one_of(Direction)
    definition = fields.String()
    measurement = fields.String(metadata={"description": "How it is measured: data source, formula, who reports it."})
    usage = fields.Integer(metadata={"description": "KPI targets (in any version) that use it."})
    archived = ArchivedFlag(attribute="archived_at")
    version = fields.Integer()


# --- competency library -------------------------------------------------------------------------


class CompetencyIn(Schema):
    code = code()
    name = Text(required=True, validate=validate.Length(min=1, max=120))
    description = optional_text(5000)
    levels = fields.List(
        text(500),
        load_default=list,
        validate=validate.Length(max=SCALE_MAX),
        metadata={"description": f"What levels 1 to {SCALE_MAX} mean, in order (missing ones are blank)."},
    )


class CompetencyUpdate(CompetencyIn):
    version = version_field()


class CompetencyOut(Output):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    description = fields.String()
    levels = fields.List(fields.String(), metadata={"description": f"Levels 1 to {SCALE_MAX}."})
    usage = fields.Integer(metadata={"description": "Job descriptions (any version) that require it."})
    archived = ArchivedFlag(attribute="archived_at")
    version = fields.Integer()


# --- base job descriptions -------------------------------------------------------------------------


class TemplateOut(Output):
    id = fields.Integer()
    name = fields.String()
    source = fields.String(metadata={"description": "Where it came from (a position and version, a seed)."})
    archived = ArchivedFlag(attribute="archived_at")
    created_at = fields.DateTime()


class TemplateDetailOut(TemplateOut):
    content = fields.Nested(ContentOut)


class TemplateArgs(LibraryArgs):
    q = text(200, metadata={"description": "Part of the name."})
