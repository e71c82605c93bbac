"""Schemas of a job description's content in the API: the body of a draft (title, texts,
sections of duties, requirements, competencies and KPI targets), where a new draft starts from,
and the same content in answers.

The content of a draft is validated by ``app.jobs.content.clean_content``, the same function as
the editor's: these schemas check the shape and the types, and document the rules; the
service's errors come back under the same dotted names (``sections.0.duties.2.weight``).
"""

from __future__ import annotations

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validates_schema

from app.api.schemas import Exact, Output, Text, one_of, ref, version_field
from app.jobs.content import MAX_HEADING, MAX_ITEM, MAX_ITEMS, MAX_LONG_TEXT, MAX_STANDARD, MAX_TITLE
from app.jobs.models import SCALE_MAX, Frequency, Period, RequirementKind


def Number(**kwargs) -> Exact:  # noqa: N802 (a field, named like one)
    """A KPI figure: a JSON number or a numeric string, kept exactly (14 digits before the
    point, 4 after)."""
    return Exact(**kwargs)


def Weight(**kwargs) -> Exact:  # noqa: N802
    """A weight in %: 0 to 100, at most two decimals."""
    return Exact(decimals=2, integer_digits=3, low=0, high=100, **kwargs)


def row_id() -> fields.Integer:
    return ref(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "The id of an existing row of this draft, to keep it (edits show "
            "as edits in the audit trail); null or absent for a new row."
        },
    )


# --- content (the body of a draft) --------------------------------------------------------------


class ContentDutyIn(Schema):
    id = row_id()
    text = Text(
        required=True,
        metadata={"description": f"At most {MAX_ITEM} characters. A duty with no text and nothing else is dropped."},
    )
    frequency = one_of(Frequency, allow_none=True, load_default=None)
    standard = Text(
        load_default="", metadata={"description": f"A deadline or standard, at most {MAX_STANDARD} characters."}
    )
    weight = Weight(allow_none=True, load_default=None, metadata={"description": "Weight in %, 0 to 100, or null."})


class ContentSectionIn(Schema):
    id = row_id()
    heading = Text(load_default="", metadata={"description": f"At most {MAX_HEADING} characters; may be empty."})
    duties = fields.List(fields.Nested(ContentDutyIn), load_default=list)


class ContentRequirementIn(Schema):
    id = row_id()
    kind = one_of(RequirementKind, load_default=RequirementKind.OTHER.value)
    text = Text(required=True, metadata={"description": f"At most {MAX_ITEM} characters."})
    required = fields.Boolean(load_default=True, metadata={"description": "false: preferred"})


class ContentCompetencyIn(Schema):
    id = row_id()
    competency_id = ref(required=True, metadata={"description": "A competency of the library, listed once."})
    level = fields.Integer(strict=True, required=True, metadata={"description": f"Required level, 1 to {SCALE_MAX}."})


class ContentKpiIn(Schema):
    id = row_id()
    kpi_id = ref(required=True, metadata={"description": "A KPI of the library (one target per KPI and period)."})
    target = Number(required=True)
    threshold = Number(
        allow_none=True,
        load_default=None,
        metadata={
            "description": "The worst result that still counts: below the target when higher is better, above it "
            "when lower is better."
        },
    )
    stretch = Number(
        allow_none=True,
        load_default=None,
        metadata={"description": "The result that earns the most: on the better side of the target."},
    )
    weight = Weight(required=True, metadata={"description": "Weight in %, 0 to 100."})
    period = one_of(Period, load_default=Period.MONTHLY.value)
    note = Text(load_default="")


class ContentIn(Schema):
    """The whole content of a job description, as the editor holds it."""

    title = Text(required=True, metadata={"description": f"At most {MAX_TITLE} characters."})
    purpose = Text(
        load_default="", metadata={"description": f"At most {MAX_LONG_TEXT} characters, like the other texts."}
    )
    authority = Text(load_default="")
    management_responsibility = Text(load_default="")
    working_conditions = Text(load_default="")
    sections = fields.List(
        fields.Nested(ContentSectionIn),
        load_default=list,
        metadata={"description": f"Sections of duties, in order (at most {MAX_ITEMS} items per list)."},
    )
    requirements = fields.List(fields.Nested(ContentRequirementIn), load_default=list)
    competencies = fields.List(fields.Nested(ContentCompetencyIn), load_default=list)
    kpis = fields.List(fields.Nested(ContentKpiIn), load_default=list)


class ContentUpdate(ContentIn):
    version = version_field()


class DraftIn(Schema):
    """Where a new draft starts from: at most one of the fields; none: a copy of the version in
    force, or the position's own purpose, authority and working conditions."""

    template_id = ref(metadata={"description": "A base job description of the library."})
    from_position_id = ref(metadata={"description": "Another position whose job description in force is copied."})
    content = fields.Nested(ContentIn, metadata={"description": "The whole content of the draft."})

    @validates_schema
    def at_most_one_source(self, data, **kwargs):
        if len(data.keys() & {"template_id", "from_position_id", "content"}) > 1:
            raise ValidationError(_("Send at most one of template_id, from_position_id and content."))


# --- content (answers) --------------------------------------------------------------------------


class ContentDutyOut(Output):
    id = fields.Integer(allow_none=True)
    text = fields.String()
    frequency = one_of(Frequency, allow_none=True)
    standard = fields.String()
    weight = Exact(allow_none=True)


class ContentSectionOut(Output):
    id = fields.Integer(allow_none=True)
    heading = fields.String()
    duties = fields.List(fields.Nested(ContentDutyOut))


class ContentRequirementOut(Output):
    id = fields.Integer(allow_none=True)
    kind = one_of(RequirementKind)
    text = fields.String()
    required = fields.Boolean()


class ContentCompetencyOut(Output):
    id = fields.Integer(allow_none=True)
    competency_id = fields.Integer()
    level = fields.Integer()


class ContentKpiOut(Output):
    id = fields.Integer(allow_none=True)
    kpi_id = fields.Integer()
    target = Exact()
    threshold = Exact(allow_none=True)
    stretch = Exact(allow_none=True)
    weight = Exact()
    period = one_of(Period)
    note = fields.String()


class ContentOut(Output):
    """Content in the shape of a draft's body (ContentIn)."""

    title = fields.String()
    purpose = fields.String()
    authority = fields.String()
    management_responsibility = fields.String()
    working_conditions = fields.String()
    sections = fields.List(fields.Nested(ContentSectionOut))
    requirements = fields.List(fields.Nested(ContentRequirementOut))
    competencies = fields.List(fields.Nested(ContentCompetencyOut))
    kpis = fields.List(fields.Nested(ContentKpiOut))
