"""The pages' fields derived from declared fields (``app/core/fields.py``): a field's widget,
label, help and validators (required, length, range, pattern, choices) come from its declaration.
A domain with widgets of its own (the organisation's position look-ups) builds those and hands
the rest to ``form_field``."""

from __future__ import annotations

from collections.abc import Callable

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from app.core.fields import CODE_MESSAGE, CODE_PATTERN, Entity, Field
from app.core.urls import parse_id


class IdsField(SelectMultipleField):
    """Several records chosen in a select: their ids; a crafted value that is no id is dropped
    (``parse_id``), as a record that does not exist would be."""

    def process_formdata(self, valuelist):
        self.data = [i for i in (parse_id(value) for value in valuelist) if i is not None]


def form_field(f: Field):
    """The page's field for a declared field of a kind every domain shares."""
    required_message = f.message("required")
    description = f.help or ""
    if f.kind == "code":
        return StringField(
            f.label,
            validators=[DataRequired(), Length(max=f.max_length), Regexp(CODE_PATTERN, message=CODE_MESSAGE)],
            description=description,
        )
    if f.kind == "line":
        first = DataRequired() if f.required else Optional()
        render_kw = {"placeholder": f.placeholder} if f.placeholder is not None else None
        return StringField(
            f.label, validators=[first, Length(max=f.max_length)], description=description, render_kw=render_kw
        )
    if f.kind in ("text", "lines", "pairs"):
        return TextAreaField(
            f.label,
            validators=[Optional(), Length(max=f.max_length)],
            description=description,
            render_kw={"rows": f.rows},
        )
    if f.kind == "int":
        return IntegerField(
            f.label,
            default=f.default,
            validators=[
                InputRequired(message=required_message),
                NumberRange(min=f.minimum, max=f.maximum, message=f.message("range")),
            ],
            description=description,
        )
    if f.kind == "date":
        return DateField(
            f.label,
            validators=[InputRequired(message=required_message) if f.required else Optional()],
            description=description,
        )
    if f.kind == "choice":
        return SelectField(f.label, choices=f.choices.choices, description=description)  # the first is shown first
    if f.kind == "bool":
        return BooleanField(f.label, default=f.default, description=description)
    validators = [InputRequired(message=required_message)] if f.required else []
    # Selects whose choices the view fills: the ids chosen, a crafted value being no id (None).
    if f.kind == "ref" and f.widget == "select":
        return SelectField(
            f.label, coerce=parse_id, validate_choice=False, validators=validators, description=description
        )
    if f.kind == "refs" and f.widget == "select":
        return IdsField(f.label, coerce=parse_id, validate_choice=False, validators=validators, description=description)
    raise ValueError(f"No page field for the kind {f.kind!r} of {f.name}")


def declared(entity: Entity, skip: tuple[str, ...] = (), field: Callable[[Field], object] = form_field):
    """Class decorator: a form gets a field for each of ``entity``'s declared fields (but those
    named in ``skip``, which the form shows its own way), built by ``field``."""

    def add_fields(form_class):
        for f in entity.fields:
            if f.name not in skip:
                setattr(form_class, f.name, field(f))
        return form_class

    return add_fields


def form_values(form, entity: Entity, skip: tuple[str, ...] = ()) -> dict:
    """{name: value} of ``entity``'s declared fields as typed in ``form``, in the services' shape:
    texts never None, lists never None (one item per line for ``lines``)."""
    values = {}
    for f in entity.fields:
        if f.name in skip:
            continue
        data = form[f.name].data
        if f.kind == "lines":
            data = [line.strip() for line in data.splitlines() if line.strip()] if isinstance(data, str) else []
        elif f.kind == "refs":
            data = data or []
        elif f.kind in ("code", "line", "text"):
            data = data or ""
        values[f.name] = data
    return values
