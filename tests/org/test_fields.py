"""The organisation's fields are declared once (app/org/fields.py): the pages' forms, the API's
schemas, the spreadsheets' columns and the services' data carry exactly the declared fields, with
the declared limits, labels and required-ness; and a field added to a declaration reaches all of
them with nothing else written."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask_babel import lazy_gettext as _l
from marshmallow import fields, validate
from wtforms import validators as wtv

from app.api.department_schemas import DepartmentIn, DepartmentOut
from app.api.employee_schemas import EmployeeIn, EmployeeOut
from app.api.position_schemas import PositionIn, PositionOut
from app.api.schemas import input_schema, output_schema
from app.org import services
from app.org.fields import DEPARTMENT, EMPLOYEE, POSITION, Entity, Field, Values
from app.org.forms import DepartmentForm, EmployeeForm, PositionForm, declared
from app.transfer.spec import DEPARTMENTS, EMPLOYEES, POSITIONS, CellError, derived_kind, read_cell
from tests.declared_fields import FORM_ONLY, api_validators, form_of, validators

CASES = [
    pytest.param(
        DEPARTMENT, DepartmentForm, DepartmentIn, DepartmentOut, DEPARTMENTS, services.DepartmentData, id="departments"
    ),
    pytest.param(POSITION, PositionForm, PositionIn, PositionOut, POSITIONS, services.PositionData, id="positions"),
    pytest.param(EMPLOYEE, EmployeeForm, EmployeeIn, EmployeeOut, EMPLOYEES, services.EmployeeData, id="employees"),
]


@pytest.mark.parametrize(("entity", "form_class", "schema_in", "schema_out", "kind", "data_class"), CASES)
def test_the_form_the_api_the_spreadsheet_and_the_services_carry_the_declared_fields(
    app, entity, form_class, schema_in, schema_out, kind, data_class
):
    names = set(entity.names)
    assert {name for name in form_of(app, form_class)._fields} - FORM_ONLY == names
    assert set(schema_in().fields) == names
    assert names <= set(schema_out().fields)
    assert {f.source for f in kind.fields} == {f.name for f in entity.fields if f.sheet}
    assert {f.key for f in kind.fields} == {f.column for f in entity.fields if f.sheet}
    assert set(vars(data_class(**{f.name: "x" for f in entity.fields if f.required}))) == names


@pytest.mark.parametrize(("entity", "form_class", "schema_in", "schema_out", "kind", "data_class"), CASES)
def test_limits_labels_and_required_ness_are_those_declared(
    app, entity, form_class, schema_in, schema_out, kind, data_class
):
    form, schema = form_of(app, form_class), schema_in()
    for f in entity.fields:
        page, api, sheet = form[f.name], schema.fields[f.name], kind.field(f.column)
        assert str(page.label.text) == str(f.label)
        assert str(sheet.label) == str(f.column_label)
        required = validators(page, (wtv.DataRequired, wtv.InputRequired))
        assert bool(required) == (f.required or f.kind == "int"), f.name  # a number is shown with its default
        assert api.required == f.required, f.name
        if f.max_length and f.kind not in ("lines", "pairs"):
            assert [v.max for v in validators(page, wtv.Length)] == [f.max_length], f.name
            assert f.max_length in [v.max for v in api_validators(api, validate.Length)], f.name
            assert sheet.max_length == f.max_length, f.name
        if f.kind == "int":
            (number_range,) = validators(page, wtv.NumberRange)
            (api_range,) = api_validators(api, validate.Range)
            assert (number_range.min, number_range.max) == (api_range.min, api_range.max) == (f.minimum, f.maximum)
            assert sheet.maximum == f.maximum
        if not f.required and f.kind not in ("ref", "refs"):
            assert api.load_default == (list if f.kind in ("lines", "pairs") else f.empty()), f.name


def test_the_declared_lengths_are_the_columns_lengths():
    from app.org.models import Department, Employee, Position

    models = {"departments": Department, "positions": Position, "employees": Employee}
    for entity in (DEPARTMENT, POSITION, EMPLOYEE):
        for f in entity.of_kind("code", "line", "email"):
            column_type = getattr(models[entity.name], f.name).property.columns[0].type
            assert f.max_length == column_type.length, (entity.name, f.name)


def test_a_field_added_to_a_declaration_reaches_the_form_the_api_the_spreadsheet_and_the_data(app):
    """What the README's worked example promises: one more Field, and every consumer has it,
    with its limit and its label."""
    cost_centre = Field("cost_centre", "line", _l("Cost centre"), max_length=20)
    entity = Entity("positions", (*POSITION.fields, cost_centre))

    @declared(entity)
    class Form(PositionForm):
        pass

    form = form_of(app, Form)
    assert [v.max for v in validators(form.cost_centre, wtv.Length)] == [20]
    assert validators(form.cost_centre, wtv.Optional)
    schema_in = input_schema("CostIn", entity)()
    schema_out = output_schema(
        "CostOut", entity, id=fields.Integer(), dotted_superior_ids=fields.List(fields.Integer())
    )()
    assert [v.max for v in schema_in.fields["cost_centre"].validators] == [20]
    assert schema_in.load({"code": "P1", "title": "t", "department_id": 1})["cost_centre"] == ""
    assert "cost_centre" in schema_out.fields
    sheet = derived_kind("positions", _l("Positions"), entity, "")
    assert sheet.columns[-1] == "cost_centre" and sheet.defaults["cost_centre"] == ""
    assert read_cell(sheet.field("cost_centre"), "  CC-12 ") == "CC-12"
    with pytest.raises(CellError):
        read_cell(sheet.field("cost_centre"), "x" * 21)

    class Data(Values):
        pass

    Data.entity = entity
    data = Data(code="P1", title="t", department_id=1, cost_centre=" CC-12 ")
    assert data.plain()["cost_centre"] == " CC-12 " and data.headcount == 1


def test_a_limit_changed_in_the_declaration_changes_every_check(app):
    """The title's length is read from the declaration by all three: shorten it and each refuses."""
    entity = Entity("positions", tuple(replace(f, max_length=5) if f.name == "title" else f for f in POSITION.fields))

    @declared(entity)
    class Form(PositionForm):
        pass

    with app.test_request_context(method="POST", data={"title": "longer"}):
        form = Form(meta={"csrf": False})
        form.title.validate(form)
        assert form.title.errors
    errors = input_schema("ShortIn", entity)().validate({"code": "P1", "title": "longer", "department_id": 1})
    assert set(errors) == {"title"}
    with pytest.raises(CellError):
        read_cell(derived_kind("positions", _l("Positions"), entity, "").field("title"), "longer")


