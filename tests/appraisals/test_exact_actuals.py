"""KPI actuals are kept exactly: through the review page, the API and the XLSX and CSV import,
on both engines; a decimal comma is never read as a thousands separator (the dry run refuses an
ambiguous value, naming the line, the column and both readings, until a number format is chosen)."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.appraisals.services import kpi_actuals
from app.core.numbers import plain
from app.core.spreadsheets import Sheet, csv_bytes, xlsx_bytes
from app.extensions import db
from tests.api.conftest import api  # noqa: F401 (the API client fixture)
from tests.appraisals.conftest import review_of
from tests.appraisals.test_import import _client, _upload

EXACT = st.decimals(
    min_value=Decimal("0"), max_value=Decimal("99999999999999.9999"), places=4, allow_nan=False, allow_infinity=False
)
PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _sales(cycle, shop):
    db.session.expire_all()
    return review_of(cycle, shop.zhang).kpi_results[0].actual


def _sheet(rows) -> Sheet:
    return Sheet("actuals", ["employee_no", "kpi", "actual"], rows)


def test_a_decimal_comma_is_refused_with_both_readings_until_a_format_is_chosen(app, cycle, shop):
    content = 'employee_no,kpi,actual\nE002,SALES,"1,5"\nE002,COMPLAINTS,"2,500"\n'.encode()
    hr = _client(app, shop.hr_user)
    page = _upload(hr, cycle, content).get_data(as_text=True)
    assert 'data-testid="import-problems"' in page and 'data-testid="apply"' not in page
    rows = kpi_actuals.check(cycle, kpi_actuals.read_rows("a.csv", content))
    assert not rows[0].ok and "Line 2" in rows[0].problem and "C (actual)" in rows[0].problem
    assert "1.5" in rows[0].problem and "15" in rows[0].problem
    # 2,500 of a rate (投诉率, %): 2.5 or 2500?
    assert not rows[1].ok and "Line 3" in rows[1].problem and "2.5" in rows[1].problem and "2500" in rows[1].problem
    rows = kpi_actuals.check(cycle, kpi_actuals.read_rows("a.csv", content), number_format="comma")
    assert [r.value for r in rows] == [Decimal("1.5"), Decimal("2.5")] and all(r.ok for r in rows)
    response = hr.post(
        f"/appraisals/cycles/{cycle.id}/import",
        data={"action": "preview", "number_format": "comma", "file": (io.BytesIO(content), "a.csv")},
        content_type="multipart/form-data",
    )
    assert 'data-testid="apply"' in response.get_data(as_text=True)
    payload = json.dumps(kpi_actuals.serialise(rows))
    assert (
        hr.post(
            f"/appraisals/cycles/{cycle.id}/import", data={"action": "apply", "rows": payload, "number_format": "comma"}
        ).status_code
        == 302
    )
    assert [r.actual for r in review_of(cycle, shop.zhang).kpi_results] == [Decimal("1.5"), Decimal("2.5")]


def test_a_thousands_separator_of_an_amount_is_read_as_one(cycle, shop):
    rows = kpi_actuals.check(cycle, kpi_actuals.read_rows("a.csv", b'E002,SALES,"1,234,567.5"\nE003,SALES,"2,500"\n'))
    assert [r.value for r in rows] == [Decimal("1234567.5"), Decimal("2500")]


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1e3", "exponent"),
        ("NaN", "Enter a number."),
        ("inf", "Enter a number."),
        ("123456789012345", "14 digits"),
        ("1.23456", "4 decimal"),
        ("-5", "cannot be negative"),
    ],
)
def test_bad_actuals_in_a_file_are_refused_and_nothing_applied(cycle, shop, typed, message):
    rows = kpi_actuals.check(cycle, kpi_actuals.read_rows("a.csv", f"E002,SALES,{typed}\n".encode()))
    assert not rows[0].ok and message in rows[0].problem
    assert _sales(cycle, shop) is None


@PROPERTY
@given(value=EXACT, kind=st.sampled_from(["xlsx", "csv"]))
def test_spreadsheet_round_trip(app, cycle, shop, value, kind):
    """The value written by the exporters' own writer (a number cell when a float holds it,
    else its exact text) is imported digit for digit and written out again the same."""
    sheet = _sheet([["E002", "SALES", value]])
    data = xlsx_bytes([sheet]) if kind == "xlsx" else csv_bytes(sheet)
    with app.test_request_context():
        rows = kpi_actuals.read_rows(f"actuals.{kind}", data)
        assert kpi_actuals.apply(cycle, rows, shop.hr_user) == 1
        db.session.commit()
    stored = _sales(cycle, shop)
    assert stored == value
    again = _sheet([["E002", "SALES", stored]])
    if kind == "xlsx":
        cells = [c.value for c in load_workbook(io.BytesIO(xlsx_bytes([again]))).active[2]]
        first = [c.value for c in load_workbook(io.BytesIO(data)).active[2]]
        assert cells == first
    else:
        assert csv_bytes(again) == data
        assert plain(value) in data.decode("utf-8-sig")


@PROPERTY
@given(value=EXACT)
def test_review_page_round_trip(app, cycle, shop, value):
    client = _client(app, shop.employee_user)
    review = review_of(cycle, shop.zhang)
    response = client.post(
        f"/appraisals/reviews/{review.id}/self-review",
        data={"version": review.version, "kpis-0-actual": plain(value), "action": "save"},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert _sales(cycle, shop) == value
    page = client.get(f"/appraisals/reviews/{review.id}").get_data(as_text=True)
    assert re.search(rf'name="kpis-0-actual"[^>]*value="{re.escape(plain(value))}"', page)


@PROPERTY
@given(value=EXACT, as_string=st.booleans())
def test_api_round_trip(cycle, shop, api, value, as_string):
    client = api(user=shop.employee_user)
    review = review_of(cycle, shop.zhang)
    result = review.kpi_results[0]
    number = plain(value)
    actual = json.dumps(number) if as_string else number  # a JSON number written digit for digit
    body = f'{{"version": {review.version}, "kpis": [{{"id": {result.id}, "actual": {actual}}}]}}'
    response = client.post(f"/api/v1/reviews/{review.id}/submit", data=body, content_type="application/json")
    assert response.status_code == 200, response.get_data(as_text=True)
    answered = json.loads(response.get_data(as_text=True), parse_float=Decimal)
    assert answered["kpis"][0]["actual"] == value
    assert _sales(cycle, shop) == value


def test_template_weights_and_band_minimums_keep_their_decimals(ctx):
    from app.appraisals import services
    from app.appraisals.forms import TemplateForm
    from app.core.errors import ServiceError

    data = {
        "name": "精确",
        "kpi_weight": "70.25",
        "competency_weight": "29.75",
        "levels": "5",
        "scale": [],
        "bands": [{"band": "A", "min": "89.9567"}, {"band": "B", "min": "60"}, {"band": "C", "min": ""}],
        "outcomes": [{"code": "reward", "label": ""}],
    }
    template = services.create_template(data)
    db.session.commit()
    db.session.expire_all()
    assert (template.kpi_weight, template.competency_weight) == (Decimal("70.25"), Decimal("29.75"))
    assert template.bands[0]["min"] == 89.9567
    with ctx_request():
        form = TemplateForm(formdata=None)
        form.fill(services.template_data(template))
        assert (form.kpi_weight.data, form.competency_weight.data, form.bands[0].form.min.data) == (
            "70.25",
            "29.75",
            "89.9567",
        )
    for bad, field, message in (
        (("70.255", "29.745"), "kpi_weight", "2 decimal"),
        (("1e2", "0"), "kpi_weight", "exponent"),
        (("NaN", "100"), "kpi_weight", "Enter a number"),
    ):
        with pytest.raises(ServiceError) as error:
            services.create_template({**data, "name": "坏", "kpi_weight": bad[0], "competency_weight": bad[1]})
        assert message in " ".join(error.value.errors[field])
    db.session.rollback()


def ctx_request():
    from flask import current_app

    return current_app.test_request_context()


def test_attainments_of_18_digit_figures_are_exact():
    """A float cannot tell 99999999999999.9998 from 99999999999999.9999: the formulas work on the
    exact figures."""
    from app.appraisals.services.scoring import TO_STRETCH, TO_THRESHOLD, Attainment, attainment

    t, s = Decimal("99999999999999.9997"), Decimal("99999999999999.9999")
    assert attainment(Decimal("99999999999999.9998"), t, "higher", stretch=s) == Attainment(110.0, TO_STRETCH)
    assert attainment(
        Decimal("99999999999999.9996"), t, "higher", threshold=Decimal("99999999999999.9995"), stretch=s
    ) == Attainment(50.0, TO_THRESHOLD)
    assert attainment(Decimal("-99999999999999.9998"), -t, "lower", stretch=-s).value == 110.0
