"""Schemas of target plans in the API: a plan with its KPI lines, a line's split, handing down,
the plan's tree and a person's own targets. Figures are exact numbers (strings accepted)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.api.schemas import Exact, Output, PageArgs, optional_ref, optional_text, query_ref, ref, text, version_field
from app.targets.models import PERIODS, PlanStatus, Rule, SplitMethod


def one_of_values(values, **kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(sorted(values)), **kwargs)


TargetFigures = type(
    "TargetFigures",
    (Output,),
    {
        period: Exact(
            allow_none=True,
            metadata={
                "description": {"y": "The fiscal year."}.get(
                    period,
                    f"Quarter {period[1:]} of the fiscal year."
                    if period.startswith("q")
                    else f"Month {period[1:]} of the fiscal year (1: its first month).",
                )
            },
        )
        for period in PERIODS
    },
)


class TargetPlanArgs(PageArgs):
    department_id = query_ref("Only this department.")
    fiscal_year = fields.Integer(validate=validate.Range(min=2000, max=2100))


class TargetPlanIn(Schema):
    department_id = ref(required=True)
    fiscal_year = fields.Integer(strict=True, required=True, validate=validate.Range(min=2000, max=2100))
    title = optional_text(200)


class TargetLineIn(Schema):
    """A KPI line of a draft plan: its annual target and how it is split over the months."""

    version = version_field()
    annual = Exact(required=True, low=0, metadata={"description": "The annual target (not negative)."})
    rule = one_of_values(
        Rule.values(),
        load_default=Rule.SUM.value,
        metadata={
            "description": "How the parts combine: sum (amounts), mean (rates: weighted by base_kpi_id, an amount "
            "line of the plan, or plain), max or last (counts over time; they add up over units)."
        },
    )
    base_kpi_id = optional_ref()
    split = one_of_values(
        SplitMethod.values(),
        load_default=SplitMethod.EVEN.value,
        metadata={
            "description": "even, percent (twelve percentages adding up to 100; amounts only) or manual (twelve months)."
        },
    )
    percents = fields.List(Exact(decimals=2, low=0, high=100), validate=validate.Length(equal=12), load_default=list)
    months = fields.List(Exact(low=0), validate=validate.Length(equal=12), load_default=list)


class ReceiverIn(Schema):
    department_id = optional_ref()
    position_id = optional_ref()
    value = Exact(
        allow_none=True,
        load_default=None,
        low=0,
        metadata={
            "description": "For method percent: the percentage of the whole; for amount: the receiver's annual "
            "figure (a rate: its rate)."
        },
    )

    @validates_schema
    def one_node(self, data, **kwargs):
        if (data.get("department_id") is None) == (data.get("position_id") is None):
            raise ValidationError("Give department_id or position_id.", "department_id")


class HandDownIn(Schema):
    version = version_field()
    kpi_id = ref(required=True)
    parent_department_id = optional_ref()
    method = one_of_values(("even", "percent", "amount"), load_default="even")
    receivers = fields.List(fields.Nested(ReceiverIn), required=True, validate=validate.Length(min=1, max=5000))
    confirm_over = fields.Boolean(
        load_default=False, metadata={"description": "HR confirms handing down more than the whole of an additive KPI."}
    )


class PlanActionIn(Schema):
    version = version_field()


class PlanRevisionIn(PlanActionIn):
    change_note = text(2000, required=True)


class PlanKpiRef(Output):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    unit = fields.String()


class TargetLineOut(Output):
    kpi = fields.Nested(PlanKpiRef)
    rule = one_of_values(Rule.values())
    base_kpi_id = fields.Integer(allow_none=True)
    split = one_of_values(SplitMethod.values())
    percents = fields.List(fields.String(), allow_none=True)
    figures = fields.Nested(TargetFigures)
    difference = Exact(
        allow_none=True, metadata={"description": "Stated year − what the months give; null when they agree."}
    )


class TargetPlanOut(Output):
    id = fields.Integer()
    department_id = fields.Integer()
    department_name = fields.String()
    fiscal_year = fields.Integer()
    start_month = fields.Integer(metadata={"description": "The first month of the fiscal year (1–12)."})
    revision = fields.Integer()
    status = one_of_values(PlanStatus.values())
    title = fields.String()
    change_note = fields.String()
    previous_id = fields.Integer(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    lines = fields.List(fields.Nested(TargetLineOut))
    problems = fields.List(fields.String(), metadata={"description": "What stands in the way of approval."})
    version = fields.Integer()


class TargetPlanSummary(Output):
    id = fields.Integer()
    department_id = fields.Integer()
    fiscal_year = fields.Integer()
    revision = fields.Integer()
    status = one_of_values(PlanStatus.values())
    title = fields.String()
    version = fields.Integer()


class TargetCellOut(Output):
    kpi_id = fields.Integer()
    target = fields.Nested(TargetFigures)
    handed_down = fields.Nested(TargetFigures, allow_none=True)
    remainder = fields.Nested(TargetFigures, allow_none=True)
    over_allocated = fields.Boolean()


class TargetNodeOut(Output):
    kind = fields.String(metadata={"description": "root, department or position"})
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    level = fields.Integer()
    cells = fields.List(fields.Nested(TargetCellOut))


class TargetTreeOut(Output):
    plan_id = fields.Integer()
    nodes = fields.List(fields.Nested(TargetNodeOut))


class HandDownOut(Output):
    shares = fields.Integer(metadata={"description": "Shares written."})
    plan = fields.Nested(TargetPlanOut)


class OwnTargetOut(Output):
    plan_id = fields.Integer()
    fiscal_year = fields.Integer()
    position_id = fields.Integer()
    kpi = fields.Nested(PlanKpiRef)
    figures = fields.Nested(TargetFigures)


class OwnTargetsOut(Output):
    items = fields.List(fields.Nested(OwnTargetOut))


# --- the scorecard, monthly actuals and imports (point 5 and 6) ---------------------------------


class ScorecardPeriodOut(Output):
    period = fields.String(metadata={"description": "y, q1–q4 or m1–m12 (months of the fiscal year)."})
    label = fields.String(metadata={"description": "2026-01, Q1, Year…"})
    target = Exact(allow_none=True)
    actual = Exact(
        allow_none=True,
        metadata={
            "description": "The department's actual: the positions' actuals (reviews', and the monthly actuals "
            "recorded where no review covers the position and month) rolled up by the KPI's rule."
        },
    )
    partial = fields.Boolean(metadata={"description": "A quarter or year rolled up from months with some missing."})
    attainment = fields.Float(
        allow_none=True, metadata={"description": "Percent, by the reviews' formula (the KPI's direction)."}
    )


class ScorecardKpiOut(Output):
    kpi = fields.Nested(PlanKpiRef)
    rule = one_of_values(Rule.values())
    periods = fields.List(fields.Nested(ScorecardPeriodOut))


class ScorecardOut(Output):
    plan_id = fields.Integer()
    department_id = fields.Integer()
    department_name = fields.String()
    fiscal_year = fields.Integer()
    revision = fields.Integer()
    status = one_of_values(PlanStatus.values())
    kpis = fields.List(fields.Nested(ScorecardKpiOut))


class ActualIn(Schema):
    position_id = ref(required=True)
    kpi_id = ref(required=True)
    month = fields.String(
        required=True, validate=validate.Length(max=3), metadata={"description": "m1–m12: a month of the fiscal year."}
    )
    value = fields.Raw(
        required=True,
        allow_none=True,
        metadata={
            "type": "number",
            "nullable": True,
            "description": "The actual (not negative; a numeric string is also accepted), kept exactly as sent; "
            "null removes the month's actual.",
        },
    )


class ActualsIn(Schema):
    """Monthly actuals to record: each item sets (or, with a null value, removes) one figure;
    figures not listed stay as they are."""

    version = version_field()
    items = fields.List(fields.Nested(ActualIn), required=True, validate=validate.Length(min=1, max=10000))


class ActualOut(Output):
    position_id = fields.Integer()
    position_code = fields.String()
    kpi_id = fields.Integer()
    month = fields.String()
    label = fields.String(metadata={"description": "The month as 2026-01."})
    value = Exact()


class ActualsOut(Output):
    plan_id = fields.Integer()
    version = fields.Integer()
    changed = fields.Integer(metadata={"description": "Figures changed by this request (PUT and import)."})
    items = fields.List(fields.Nested(ActualOut))


class ImportOut(Output):
    dry_run = fields.Boolean()
    rows = fields.Integer(
        metadata={"description": "What the clean file applies (dry run) or applied: plan rows, or actual figures."}
    )
    applied = fields.Boolean()
    version = fields.Integer(metadata={"description": "The plan's version now (send it to apply after a dry run)."})
