"""An appraisal cycle's fields are declared once (app/appraisals/fields.py): the cycle page's
form, the API's schemas and the services' data carry exactly the declared fields, with the
declared labels, limits, choices, defaults and required-ness."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from marshmallow import fields, validate
from wtforms import validators as wtv

from app.api.appraisal_schemas import CycleIn, CycleOut
from app.api.schemas import input_schema
from app.appraisals import services
from app.appraisals.fields import CYCLE
from app.appraisals.forms import CycleForm
from app.appraisals.models import AppraisalCycle
from app.core.declared_forms import declared
from app.core.fields import Entity

FORM_ONLY = {"csrf_token", "version", "submit"}


def _form(app, form_class=CycleForm, **data):
    with app.test_request_context(method="POST" if data else "GET", data=data or None):
        return form_class(meta={"csrf": False})


def test_the_form_the_api_and_the_services_carry_the_declared_fields(app):
    names = set(CYCLE.names)
    assert {name for name in _form(app)._fields} - FORM_ONLY == names
    assert set(CycleIn().fields) == names
    assert names <= set(CycleOut().fields)
    data = services.CycleData(name="x", period_type="monthly", start_date=date(2026, 11, 1))
    assert set(vars(data)) == names
    assert data.include_subdepartments is True and data.department_ids == [] and data.template_id is None


def test_labels_limits_choices_defaults_and_required_ness_are_those_declared(app):
    form, schema = _form(app), CycleIn()
    for f in CYCLE.fields:
        page, api = form[f.name], schema.fields[f.name]
        assert str(page.label.text) == str(f.label), f.name
        assert str(page.description) == str(f.help or ""), f.name
        assert api.required == f.required, f.name
        if f.kind in ("line", "date"):
            assert bool(_required(page)) == f.required, f.name
        if f.max_length:
            assert [v.max for v in page.validators if isinstance(v, wtv.Length)] == [f.max_length]
            assert f.max_length in [v.max for v in api.validators if isinstance(v, validate.Length)]
        if f.kind == "choice":
            assert [value for value, _label in page.choices] == [value for value, _label in f.choices.choices()]
            assert list(api.validators[0].choices) == sorted(f.choices.values())
        if f.kind == "refs":
            assert isinstance(api, fields.List)
            assert [v.max for v in api.validators if isinstance(v, validate.Length)] == [f.maximum]
        if f.kind == "bool":
            assert page.default is f.default and api.load_default is f.default
    assert form.name.render_kw == {"placeholder": CYCLE.field("name").placeholder}
    assert column_length_of("name") == CYCLE.field("name").max_length


def _required(field):
    return [v for v in field.validators if isinstance(v, (wtv.DataRequired, wtv.InputRequired))]


def column_length_of(name: str) -> int:
    return getattr(AppraisalCycle, name).property.columns[0].type.length


def test_the_page_hands_the_services_what_the_api_does(app):
    """The same cycle typed on the page and sent to the API reaches the service as equal data."""
    from app.core.declared_forms import form_values

    form = _form(
        app,
        name="2026 Q4",
        period_type="quarterly",
        start_date="2026-10-01",
        template_id="",
        department_ids=["3", "4"],
        self_review_due="2026-12-20",
    )
    page = services.CycleData(**form_values(form, CYCLE))
    api = services.CycleData(
        **CycleIn().load(
            {
                "name": "2026 Q4",
                "period_type": "quarterly",
                "start_date": "2026-10-01",
                "department_ids": [3, 4],
                "include_subdepartments": False,  # an unticked box on the page
                "self_review_due": "2026-12-20",
            }
        )
    )
    assert page == api


def test_a_limit_changed_in_the_declaration_changes_the_page_and_the_api(app):
    entity = Entity(
        "appraisal_cycles", tuple(replace(f, max_length=4) if f.name == "name" else f for f in CYCLE.fields)
    )

    @declared(entity)
    class Form(CycleForm):
        pass

    form = _form(app, Form, name="2026 Q4")
    form.name.validate(form)
    assert form.name.errors
    body = {"name": "2026 Q4", "period_type": "monthly", "start_date": "2026-11-01"}
    assert set(input_schema("ShortCycleIn", entity)().validate(body)) == {"name"}
    assert not CycleIn().validate(body)


@pytest.mark.parametrize("value", ["weekly", ""])
def test_a_period_not_declared_is_refused_by_both(app, value):
    form = _form(app, name="x", period_type=value, start_date="2026-11-01")
    form.period_type.validate(form)
    assert form.period_type.errors
    assert "period_type" in CycleIn().validate({"name": "x", "period_type": value, "start_date": "2026-11-01"})


def test_a_crafted_id_in_the_cycle_page_is_no_id(app):
    """The selects' values go through parse_id: what is not an id (text, a number beyond any id)
    is no record, never an error of the database."""
    form = _form(app, template_id="abc", department_ids=["3", "zz", "99999999999999999999"])
    assert form.template_id.data is None
    assert form.department_ids.data == [3]
