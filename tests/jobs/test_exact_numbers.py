"""KPI numbers of a job description are kept exactly as typed, through the editor page and the
JSON API, on both engines: every value with up to 14 digits before the point and 4 after comes
back digit for digit, shown in full (never 1.2e+06), and saving twice changes nothing."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.numbers import grouped, plain
from app.extensions import db
from app.jobs import services
from app.jobs.content import version_content
from app.jobs.models import JobDescriptionVersion
from tests.api.conftest import api  # noqa: F401 (the API client fixture)
from tests.jobs.conftest import good_content
from tests.jobs.test_pages import form_data

EXACT = st.decimals(
    min_value=Decimal("0.0001"),
    max_value=Decimal("99999999999999.9999"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
)
PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
VERSIONS = "/api/v1/job-descriptions/versions"


@pytest.fixture
def draft(shop):
    version = services.start_draft(
        shop.agent, None, content=good_content(shop, kpis=[(shop.sales, 1200000, 100, "monthly", None, None)])
    )
    db.session.commit()
    return version


def _stored(version_id):
    db.session.expire_all()
    return db.session.get(JobDescriptionVersion, version_id).kpi_targets[0].target


def _input_value(page: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]*)"', page)
    assert match, name
    return match.group(1)


def _save_page(client, version_id, typed: str):
    version = db.session.get(JobDescriptionVersion, version_id)
    content = version_content(version)
    content["kpis"][0]["target"] = typed
    return client.post(f"/jobs/versions/{version_id}/edit", data=form_data(content, version.version))


def test_a_target_of_1200000_is_shown_in_full(draft, login):
    hr = login("hr")
    page = hr.get(f"/jobs/versions/{draft.id}/edit").get_data(as_text=True)
    assert _input_value(page, "kpis-0-target") == "1200000"  # the input: every digit, no grouping
    assert "e+06" not in page
    assert "1,200,000" in hr.get(f"/jobs/versions/{draft.id}").get_data(as_text=True)  # read-only: grouped


def test_1234567_saved_twice_stays_1234567(draft, login):
    hr = login("hr")
    assert _save_page(hr, draft.id, "1234567").status_code == 302
    page = hr.get(f"/jobs/versions/{draft.id}/edit").get_data(as_text=True)
    assert _input_value(page, "kpis-0-target") == "1234567"
    assert _save_page(hr, draft.id, _input_value(page, "kpis-0-target")).status_code == 302
    assert _stored(draft.id) == Decimal("1234567") and str(_stored(draft.id)) == "1234567"


@pytest.mark.parametrize(
    "typed, message",
    [
        ("1e3", "exponent"),
        ("NaN", "Enter a number."),
        ("Infinity", "Enter a number."),
        ("", "Enter a number."),
        ("123456789012345", "14 digits"),
        ("1.23456", "4 decimal"),
        ("1,5", "ambiguous"),
    ],
)
def test_bad_targets_are_refused_at_the_field_and_kept(draft, login, typed, message):
    hr = login("hr")
    response = _save_page(hr, draft.id, typed)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and _input_value(page, "kpis-0-target") == typed
    assert _stored(draft.id) == 1200000


def test_weights_keep_two_decimals_and_refuse_more(draft, login):
    hr = login("hr")
    version = db.session.get(JobDescriptionVersion, draft.id)
    content = version_content(version)
    content["kpis"][0]["weight"] = "33.333"
    response = hr.post(f"/jobs/versions/{draft.id}/edit", data=form_data(content, version.version))
    assert response.status_code == 422 and "At most 2 decimal places" in response.get_data(as_text=True)
    content["kpis"][0]["weight"] = "-1"
    response = hr.post(f"/jobs/versions/{draft.id}/edit", data=form_data(content, version.version))
    assert response.status_code == 422 and "from 0 to 100" in response.get_data(as_text=True)


@PROPERTY
@given(value=EXACT, spelling=st.sampled_from(["plain", "grouped"]))
def test_page_form_round_trip(draft, login, app, value, spelling):
    hr = login("hr")
    with app.test_request_context():
        typed = plain(value) if spelling == "plain" else grouped(value)
    assert _save_page(hr, draft.id, typed).status_code == 302
    assert _stored(draft.id) == value
    page = hr.get(f"/jobs/versions/{draft.id}/edit").get_data(as_text=True)
    assert _input_value(page, "kpis-0-target") == plain(value)
    assert _save_page(hr, draft.id, _input_value(page, "kpis-0-target")).status_code == 302  # saved again
    assert _stored(draft.id) == value
    with app.test_request_context():
        shown = grouped(value)
    assert shown in hr.get(f"/jobs/versions/{draft.id}").get_data(as_text=True)


def _as_body(version: dict, target) -> dict:
    kpis = [
        {key: t[key] for key in ("id", "kpi_id", "target", "threshold", "stretch", "weight", "period", "note")}
        for t in version["kpis"]
    ]
    kpis[0]["target"] = target
    return {
        **{
            name: version[name]
            for name in (
                "title",
                "purpose",
                "authority",
                "management_responsibility",
                "working_conditions",
                "sections",
                "requirements",
            )
        },
        "competencies": [{key: c[key] for key in ("id", "competency_id", "level")} for c in version["competencies"]],
        "kpis": kpis,
        "version": version["version"],
    }


def _api_read(client, version_id) -> dict:
    response = client.get(f"{VERSIONS}/{version_id}")
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True), parse_float=Decimal)


def _api_put(client, version_id, body: dict):
    """The body written as JSON with its Decimals as JSON numbers, digit for digit."""
    text = json.dumps(body, default=lambda d: f"@@{d}@@")
    text = re.sub(r'"@@([-0-9.]+)@@"', r"\1", text)
    return client.put(f"{VERSIONS}/{version_id}", data=text, content_type="application/json")


@PROPERTY
@given(value=EXACT, as_string=st.booleans())
def test_api_round_trip(draft, api, value, as_string):
    hr = api("hr")
    current = _api_read(hr, draft.id)
    response = _api_put(hr, draft.id, _as_body(current, plain(value) if as_string else value))
    assert response.status_code == 200, response.get_data(as_text=True)
    answered = json.loads(response.get_data(as_text=True), parse_float=Decimal)
    assert answered["kpis"][0]["target"] == value
    assert re.search(rf'"target":\s*{re.escape(plain(value))}[,}}]', response.get_data(as_text=True))  # a number
    assert _stored(draft.id) == value
    assert _api_read(hr, draft.id)["kpis"][0]["target"] == value


@pytest.mark.parametrize(
    "target, message",
    [
        ("1e3", "exponent"),
        ("NaN", "number"),
        ("Infinity", "number"),
        ("", "number"),
        ("1,234", "number"),
        ("123456789012345", "14 digits"),
        ("0.00001", "4 decimal"),
        (True, "number"),
        ([], "number"),
    ],
)
def test_api_refuses_bad_numbers_with_422_naming_the_field(draft, api, target, message):
    hr = api("hr")
    body = _as_body(_api_read(hr, draft.id), target)
    response = _api_put(hr, draft.id, body)
    assert response.status_code == 422
    errors = response.json["errors"]
    assert list(errors) == ["kpis.0.target"] and message in " ".join(errors["kpis.0.target"])
    assert _stored(draft.id) == 1200000


def test_api_refuses_nan_and_infinity_and_reads_json_exponents_exactly(draft, api):
    """NaN and Infinity are not JSON (Python's parser takes them): refused at the field. An
    exponent is JSON's own spelling of a number: 1E+6 is read exactly as 1000000 (only typed
    text, and strings, with an exponent are refused)."""
    hr = api("hr")
    for raw in ("NaN", "Infinity", "-Infinity"):
        text = json.dumps(_as_body(_api_read(hr, draft.id), 1), default=str).replace(
            '"target": 1,', f'"target": {raw},'
        )
        assert raw in text
        response = hr.put(f"{VERSIONS}/{draft.id}", data=text, content_type="application/json")
        assert response.status_code == 422 and list(response.json["errors"]) == ["kpis.0.target"], raw
    assert _stored(draft.id) == 1200000
    text = json.dumps(_as_body(_api_read(hr, draft.id), 1), default=str).replace('"target": 1,', '"target": 1E+6,')
    assert hr.put(f"{VERSIONS}/{draft.id}", data=text, content_type="application/json").status_code == 200
    assert _stored(draft.id) == 1000000
