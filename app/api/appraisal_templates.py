"""Appraisal templates, read-only (HR and admins): how reviews are weighted, rated, banded and
which outcomes they propose. Templates are edited on the pages; a cycle copies its template's
settings at launch, so a template read here may differ from a running cycle's settings."""
from __future__ import annotations

from marshmallow import fields

from app.api.common import ETAG, ID, Blueprint, etag, page_of
from app.api.schemas import Output, PageArgs, page_schema
from app.appraisals import services
from app.auth.permissions import can_manage_appraisals, requires

blp = Blueprint("appraisal_templates", __name__, url_prefix="/api/v1/appraisal-templates",
                description="Appraisal templates (read-only; HR and admins).")


class ScaleLevelOut(Output):
    level = fields.Integer()
    label = fields.String(metadata={"description": "Empty: the standard label, shown in each user's language."})
    description = fields.String()


class BandOut(Output):
    band = fields.String()
    min = fields.Float(allow_none=True, metadata={
        "description": "The lowest final score of the band; the last band takes everything below."})


class OutcomeOut(Output):
    code = fields.String()
    label = fields.String(metadata={"description": "Empty: the standard label, shown in each user's language."})


class TemplateOut(Output):
    id = fields.Integer()
    name = fields.String()
    kpi_weight = fields.Float(metadata={"description": "Weight of the KPI section in the final score, in %."})
    competency_weight = fields.Float(metadata={"description": "Weight of the competencies, in %."})
    scale = fields.List(fields.Nested(ScaleLevelOut), metadata={"description": "The rating scale, 1 to n."})
    bands = fields.List(fields.Nested(BandOut), metadata={"description": "From the highest minimum down."})
    outcomes = fields.List(fields.Nested(OutcomeOut))
    archived = fields.Boolean(attribute="is_archived")
    version = fields.Integer()


class TemplateArgs(PageArgs):
    include_archived = fields.Boolean(load_default=False)


TemplatePage = page_schema(TemplateOut, "AppraisalTemplatePage")


@blp.route("")
@blp.response(200, TemplatePage)
@requires(can_manage_appraisals)
@blp.arguments(TemplateArgs, location="query")
def list_templates(args):
    """List appraisal templates, by name"""
    return page_of(services.list_templates(args["include_archived"]), args)


@blp.route(f"/<{ID}:template_id>")
@blp.response(200, TemplateOut, headers=ETAG)
@requires(can_manage_appraisals)
def get_template(template_id: int):
    """Read an appraisal template"""
    template = services.get_template(template_id)
    return template, 200, etag(template)
