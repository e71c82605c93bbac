"""Forms of the organisation pages. Field names equal the columns; rules that the API also needs
live in the services."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from app.auth.models import EMAIL_PATTERN
from app.org.models import EmployeeStatus

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._\-]*$"
CODE_MESSAGE = _l("Use letters, digits, dots, dashes and underscores, e.g. EC-MGR.")


def optional_int(value):
    """Coerce a select's value: '' (the blank choice) is None."""
    if value in (None, "", "None"):
        return None
    return int(value)


class PositionRefField(StringField):
    """A position typed by its code (with autocomplete in the browser), whose data is the id.

    Select boxes stop working past a few hundred positions; a code field with suggestions works
    for ten and for ten thousand. Accepts "EC-MGR" or a suggestion "EC-MGR · 电商部经理"."""

    many = False

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("render_kw", {}).update({"data-lookup": "positions", "autocomplete": "off"})
        super().__init__(*args, **kwargs)
        self.raw = None
        self.unknown: list[str] = []

    def _codes(self, text: str) -> list[str]:
        parts = re.split(r"[,，;；]", text) if self.many else [text]
        return [part.split("·")[0].strip() for part in parts if part.split("·")[0].strip()]

    def process_formdata(self, valuelist):
        from app.org.services import position_ids_for_codes

        self.raw = (valuelist[0] if valuelist else "").strip()
        codes = self._codes(self.raw)
        found = position_ids_for_codes(codes)
        self.unknown = [code for code in codes if code not in found]
        ids = [found[code] for code in codes if code in found]
        self.data = ids if self.many else (ids[0] if ids else None)

    def pre_validate(self, form):
        if self.unknown:
            raise ValidationError(_l("No position has the code “%(code)s”.", code=", ".join(self.unknown)))

    def _value(self):
        if self.raw is not None:
            return self.raw
        from app.org.services import position_codes_for_ids

        ids = (self.data or []) if self.many else ([self.data] if self.data else [])
        codes = position_codes_for_ids(ids)
        return ", ".join(codes[i] for i in ids if i in codes)


class PositionRefListField(PositionRefField):
    many = True


def _text(label, description=None):
    return TextAreaField(label, validators=[Optional(), Length(max=20000)], description=description,
                         render_kw={"rows": 3})


class DepartmentForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40), Regexp(CODE_PATTERN, message=CODE_MESSAGE)])
    name = StringField(lazy_pgettext("thing", "Name"), validators=[DataRequired(), Length(max=120)])
    parent_id = SelectField(_l("Parent department"), coerce=optional_int, validate_choice=False)
    head_position_id = SelectField(_l("Head position"), coerce=optional_int, validate_choice=False,
                                   description=_l("The position that leads this department."))
    nature = _text(_l("Nature (部门性质)"))
    service_object = _text(_l("Serves (服务对象)"))
    authority = _text(_l("Management authority (管理权限)"))
    management_functions = _text(_l("Management functions (管理职能)"))
    functions = TextAreaField(_l("Main functions (主要职责)"), validators=[Optional(), Length(max=20000)],
                              description=_l("One per line, in order."), render_kw={"rows": 6})
    collaborations = TextAreaField(_l("Collaboration with other departments (部门协作)"),
                                   validators=[Optional(), Length(max=20000)], render_kw={"rows": 4},
                                   description=_l("One per line: department, a colon, what is done together. "
                                                  "E.g. “市场部: 制定并执行整合营销方案”."))
    evaluation_criteria = _text(_l("Evaluation criteria (绩效评估)"))
    version = HiddenField()
    submit = SubmitField(_l("Save"))


class PositionForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40), Regexp(CODE_PATTERN, message=CODE_MESSAGE)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=120)])
    department_id = SelectField(_l("Department"), coerce=optional_int, validate_choice=False,
                                validators=[InputRequired(message=_l("Choose a department."))])
    grade = StringField(_l("Grade"), validators=[Optional(), Length(max=40)])
    headcount = IntegerField(_l("Authorised headcount (编制)"), default=1, validators=[
        InputRequired(message=_l("Enter the authorised headcount.")),
        NumberRange(min=0, max=100000, message=_l("The headcount cannot be below zero."))])
    reports_to_id = PositionRefField(_l("Reports to (直接上级)"), description=_l(
        "The superior position's code; type a title or code to search. It may belong to another department. "
        "Leave empty at the top of the company."))
    dotted_superior_ids = PositionRefListField(_l("Dotted-line reporting"), description=_l(
        "Codes of further positions this one reports to indirectly, separated by commas."))
    purpose = _text(_l("Purpose"))
    authority = _text(_l("Authority (职责权限)"))
    management_responsibility = _text(_l("Management responsibility (管理责任)"))
    working_conditions = _text(_l("Working conditions"), _l("E.g. shift work, evening shifts, travel."))
    acting_position_id = PositionRefField(_l("Covered when vacant by (临时代理)"),
                                          description=_l("The code of the position whose holder stands in."))
    acting_note = _text(_l("Acting-for arrangement"))
    version = HiddenField()
    submit = SubmitField(_l("Save"))


class EmployeeForm(FlaskForm):
    employee_no = StringField(_l("Employee number"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Length(max=254),
                                                 Regexp(EMAIL_PATTERN, message=_l("Enter a valid e-mail address."))])
    hire_date = DateField(_l("Hire date"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=EmployeeStatus.choices)
    user_id = SelectField(_l("User account"), coerce=optional_int, validate_choice=False,
                          description=_l("Links the employee to a login, for self-service and manager scope."))
    version = HiddenField()
    submit = SubmitField(_l("Save"))


class AssignmentForm(FlaskForm):
    position_id = PositionRefField(_l("Position"), validators=[InputRequired(message=_l("Choose a position."))],
                                   description=_l("Type a title or code to search."))
    start_date = DateField(_l("From"), validators=[InputRequired(message=_l("Enter a start date."))])
    end_date = DateField(_l("To (optional)"), validators=[Optional()])
    is_primary = BooleanField(_l("Primary assignment"), default=True)
    submit = SubmitField(_l("Assign"))


class EndAssignmentForm(FlaskForm):
    end_date = DateField(_l("Last day"), validators=[InputRequired(message=_l("Enter an end date."))])
    submit = SubmitField(_l("End assignment"))


def lines(text: str | None) -> list[str]:
    if not isinstance(text, str):  # the field was not sent: nothing typed
        return []
    return [line.strip() for line in text.splitlines() if line.strip()]


def collaboration_lines(text: str | None) -> list[tuple[str, str]]:
    """'市场部: 制定营销方案' → ('市场部', '制定营销方案'); a line without a colon has no partner."""
    pairs = []
    for line in lines(text):
        for separator in (":", "："):
            if separator in line:
                partner, duty = line.split(separator, 1)
                pairs.append((partner.strip(), duty.strip()))
                break
        else:
            pairs.append(("", line))
    return pairs
