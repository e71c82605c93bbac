"""The library's fields are declared once (app/jobs/fields.py): the KPI and competency pages'
forms, the API's schemas and the services' data carry exactly the declared fields, with the
declared limits, labels, choices and required-ness, and a limit changed in the declaration
changes the page's and the API's checks alike."""

from __future__ import annotations

from dataclasses import replace

import pytest
from marshmallow import validate
from wtforms import validators as wtv

from app.api.library_schemas import CompetencyIn, CompetencyOut, KpiIn, KpiOut
from app.api.schemas import input_schema
from app.core.declared_forms import declared
from app.core.fields import Entity
from app.jobs import library
from app.jobs.fields import COMPETENCY, KPI
from app.jobs.forms import CompetencyForm, KpiForm
from app.jobs.models import SCALE_MAX, Competency, Kpi
from tests.declared_fields import FORM_ONLY, api_validators, form_of, validators

CASES = [
    pytest.param(KPI, KpiForm, KpiIn, KpiOut, library.KpiData, (), id="kpis"),
    pytest.param(
        COMPETENCY, CompetencyForm, CompetencyIn, CompetencyOut, library.CompetencyData, ("levels",), id="competencies"
    ),
]
LEVELS = {f"level_{n}" for n in range(1, SCALE_MAX + 1)}


@pytest.mark.parametrize(("entity", "form_class", "schema_in", "schema_out", "data_class", "own"), CASES)
def test_the_form_the_api_and_the_services_carry_the_declared_fields(
    app, entity, form_class, schema_in, schema_out, data_class, own
):
    names = set(entity.names)
    form_names = {name for name in form_of(app, form_class)._fields} - FORM_ONLY
    assert form_names == (names - set(own)) | (LEVELS if own else set())
    assert set(schema_in().fields) == names
    assert names <= set(schema_out().fields)
    assert set(vars(data_class(**{f.name: "x" for f in entity.fields if f.required}))) == names


@pytest.mark.parametrize(("entity", "form_class", "schema_in", "schema_out", "data_class", "own"), CASES)
def test_limits_labels_choices_and_required_ness_are_those_declared(
    app, entity, form_class, schema_in, schema_out, data_class, own
):
    form, schema = form_of(app, form_class), schema_in()
    for f in entity.fields:
        api = schema.fields[f.name]
        assert api.required == f.required, f.name
        if f.max_length and f.kind != "lines":
            assert f.max_length in [v.max for v in api_validators(api, validate.Length)], f.name
        if f.kind == "choice":
            (one_of,) = api_validators(api, validate.OneOf)
            assert list(one_of.choices) == sorted(f.choices.values())
            assert api.load_default == f.default
        if f.name in own:
            continue
        page = form[f.name]
        assert str(page.label.text) == str(f.label)
        assert str(page.description) == str(f.help or "")
        assert bool(validators(page, (wtv.DataRequired, wtv.InputRequired))) == f.required, f.name
        if f.max_length:
            assert [v.max for v in validators(page, wtv.Length)] == [f.max_length], f.name
        if f.kind == "choice":
            assert [value for value, _label in page.choices] == [value for value, _label in f.choices.choices()]


def test_a_competencys_levels_are_declared_once(app):
    """The page shows a field per level (up to the declared number, each with the declared length);
    the API takes a list of that many, each as long."""
    levels = COMPETENCY.field("levels")
    form = form_of(app, CompetencyForm)
    assert levels.maximum == SCALE_MAX
    for n in range(1, levels.maximum + 1):
        assert [v.max for v in validators(form[f"level_{n}"], wtv.Length)] == [levels.max_length]
    api = CompetencyIn().fields["levels"]
    assert [v.max for v in api_validators(api, validate.Length)] == [levels.maximum, levels.max_length]
    errors = CompetencyIn().validate({"code": "C1", "name": "n", "levels": ["x"] * (SCALE_MAX + 1)})
    assert set(errors) == {"levels"}
    errors = CompetencyIn().validate({"code": "C1", "name": "n", "levels": ["x" * (levels.max_length + 1)]})
    assert set(errors) == {"levels"}


def test_the_declared_lengths_are_the_columns_lengths():
    for entity, model in ((KPI, Kpi), (COMPETENCY, Competency)):
        for f in entity.of_kind("code", "line"):
            assert f.max_length == getattr(model, f.name).property.columns[0].type.length, (entity.name, f.name)


def test_a_limit_changed_in_the_declaration_changes_the_page_and_the_api(app):
    entity = Entity("kpis", tuple(replace(f, max_length=3) if f.name == "unit" else f for f in KPI.fields))

    @declared(entity)
    class Form(KpiForm):
        pass

    with app.test_request_context(method="POST", data={"unit": "万元/月"}):
        form = Form(meta={"csrf": False})
        form.unit.validate(form)
        assert form.unit.errors
    errors = input_schema("ShortKpiIn", entity)().validate({"code": "K1", "name": "n", "unit": "万元/月"})
    assert set(errors) == {"unit"}
    assert not KpiIn().validate({"code": "K1", "name": "n", "unit": "万元/月"})


def test_the_data_classes_take_the_declared_defaults_and_refuse_unknown_fields():
    assert library.KpiData(code="K1", name="n") == library.KpiData(
        code="K1", name="n", unit="", direction="higher", definition="", measurement=""
    )
    assert library.CompetencyData(code="C1", name="n").levels == []
    with pytest.raises(TypeError, match="unknown"):
        library.KpiData(code="K1", name="n", colour="red")
    with pytest.raises(TypeError, match="name"):
        library.CompetencyData(code="C1")