def test_the_data_classes_refuse_unknown_and_missing_fields():
    with pytest.raises(TypeError, match="unknown"):
        services.PositionData(code="P1", title="t", department_id=1, colour="red")
    with pytest.raises(TypeError, match="title"):
        services.PositionData(code="P1", department_id=1)
    assert services.EmployeeData(employee_no="E1", name="n") == services.EmployeeData(employee_no="E1", name="n")


def test_a_declared_field_without_a_word_of_the_audit_trail_is_named_by_its_label(app, monkeypatch):
    from app.audit import vocabulary

    monkeypatch.setattr(vocabulary, "FIELDS_OF", dict(vocabulary.FIELDS_OF))
    vocabulary.register_field_labels(
        {("positions", "cost_centre"): _l("Cost centre"), ("positions", "headcount"): _l("Authorised headcount (编制)")}
    )
    with app.test_request_context():
        assert vocabulary.field_label("positions", "cost_centre") == "Cost centre"
        assert vocabulary.field_label("positions", "headcount") == "Headcount"  # the trail's own word stays


def test_an_assignment_is_declared_once_for_its_form_its_api_and_its_sheet(app):
    """Assignments have no data class (the services take the values one by one) and the page
    leaves the employee out (it is the page's): the rest is the declaration."""
    from app.api.employee_schemas import AssignmentIn, AssignmentOut
    from app.org.fields import ASSIGNMENT
    from app.org.forms import AssignmentForm
    from app.transfer.spec import ASSIGNMENTS

    names = set(ASSIGNMENT.names)
    form = form_of(app, AssignmentForm)
    assert {name for name in form._fields} - FORM_ONLY == names - {"employee_id"}
    assert set(AssignmentIn().fields) == names
    assert names <= set(AssignmentOut().fields)
    assert [f.key for f in ASSIGNMENTS.fields] == [f.column for f in ASSIGNMENT.fields]
    assert ASSIGNMENTS.key_fields == ("employee_no", "position_code", "start_date")
    for f in ASSIGNMENT.fields:
        assert AssignmentIn().fields[f.name].required is f.required, f.name
        assert str(ASSIGNMENTS.field(f.column).label) == str(f.column_label)
        if f.name != "employee_id":
            assert str(form[f.name].label.text) == str(f.label)
    # what a blank cell of a new row means: open-ended, the primary assignment
    assert ASSIGNMENTS.defaults == {"end_date": None, "is_primary": True}
    assert AssignmentIn().load({"employee_id": 1, "position_id": 2, "start_date": "2026-01-01"})["is_primary"] is True
