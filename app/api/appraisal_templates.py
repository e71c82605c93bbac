"""Appraisal templates, read-only (HR and admins): how reviews are weighted, rated, banded and
which outcomes they propose. Templates are edited on the pages; a cycle copies its template's
settings at launch, so a template read here may differ from a running cycle's settings."""

from __future__ import annotations

from marshmallow import fields

from app.api.common import ETAG, ID, Blueprint, etag, page_of
from app.api.schemas import Exact, Output, PageArgs, page_schema
from app.appraisals import services
from app.appraisals.access import can_manage_appraisals
from app.auth.permissions import requires

blp = Blueprint(
    "appraisal_templates",
    __name__,
    url_prefix="/api/v1/appraisal-templates",
    description="Appraisal templates (read-only; HR and admins).",
)


class AppraisalScaleLevelOut(Output):
    level = fields.Integer()
    label = fields.String(metadata={"description": "Empty: the standard label, shown in each user's language."})
    description = fields.String()


class AppraisalBandOut(Output):
    band = fields.String()
    min = fields.Float(
        allow_none=True,
        metadata={"description": "The lowest final score of the band; the last band takes everything below."},
    )


class AppraisalOutcomeOut(Output):
    code = fields.String()
    label = fields.String(metadata={"description": "Empty: the standard label, shown in each user's language."})


class AppraisalTemplateOut(Output):
    id = fields.Integer()
    name = fields.String()
    kpi_weight = Exact(metadata={"description": "Weight of the KPI section in the final score, in %."})
    competency_weight = Exact(metadata={"description": "Weight of the competencies, in %."})
    scale = fields.List(fields.Nested(AppraisalScaleLevelOut), metadata={"description": "The rating scale, 1 to n."})
    bands = fields.List(fields.Nested(AppraisalBandOut), metadata={"description": "From the highest minimum down."})
    outcomes = fields.List(fields.Nested(AppraisalOutcomeOut))
    self_review = fields.String(
        metadata={
            "description": "required, optional (the reviewer or HR may go on without it) or skipped. An employee "
            "without an account skips it whatever is set, unless HR enters their paper self-review."
        }
    )
    reviewer_enters_self_review = fields.Boolean(
        metadata={"description": "The reviewer (not only HR) may enter a paper self-review on the employee's behalf."}
    )
    feedback = fields.Dict(
        metadata={
            "description": "360° feedback: enabled, anonymous, min_respondents, max_respondents, min_responses (to show "
            "anonymous results), days (to answer after the launch), questions, weight (in %)."
        }
    )
    archived = fields.Boolean(attribute="is_archived")
    version = fields.Integer()


class AppraisalTemplateArgs(PageArgs):
    include_archived = fields.Boolean(load_default=False)


AppraisalTemplatePage = page_schema(AppraisalTemplateOut, "AppraisalTemplatePage")


@blp.route("")
@blp.response(200, AppraisalTemplatePage)
@requires(can_manage_appraisals)
@blp.arguments(AppraisalTemplateArgs, location="query")
def list_templates(args):
    """List appraisal templates, by name"""
    return page_of(services.list_templates(args["include_archived"]), args)


@blp.route(f"/<{ID}:template_id>")
@blp.response(200, AppraisalTemplateOut, headers=ETAG)
@requires(can_manage_appraisals)
def get_template(template_id: int):
    """Read an appraisal template"""
    template = services.get_template(template_id)
    return template, 200, etag(template)
