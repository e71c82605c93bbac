"""Forms of the target-plan pages. The rules (numbers, splits, over-allocation) are in the
services, which the API shares; these only carry what was typed, kept when it is refused."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, FieldList, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from app.targets.models import Rule, SplitMethod


def optional_int(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class PlanForm(FlaskForm):
    department_id = SelectField(_l("Department"), coerce=optional_int, validators=[InputRequired()])
    fiscal_year = StringField(_l("Fiscal year"), validators=[InputRequired(), Length(max=10)])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)])


class LineForm(FlaskForm):
    version = HiddenField()
    kpi_id = SelectField(_l("KPI"), coerce=optional_int, validators=[InputRequired()])
    rule = SelectField(_l("How the parts combine"), choices=Rule.choices(), default=Rule.SUM.value)
    base_kpi_id = SelectField(_l("Weighted by (rates)"), coerce=optional_int, validate_choice=False)
    annual = StringField(_l("Annual target"), validators=[InputRequired(), Length(max=40)])
    split = SelectField(_l("Split over the months"), choices=SplitMethod.choices(), default=SplitMethod.EVEN.value)
    percents = FieldList(StringField(validators=[Optional(), Length(max=20)]), min_entries=12, max_entries=12)
    months = FieldList(StringField(validators=[Optional(), Length(max=40)]), min_entries=12, max_entries=12)


HAND_DOWN_METHODS = [
    ("even", _l("Evenly")),
    ("percent", _l("By percentages of the whole")),
    ("amount", _l("By amounts (or rates) typed for each")),
]


class HandDownForm(FlaskForm):
    """The receivers and their figures come as ``node`` checkboxes (``department:3``,
    ``position:7``) and ``value-department:3`` fields, read by the view."""

    version = HiddenField()
    kpi_id = SelectField(_l("KPI"), coerce=optional_int, validators=[InputRequired()])
    method = SelectField(_l("How"), choices=HAND_DOWN_METHODS, default="even")
    confirm_over = BooleanField(_l("I confirm handing down more than the whole (HR only)"))
    nodes = HiddenField()  # errors about the receivers are shown here


class RevisionForm(FlaskForm):
    version = HiddenField()
    change_note = TextAreaField(_l("Why the plan is revised"), validators=[InputRequired(), Length(max=2000)])


class ActionForm(FlaskForm):
    version = HiddenField()


class ImportForm(FlaskForm):
    file = FileField(_l("Excel workbook (.xlsx) exported from this plan"))
    confirm_over = BooleanField(_l("I confirm handing down more than the whole (HR only)"))
    digest = HiddenField()  # apply: the file checked by the dry run


class ShareForm(FlaskForm):
    """One node's target for one period, by hand."""

    version = HiddenField()
    period = SelectField(_l("Period"), validators=[InputRequired()], validate_choice=False)
    value = StringField(_l("Target"), validators=[InputRequired(), Length(max=40)])
    confirm_over = BooleanField(_l("I confirm handing down more than the whole (HR only)"))


class ActualsForm(FlaskForm):
    """A position's actuals: the figures come as ``a-<kpi id>-<month>`` fields, read by the view."""

    version = HiddenField()
    position_id = HiddenField()


class ActualsImportForm(FlaskForm):
    file = FileField(_l("Excel workbook (.xlsx) or CSV file of actuals"))
    digest = HiddenField()  # apply: the file checked by the dry run
