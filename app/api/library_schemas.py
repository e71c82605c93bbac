"""Schemas of the job-description libraries in the API: KPIs, competencies and base job
descriptions (whose content has the shape of a draft's, app/api/content_schemas.py)."""

from __future__ import annotations

from marshmallow import fields

from app.api.content_schemas import ContentOut
from app.api.schemas import Output, PageArgs, input_schema, output_schema, text, version_field
from app.jobs.fields import COMPETENCY, KPI
from app.jobs.models import SCALE_MAX


class ArchivedFlag(fields.Boolean):
    """``archived``, read from an ``archived_at`` timestamp."""

    def _serialize(self, value, attr, obj, **kwargs):
        return value is not None


class LibraryArgs(PageArgs):
    q = text(200, metadata={"description": "Part of the code or name."})
    archived = fields.Boolean(load_default=False, metadata={"description": "Include archived entries."})


# --- KPI library --------------------------------------------------------------------------------


# A KPI's and a competency's fields are declared once, in app/jobs/fields.py; these add the rest.
KpiIn = input_schema("KpiIn", KPI)


class KpiUpdate(KpiIn):
    version = version_field()


KpiOut = output_schema(
    "KpiOut",
    KPI,
    id=fields.Integer(),
    measurement=fields.String(metadata={"description": "How it is measured: data source, formula, who reports it."}),
    usage=fields.Integer(metadata={"description": "KPI targets (in any version) that use it."}),
    archived=ArchivedFlag(attribute="archived_at"),
    version=fields.Integer(),
)


# --- competency library -------------------------------------------------------------------------


CompetencyIn = input_schema("CompetencyIn", COMPETENCY)


class CompetencyUpdate(CompetencyIn):
    version = version_field()


CompetencyOut = output_schema(
    "CompetencyOut",
    COMPETENCY,
    id=fields.Integer(),
    levels=fields.List(fields.String(), metadata={"description": f"Levels 1 to {SCALE_MAX}."}),
    usage=fields.Integer(metadata={"description": "Job descriptions (any version) that require it."}),
    archived=ArchivedFlag(attribute="archived_at"),
    version=fields.Integer(),
)


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
