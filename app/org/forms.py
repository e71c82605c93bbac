"""Forms of the organisation pages. Their fields are derived from the declarations of
app/org/fields.py (names equal the columns); rules that the API also needs live in the services."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from app.auth.models import EMAIL_PATTERN
from app.core.declared_forms import declared as declared_fields
from app.core.declared_forms import form_field as shared_form_field
from app.org.fields import ASSIGNMENT, DEPARTMENT, EMPLOYEE, POSITION, Entity, Field
from app.org.models import EmployeeStatus


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


def form_field(f: Field):
    """The page's field for a declared field (app/org/fields.py): the organisation's own kinds and
    widgets (e-mail, status, position look-ups) here, the shared ones from app.core.declared_forms."""
    required_message = f.message("required")
    if f.kind == "email":
        return EmailField(
            f.label,
            validators=[Optional(), Length(max=f.max_length), Regexp(EMAIL_PATTERN, message=f.message("invalid"))],
            description=f.help or "",
        )
    if f.kind == "status":
        return SelectField(f.label, choices=EmployeeStatus.choices, description=f.help or "")
    validators = [InputRequired(message=required_message)] if f.required else []
    if f.kind == "ref" and f.widget == "select":  # the view fills the choices
        return SelectField(
            f.label, coerce=optional_int, validate_choice=False, validators=validators, description=f.help or ""
        )
    if f.kind == "ref" and f.widget == "lookup":
        return PositionRefField(f.label, validators=validators, description=f.help or "")
    if f.kind == "refs" and f.widget != "select":
        return PositionRefListField(f.label, validators=validators, description=f.help or "")
    return shared_form_field(f)


def declared(entity: Entity, skip: tuple[str, ...] = ()):
    """Class decorator: a form gets a field for each of ``entity``'s declared fields."""
    return declared_fields(entity, skip, form_field)


def form_values(form, entity: Entity) -> dict:
    """{name: value} of ``entity``'s declared fields as typed in ``form``, in the services' shape."""
    values = {}
    for f in entity.fields:
        data = form[f.name].data
        if f.kind == "lines":
            data = lines(data)
        elif f.kind == "pairs":
            data = collaboration_lines(data)
        elif f.kind == "refs":
            data = data or []
        elif f.kind in ("email", "line", "text") and not f.required:
            data = data or ""
        values[f.name] = data
    return values


@declared(DEPARTMENT)
class DepartmentForm(FlaskForm):
    version = HiddenField()
    submit = SubmitField(_l("Save"))


@declared(POSITION)
class PositionForm(FlaskForm):
    version = HiddenField()
    submit = SubmitField(_l("Save"))


@declared(EMPLOYEE)
class EmployeeForm(FlaskForm):
    version = HiddenField()
    submit = SubmitField(_l("Save"))


@declared(ASSIGNMENT, skip=("employee_id",))  # the employee is the page's
class AssignmentForm(FlaskForm):
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
