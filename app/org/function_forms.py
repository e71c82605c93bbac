"""The form of a department's functions (主要职责) as ordered, structured items: a row per
function with its place in the order, a short title, the text, and a box to remove it; blank
rows add new ones. Kept apart from ``forms.py``: rows of a list rather than fields of a record."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FieldList, Form, FormField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

BLANK_ROWS = 3


class FunctionRowForm(Form):
    function_id = HiddenField()
    order = IntegerField(_l("No."), validators=[Optional(), NumberRange(min=1, max=999)])
    title = StringField(_l("Short title"), validators=[Optional(), Length(max=120)])
    text = TextAreaField(_l("Function"), validators=[Optional(), Length(max=2000)], render_kw={"rows": 2})
    remove = BooleanField(_l("Remove"))


class FunctionsForm(FlaskForm):
    functions = FieldList(FormField(FunctionRowForm), min_entries=0, max_entries=200)
    version = HiddenField()
